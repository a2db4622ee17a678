import type { ServerResponse } from 'node:http';
import { answerOf, splitWords, vectorFor, writeJson, type StandinReply } from './standin-reply.js';

/**
 * Ollama's native chat API (`POST /api/chat`): one JSON object, or with `stream` (Ollama's default)
 * newline-delimited JSON chunks ending in one with `done: true`. Tool calls carry their arguments as
 * an object, all at once, as Ollama sends them. Errors are `{"error": "..."}`, Ollama's shape.
 */
export function ollamaChat(res: ServerResponse, body: Record<string, unknown>, reply: StandinReply): void {
  const streaming = body.stream !== false;
  const answer = answerOf(reply);
  if (answer.kind === 'hang') {
    res.writeHead(200, { 'content-type': streaming ? 'application/x-ndjson' : 'application/json' });
    res.flushHeaders();
    return;
  }
  if (answer.kind === 'error') {
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify({ error: answer.message }));
    return;
  }
  const model = String(body.model ?? 'standin');
  const created_at = new Date().toISOString();
  const toolCalls = answer.toolCalls.map((call) => ({
    function: { name: call.name, arguments: typeof call.arguments === 'string' ? (JSON.parse(call.arguments) as Record<string, unknown>) : call.arguments },
  }));
  const counts = { prompt_eval_count: answer.usage.prompt_tokens, eval_count: answer.usage.completion_tokens };
  const final = { model, created_at, done: true, done_reason: 'stop', total_duration: 1000, ...counts };
  if (!streaming) {
    writeJson(res, 200, { ...final, message: { role: 'assistant', content: answer.text, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) } });
    return;
  }
  const lines: unknown[] = (answer.text ? (answer.chunks ?? splitWords(answer.text)) : []).map((piece) => ({ model, created_at, message: { role: 'assistant', content: piece }, done: false }));
  if (toolCalls.length > 0) lines.push({ model, created_at, message: { role: 'assistant', content: '', tool_calls: toolCalls }, done: false });
  lines.push({ ...final, message: { role: 'assistant', content: '' } });
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  void (async () => {
    for (const line of lines) {
      if (res.destroyed) return;
      res.write(JSON.stringify(line) + '\n');
      if (answer.chunkDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, answer.chunkDelayMs));
    }
    if (!res.destroyed) res.end();
  })();
}

/** Ollama's `POST /api/embed`: `{embeddings: [[...], ...]}` for a string or a list of strings. */
export function ollamaEmbed(res: ServerResponse, body: Record<string, unknown>): void {
  const input = Array.isArray(body.input) ? (body.input as unknown[]) : [body.input];
  writeJson(res, 200, { model: body.model, embeddings: input.map((text) => vectorFor(String(text))), total_duration: 1000, load_duration: 10, prompt_eval_count: input.length });
}
