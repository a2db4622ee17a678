import { after, before, beforeEach } from 'node:test';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicMessages } from './standin-anthropic.js';
import { ollamaChat, ollamaEmbed } from './standin-ollama.js';
import { replyId, splitWords, vectorFor, writeJson as json, type StandinReply } from './standin-reply.js';

export { vectorFor, type StandinReply, type ToolCallReply } from './standin-reply.js';

/**
 * A real HTTP stand-in for model servers, for tests. It speaks the OpenAI chat-completions and
 * embeddings protocol (`/v1/chat/completions`, `/v1/embeddings`: what vLLM, LM Studio and every
 * OpenAI-compatible server speak), Anthropic's Messages API (`/v1/messages`) and Ollama's native API
 * (`/api/chat`, `/api/embed`). Our code reaches it only through a base URL, exactly as it reaches a
 * provider. OpenAI and Anthropic base URLs are `baseUrl` (`…/v1`); Ollama's is `url`.
 *
 * Script it with a queue of replies (`enqueue`) or a function (`respondWith`); with neither, chat
 * requests get `echo: <last user message>`. Every request is logged with its body and headers.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** True when the client closed the connection before the reply ended. */
  closedEarly: boolean;
}

export type Responder = (request: RecordedRequest) => StandinReply | Promise<StandinReply>;

const CHAT_PATHS = new Set(['/v1/chat/completions', '/v1/messages', '/api/chat']);

export class LlmStandin {
  readonly requests: RecordedRequest[] = [];
  private readonly queue: StandinReply[] = [];
  private responder: Responder | null = null;
  private server: Server | null = null;
  private port = 0;
  private closeWaiters: (() => void)[] = [];

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The OpenAI-style base URL: `http://127.0.0.1:<port>/v1` */
  get baseUrl(): string {
    return `${this.url}/v1`;
  }

