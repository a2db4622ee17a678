import { pythonJson } from '../../engine/events.js';
import type { RunResponse } from '../../engine/run.js';

/** Body of `POST /api/v1/responses` (Langflow's `OpenAIResponsesRequest`). */
export interface ResponsesRequest {
  model: string;
  input: string;
  stream?: boolean;
  background?: boolean;
  tools?: unknown[] | null;
  previous_response_id?: string | null;
  include?: string[] | null;
}

export type ResponsesErrorType = 'invalid_request_error' | 'processing_error';

export interface ResponsesError {
  error: { message: string; type: ResponsesErrorType; code?: string };
}

/** Langflow's `create_openai_error` (the `code` key only when there is one). */
export function openaiError(message: string, type: ResponsesErrorType, code?: string): ResponsesError {
  return { error: code ? { message, type, code } : { message, type } };
}

/** One tool call an agent made, read from its message's "Agent Steps" content block. */
export interface ToolCall {
  name: string;
  input: unknown;
  output: unknown;
}

/** `tool_use` contents of a message's content blocks (only "Agent Steps" when `agentStepsOnly`). */
export function toolCallsFromContentBlocks(blocks: unknown, agentStepsOnly = false): ToolCall[] {
  const calls: ToolCall[] = [];
  if (!Array.isArray(blocks)) return calls;
  for (const block of blocks) {
    if (!block || typeof block !== 'object') continue;
    const { title, contents } = block as { title?: unknown; contents?: unknown };
    if (agentStepsOnly && title !== 'Agent Steps') continue;
    if (!Array.isArray(contents)) continue;
    for (const content of contents) {
      if (!content || typeof content !== 'object') continue;
      const step = content as { type?: unknown; name?: unknown; tool_input?: unknown; output?: unknown };
      if (step.type !== 'tool_use') continue;
      calls.push({ name: typeof step.name === 'string' ? step.name : '', input: step.tool_input ?? {}, output: step.output ?? null });
    }
  }
  return calls;
}

/** The chat output's text and the agent's tool calls, read from a RunResponse as Langflow does. */
export function extractOutput(result: RunResponse): { text: string; toolCalls: ToolCall[] } {
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const run of result.outputs) {
    for (const output of run.outputs) {
      if (!output) continue;
      for (const message of output.messages ?? []) {
        if ('message' in message) {
          text = textOf(message.message);
          break;
        }
      }
      if (!text) {
        for (const value of Object.values(output.results ?? {})) {
          if (typeof value === 'string') {
            text = value;
            break;
          }
          if (value && typeof value === 'object' && typeof (value as { text?: unknown }).text === 'string') {
            text = (value as { text: string }).text;
            break;
          }
        }
      }
      const message = output.results?.message as { content_blocks?: unknown } | undefined;
      toolCalls.push(...toolCallsFromContentBlocks(message?.content_blocks));
      if (text) break;
    }
    if (text) break;
  }
  return { text, toolCalls };
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Python's `json.dumps` of a tool input, as Langflow puts it into `arguments`. */
function argumentsOf(input: unknown): string {
  return input === null || input === undefined ? '{}' : pythonJson(input);
}

export interface ResponseBodyOptions {
  id: string;
  createdAt: number;
  model: string;
  text: string;
  toolCalls: ToolCall[];
  previousResponseId: string | null;
  include?: string[] | null;
}

/** Langflow's `OpenAIResponsesResponse` for a finished run. */
export function responseBody(options: ResponseBodyOptions): Record<string, unknown> {
  const includeResults = options.include?.includes('tool_call.results') ?? false;
  const output: Record<string, unknown>[] = options.toolCalls.map((call, i) =>
    includeResults
      ? {
          id: `${call.name}_${i + 1}`,
          queries: call.input && typeof call.input === 'object' && !Array.isArray(call.input) ? Object.values(call.input) : [String(call.input)],
          status: 'completed',
          tool_name: call.name,
          type: 'tool_call',
          results: call.output ?? [],
        }
      : { id: `fc_${i + 1}`, type: 'function_call', status: 'completed', name: call.name, arguments: argumentsOf(call.input) },
  );
  output.push({
    type: 'message',
    id: `msg_${options.id}`,
    status: 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', text: options.text, annotations: [] }],
  });
  return {
    id: options.id,
    object: 'response',
    created_at: options.createdAt,
    status: 'completed',
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model: options.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: options.previousResponseId,
    reasoning: { effort: null, summary: null },
    store: true,
    temperature: 1.0,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1.0,
    truncation: 'disabled',
    usage: null,
    user: null,
    metadata: {},
  };
}

/** `data: <OpenAIResponsesStreamChunk as compact JSON>` plus the blank line. */
export function chunkLine(id: string, created: number, model: string, delta: Record<string, unknown>, status: 'completed' | null = null): string {
  return `data: ${JSON.stringify({ id, object: 'response.chunk', created, model, delta, status })}\n\n`;
}

/** A named SSE event with a Python-`json.dumps`-spaced payload, as Langflow writes tool-call events. */
export function namedEvent(name: string, payload: Record<string, unknown>): string {
  return `event: ${name}\ndata: ${pythonJson(payload)}\n\n`;
}

export const DONE_LINE = 'data: [DONE]\n\n';

/** The four SSE events Langflow sends for one agent tool call (`n` counts calls from 1). */
export function toolCallEvents(call: ToolCall, n: number, include?: string[] | null): string[] {
  const callId = `call_${n}`;
  const itemId = `fc_${n}`;
  const args = argumentsOf(call.input);
  const done = include?.includes('tool_call.results')
    ? {
        type: 'response.output_item.done',
        item: { id: `${call.name}_${itemId}`, inputs: call.input, status: 'completed', type: 'tool_call', tool_name: call.name, results: call.output },
        output_index: 0,
        sequence_number: n + 5,
      }
    : { type: 'response.output_item.done', item: { id: itemId, type: 'function_call', status: 'completed', arguments: args, call_id: callId, name: call.name } };
  return [
    namedEvent('response.output_item.added', {
      type: 'response.output_item.added',
      item: { id: itemId, type: 'function_call', status: 'in_progress', name: call.name, arguments: '', call_id: callId },
    }),
    namedEvent('response.function_call_arguments.delta', { type: 'response.function_call_arguments.delta', delta: args, item_id: itemId, output_index: 0 }),
    namedEvent('response.function_call_arguments.done', { type: 'response.function_call_arguments.done', arguments: args, item_id: itemId, output_index: 0 }),
    namedEvent('response.output_item.done', done),
  ];
}
