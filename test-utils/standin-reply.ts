import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** What a test scripts the stand-in to answer; every protocol renders the same reply its own way. */
export interface ToolCallReply {
  name: string;
  arguments: Record<string, unknown> | string;
  id?: string;
}

export type StandinReply =
  | string
  | {
      text?: string;
      toolCalls?: ToolCallReply[];
      /** Streamed text is cut into these chunks (default: words). */
      chunks?: string[];
      /** Wait this long between streamed chunks. */
      chunkDelayMs?: number;
      usage?: { prompt_tokens: number; completion_tokens: number };
    }
  | { status: number; error: { message: string; type?: string; code?: string | null }; headers?: Record<string, string> }
  /** Never answer: the request stays open until the client goes away. */
  | { hang: true };

export type Answer =
  | { kind: 'hang' }
  | { kind: 'error'; status: number; message: string; type?: string; code?: string | null; headers: Record<string, string> }
  | {
      kind: 'answer';
      text: string;
      toolCalls: ToolCallReply[];
      chunks?: string[];
      chunkDelayMs: number;
      usage: { prompt_tokens: number; completion_tokens: number };
    };

/** A scripted reply in one normal form, for the protocol encoders. */
export function answerOf(reply: StandinReply): Answer {
  if (typeof reply === 'string') return { kind: 'answer', text: reply, toolCalls: [], chunkDelayMs: 0, usage: { prompt_tokens: 10, completion_tokens: 5 } };
  if ('hang' in reply) return { kind: 'hang' };
  if ('status' in reply) return { kind: 'error', status: reply.status, message: reply.error.message, type: reply.error.type, code: reply.error.code, headers: reply.headers ?? {} };
  return {
    kind: 'answer',
    text: reply.text ?? '',
    toolCalls: reply.toolCalls ?? [],
    chunks: reply.chunks,
    chunkDelayMs: reply.chunkDelayMs ?? 0,
    usage: reply.usage ?? { prompt_tokens: 10, completion_tokens: 5 },
  };
}

/** A stable id for a reply to this request body. */
export function replyId(body: Record<string, unknown>): string {
  return createHash('sha1').update(JSON.stringify(body)).digest('hex').slice(0, 12);
}

export function writeJson(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(payload));
}

export function splitWords(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

/** Deterministic unit vector from the text. */
export function vectorFor(text: string, dimensions = 8): number[] {
  const digest = createHash('sha256').update(text).digest();
  const raw = Array.from({ length: dimensions }, (_, i) => digest[i % digest.length] / 255 - 0.5);
  const norm = Math.hypot(...raw) || 1;
  return raw.map((v) => v / norm);
}