  /** Chat requests only, in any of the protocols (OpenAI, Anthropic, Ollama). */
  get chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => CHAT_PATHS.has(r.path));
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: String(error), type: 'server_error' } }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  enqueue(...replies: StandinReply[]): this {
    this.queue.push(...replies);
    return this;
  }

  respondWith(responder: Responder | null): this {
    this.responder = responder;
    return this;
  }

  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
    this.responder = null;
  }

  /** Resolves when some request is closed by the client before its reply ended. */
  requestClosed(): Promise<void> {
    if (this.requests.some((r) => r.closedEarly)) return Promise.resolve();
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> = {};
    if (raw) {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        body = { raw };
      }
    }
    const path = (req.url ?? '/').split('?')[0];
    const record: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body, closedEarly: false };
    this.requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) {
        record.closedEarly = true;
        for (const waiter of this.closeWaiters.splice(0)) waiter();
      }
    });

    if (req.method === 'GET' && path === '/v1/models') {
      return json(res, 200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 0, owned_by: 'standin' }] });
    }
    if (req.method === 'POST' && path === '/v1/embeddings') return this.embeddings(res, body);
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      const reply = await this.nextReply(record);
      return this.chat(res, body, reply);
    }
    if (req.method === 'POST' && path === '/v1/messages') return anthropicMessages(res, body, await this.nextReply(record));
    if (req.method === 'POST' && path === '/api/chat') return ollamaChat(res, body, await this.nextReply(record));
    if (req.method === 'POST' && path === '/api/embed') return ollamaEmbed(res, body);
    json(res, 404, { error: { message: `Unknown path ${path}`, type: 'invalid_request_error' } });
  }

  private async nextReply(record: RecordedRequest): Promise<StandinReply> {
    if (this.queue.length > 0) return this.queue.shift()!;
    if (this.responder) return this.responder(record);
    return `echo: ${lastUserText(record.body)}`;
  }

  private embeddings(res: ServerResponse, body: Record<string, unknown>): void {
    const input = Array.isArray(body.input) ? (body.input as unknown[]) : [body.input];
    const dimensions = typeof body.dimensions === 'number' ? body.dimensions : 8;
    json(res, 200, {
      object: 'list',
      model: body.model,
      data: input.map((text, index) => ({ object: 'embedding', index, embedding: vectorFor(String(text), dimensions) })),
      usage: { prompt_tokens: input.length, total_tokens: input.length },
    });
  }

  private chat(res: ServerResponse, body: Record<string, unknown>, reply: StandinReply): void {
    if (typeof reply === 'object' && 'hang' in reply) {
      res.writeHead(200, { 'content-type': body.stream ? 'text/event-stream' : 'application/json' });
      res.flushHeaders();
      return;
    }
    if (typeof reply === 'object' && 'status' in reply) {
      const payload = { error: { message: reply.error.message, type: reply.error.type ?? 'invalid_request_error', param: null, code: reply.error.code ?? null } };
      res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
      res.end(JSON.stringify(payload));
      return;
    }
    const answer = typeof reply === 'string' ? { text: reply } : reply;
    const model = String(body.model ?? 'standin');
    const id = `chatcmpl-${replyId(body)}`;
    const created = Math.floor(Date.now() / 1000);
    const toolCalls = (answer.toolCalls ?? []).map((call, index) => ({
      id: call.id ?? `call_${index}_${id.slice(-6)}`,
      type: 'function' as const,
      function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
    }));
    const text = answer.text ?? (toolCalls.length > 0 ? null : '');
    const finish = toolCalls.length > 0 ? 'tool_calls' : 'stop';
    const usage = {
      prompt_tokens: answer.usage?.prompt_tokens ?? 10,
      completion_tokens: answer.usage?.completion_tokens ?? 5,
      total_tokens: (answer.usage?.prompt_tokens ?? 10) + (answer.usage?.completion_tokens ?? 5),
    };
    if (!body.stream) {
      json(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: text, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) }, finish_reason: finish }],
        usage,
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const base = { id, object: 'chat.completion.chunk', created, model };
    const events: unknown[] = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }];
    const pieces = text ? (answer.chunks ?? splitWords(text)) : [];
    for (const piece of pieces) events.push({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
    toolCalls.forEach((call, index) => {
      const args = call.function.arguments;
      const half = Math.ceil(args.length / 2);
      events.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: args.slice(0, half) } }] }, finish_reason: null }] });
      events.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: args.slice(half) } }] }, finish_reason: null }] });
    });
    events.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finish }] });
    const options = body.stream_options as { include_usage?: boolean } | undefined;
    if (options?.include_usage) events.push({ ...base, choices: [], usage });
    const delay = typeof answer.chunkDelayMs === 'number' ? answer.chunkDelayMs : 0;
    void (async () => {
      for (const event of events) {
        if (res.destroyed) return;
        res.write(`data: ${JSON.stringify(event)}\n\n`);
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      }
      if (!res.destroyed) res.end('data: [DONE]\n\n');
    })();
  }
}

/** Text of a chat message's content (string or parts). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (part && typeof part === 'object' && 'text' in part ? String((part as { text: unknown }).text) : '')).join('');
  return '';
}

export function lastUserText(body: Record<string, unknown>): string {
  const messages = (body.messages ?? []) as { role: string; content: unknown }[];
  const last = [...messages].reverse().find((m) => m.role === 'user');
  return last ? contentText(last.content) : '';
}

/** The system prompt of a chat request. */
export function systemText(body: Record<string, unknown>): string {
  // Anthropic sends the system prompt beside the messages, as a string or text blocks.
  if (body.system !== undefined) return contentText(body.system);
  const messages = (body.messages ?? []) as { role: string; content: unknown }[];
  return messages.filter((m) => m.role === 'system').map((m) => contentText(m.content)).join('\n');
}

export async function startStandin(): Promise<LlmStandin> {
  return new LlmStandin().start();
}

/** A stand-in for a test file: started before its tests, reset before each, closed after all. */
export function standinForTests(): LlmStandin {
  const standin = new LlmStandin();
  before(() => standin.start());
  after(() => standin.close());
  beforeEach(() => standin.reset());
  return standin;
}
