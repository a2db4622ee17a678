import { randomUUID } from 'node:crypto';
import type { EngineEvent } from '../../engine/events.js';
import type { FlowJson } from '../../engine/flow-json.js';
import type { RunResponse } from '../../engine/run.js';
import {
  DONE_LINE,
  chunkLine,
  extractOutput,
  openaiError,
  responseBody,
  toolCallEvents,
  toolCallsFromContentBlocks,
  type ResponsesError,
  type ResponsesRequest,
  type ToolCall,
} from './format.js';

export interface ResponsesFlow {
  id: string;
  name: string;
  data: FlowJson['data'];
}

export interface ResponsesRunOptions {
  inputValue: string;
  sessionId: string;
  stream: boolean;
  signal?: AbortSignal;
}

/** What `/responses` needs from the server: the caller's flow lookup and a `/run`-style run. */
export interface ResponsesHost {
  /** A flow by id or endpoint name visible to the caller, else null. */
  findFlow(model: string): Promise<ResponsesFlow | null>;
  /** Runs the flow (chat input/output, this session); its events end with `end` or `error`. */
  run(flow: ResponsesFlow, options: ResponsesRunOptions): AsyncIterable<EngineEvent>;
}

export type ResponsesOutcome =
  | { kind: 'json'; body: Record<string, unknown> | ResponsesError }
  | { kind: 'stream'; chunks: AsyncIterable<string> };

function nodeTypes(flow: ResponsesFlow): string[] {
  const nodes = (flow.data as { nodes?: { data?: { type?: string } }[] } | null | undefined)?.nodes ?? [];
  return nodes.map((n) => n.data?.type ?? '');
}

/**
 * `POST /api/v1/responses`: the flow named by `model` runs with `input` in session
 * `previous_response_id` (or a new one, which becomes the response id). Errors are bodies, not
 * statuses. Streaming yields Langflow's chunk format.
 */
export async function createResponse(host: ResponsesHost, request: ResponsesRequest, signal?: AbortSignal): Promise<ResponsesOutcome> {
  if (request.tools !== null && request.tools !== undefined) {
    return { kind: 'json', body: openaiError('Tools are not supported yet', 'invalid_request_error', 'tools_not_supported') };
  }
  const flow = await host.findFlow(request.model).catch(() => null);
  if (!flow) {
    return { kind: 'json', body: openaiError(`Flow with id '${request.model}' not found`, 'invalid_request_error', 'flow_not_found') };
  }
  const types = nodeTypes(flow);
  if (!types.some((t) => t === 'ChatInput' || t === 'Chat Input')) {
    return { kind: 'json', body: openaiError('Flow must have a ChatInput component to be compatible with OpenAI Responses API', 'processing_error') };
  }
  if (!types.some((t) => t === 'ChatOutput' || t === 'Chat Output')) {
    return { kind: 'json', body: openaiError('Flow must have a ChatOutput component to be compatible with OpenAI Responses API', 'processing_error') };
  }
  const sessionId = request.previous_response_id || randomUUID();
  const created = Math.floor(Date.now() / 1000);
  const options: ResponsesRunOptions = { inputValue: request.input, sessionId, stream: request.stream === true, signal };
  if (request.stream) return { kind: 'stream', chunks: streamChunks(host, flow, request, options, created) };

  let result: RunResponse | null = null;
  try {
    for await (const event of host.run(flow, options)) {
      if (event.event === 'end') result = (event.data as { result?: RunResponse }).result ?? null;
      if (event.event === 'error') throw new Error(errorMessage(event.data));
    }
    if (!result) throw new Error('The flow ended without a result');
  } catch (error) {
    return { kind: 'json', body: openaiError(error instanceof Error ? error.message : String(error), 'processing_error') };
  }
  const { text, toolCalls } = extractOutput(result);
  return {
    kind: 'json',
    body: responseBody({
      id: sessionId,
      createdAt: created,
      model: request.model,
      text,
      toolCalls,
      previousResponseId: request.previous_response_id ?? null,
      include: request.include,
    }),
  };
}

function errorMessage(data: Record<string, unknown>): string {
  if (typeof data.error === 'string') return data.error;
  if (typeof data.text === 'string') return data.text;
  return JSON.stringify(data);
}

const AI_SENDERS = new Set(['Machine', 'AI', 'Agent']);
const AI_SENDER_NAMES = new Set(['Agent', 'AI']);

async function* streamChunks(
  host: ResponsesHost,
  flow: ResponsesFlow,
  request: ResponsesRequest,
  options: ResponsesRunOptions,
  created: number,
): AsyncGenerator<string> {
  const id = options.sessionId;
  const chunk = (delta: Record<string, unknown>, status: 'completed' | null = null) => chunkLine(id, created, request.model, delta, status);
  yield chunk({ content: '' });
  const seenTools = new Set<string>();
  let toolCount = 0;
  // Text already sent: token deltas and the growing text of AI messages both count, so a
  // streamed answer is not repeated when its final message arrives.
  let sent = '';
  const toolLines = (calls: ToolCall[]): string[] => {
    const lines: string[] = [];
    for (const call of calls) {
      if (!call.name || call.output === null || call.output === undefined) continue;
      const signature = `${call.name}:${JSON.stringify(call.input)}`;
      if (seenTools.has(signature)) continue;
      seenTools.add(signature);
      toolCount += 1;
      lines.push(...toolCallEvents(call, toolCount, request.include));
    }
    return lines;
  };
  try {
    for await (const event of host.run(flow, options)) {
      if (event.event === 'end') {
        // A streamed agent message is announced before its tools run; its final content blocks
        // (and its text, when nothing streamed) arrive with the result.
        const result = (event.data as { result?: RunResponse }).result;
        if (result) {
          const { text, toolCalls } = extractOutput(result);
          yield* toolLines(toolCalls);
          if (!sent && text) {
            sent = text;
            yield chunk({ content: text });
          }
        }
        continue;
      }
      if (event.event === 'token') {
        const token = event.data.chunk;
        if (token) {
          sent += token;
          yield chunk({ content: token });
        }
        continue;
      }
      if (event.event === 'error') {
        yield `data: ${JSON.stringify(openaiError(errorMessage(event.data), 'processing_error'))}\n\n`;
        yield DONE_LINE;
        return;
      }
      if (event.event !== 'add_message') continue;
      const data = event.data as { sender?: string; sender_name?: string; text?: string; content_blocks?: unknown };
      yield* toolLines(toolCallsFromContentBlocks(data.content_blocks, true));
      const text = typeof data.text === 'string' ? data.text : '';
      if (!text || text === request.input || !AI_SENDERS.has(data.sender ?? '') || !AI_SENDER_NAMES.has(data.sender_name ?? '')) continue;
      const delta = text.startsWith(sent) ? text.slice(sent.length) : text;
      sent = text;
      if (delta) yield chunk({ content: delta });
    }
  } catch (error) {
    yield `data: ${JSON.stringify(openaiError(error instanceof Error ? error.message : String(error), 'processing_error'))}\n\n`;
    yield DONE_LINE;
    return;
  }
  yield chunk({}, 'completed');
  yield DONE_LINE;
}
