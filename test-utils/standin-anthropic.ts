import type { ServerResponse } from 'node:http';
import { answerOf, replyId, splitWords, writeJson, type StandinReply } from './standin-reply.js';

/**
 * Anthropic's Messages API (`POST /v1/messages`): a JSON message, or with `stream: true` the SSE events
 * `message_start`, `content_block_start/delta/stop` (text_delta, input_json_delta), `message_delta`,
 * `message_stop`. Errors use Anthropic's `{type: "error", error: {type, message}}` body.
 */
export function anthropicMessages(res: ServerResponse, body: Record<string, unknown>, reply: StandinReply): void {
  const answer = answerOf(reply);
  if (answer.kind === 'hang') {
    res.writeHead(200, { 'content-type': body.stream ? 'text/event-stream' : 'application/json' });
    res.flushHeaders();
    return;
  }
  if (answer.kind === 'error') {
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify({ type: 'error', error: { type: answer.type ?? errorTypeOf(answer.status), message: answer.message } }));
    return;
  }
  const id = `msg_${replyId(body)}`;
  const model = String(body.model ?? 'standin');
  const toolUses = answer.toolCalls.map((call, index) => ({
    type: 'tool_use' as const,
    id: call.id ?? `toolu_${index}_${id.slice(-6)}`,
    name: call.name,
    input: typeof call.arguments === 'string' ? (JSON.parse(call.arguments) as unknown) : call.arguments,
  }));
  const content = [...(answer.text ? [{ type: 'text' as const, text: answer.text }] : []), ...toolUses];
  const stopReason = toolUses.length > 0 ? 'tool_use' : 'end_turn';
  const usage = { input_tokens: answer.usage.prompt_tokens, output_tokens: answer.usage.completion_tokens };
  if (!body.stream) {
    writeJson(res, 200, { id, type: 'message', role: 'assistant', model, content, stop_reason: stopReason, stop_sequence: null, usage });
    return;
  }
  const events: [string, unknown][] = [
    ['message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input_tokens, output_tokens: 1 } } }],
  ];
  content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }]);
      for (const piece of answer.chunks ?? splitWords(block.text)) {
        events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } }]);
      }
    } else {
      events.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } }]);
      const json = JSON.stringify(block.input);
      const half = Math.ceil(json.length / 2);
      for (const part of [json.slice(0, half), json.slice(half)]) {
        events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: part } }]);
      }
    }
    events.push(['content_block_stop', { type: 'content_block_stop', index }]);
  });
  events.push(['message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } }]);
  events.push(['message_stop', { type: 'message_stop' }]);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  void (async () => {
    for (const [name, data] of events) {
      if (res.destroyed) return;
      res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
      if (answer.chunkDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, answer.chunkDelayMs));
    }
    if (!res.destroyed) res.end();
  })();
}

function errorTypeOf(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  return status >= 500 ? 'api_error' : 'invalid_request_error';
}
