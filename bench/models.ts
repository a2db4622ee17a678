import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlowBuilder } from '../test-utils/flow-builder.js';
import { startStandin, type RecordedRequest } from '../test-utils/llm-standin.js';
import { starterProjectsDir } from '../test-utils/paths.js';
import { freePort, waitFor200 } from './processes.js';
import type { BenchRow } from './table.js';

const root = new URL('../../', import.meta.url).pathname;
const TOKENS = 200;
const STREAM_RUNS = 30;
/** Streamed runs before measuring: the server is measured warm (V8 tiered up), as the server bench does. */
const STREAM_WARM_UP = 50;
/** Issue 16's goals: what Weft adds to the model's first token and to each further token. */
const TTFT_GOAL_MS = 3;
const PER_TOKEN_GOAL_US = 50;
const AGENT_RUNS = 20;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

interface StreamTiming {
  firstMs: number;
  totalMs: number;
  pieces: number;
}

/** Reads a streamed response; `isPiece` says whether a received text holds a token, counted by `count`. */
async function timeStream(response: Response, start: number, count: (text: string) => number): Promise<StreamTiming> {
  if (!response.ok || !response.body) throw new Error(`stream failed: ${response.status} ${await response.text()}`);
  const decoder = new TextDecoder();
  let firstMs = -1;
  let pieces = 0;
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    const cut = buffer.lastIndexOf('\n\n');
    if (cut < 0) continue;
    const n = count(buffer.slice(0, cut));
    buffer = buffer.slice(cut + 2);
    if (n > 0 && firstMs < 0) firstMs = performance.now() - start;
    pieces += n;
  }
  return { firstMs, totalMs: performance.now() - start, pieces };
}

const countOpenAiDeltas = (text: string) => text.split('\n').filter((l) => l.startsWith('data: {') && /"content":"[^"]/.test(l)).length;
const countTokenEvents = (text: string) => text.split('\n\n').filter((e) => e.includes('"event": "token"') || e.includes('"event":"token"')).length;

function streamingFlow() {
  const flow = new FlowBuilder('bench stream');
  const input = flow.node('ChatInput', {});
  const model = flow.node('LanguageModelComponent', { model: [{ name: 'gpt-4o-mini', provider: 'OpenAI' }], stream: true });
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', model, 'input_value').connect(model, 'text_output', output, 'input_value');
  return { name: 'bench stream', data: flow.build().data };
}

/**
 * Models through a real `weft serve` (child process) against the OpenAI-protocol stand-in (this process):
 * streaming time to first token and per-token cost through `/run?stream=true` beside reading the stand-in
 * directly, and an agent turn with two scripted tool calls beside the stand-in's own time for the same
 * three model calls.
 */
export async function modelsBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const standin = await startStandin();
  const words = Array.from({ length: TOKENS }, (_, i) => `w${i} `);
  const configDir = mkdtempSync(join(tmpdir(), 'weft-bench-models-'));
  const port = await freePort();
  const env = { ...process.env, LANGFLOW_CONFIG_DIR: configDir, LANGFLOW_PORT: String(port), LANGFLOW_HOST: '127.0.0.1', LANGFLOW_LOG_LEVEL: 'error' };
  const weft = spawn(process.execPath, [join(root, 'bin', 'weft.js'), 'serve'], { env, stdio: 'ignore' });
  try {
    await waitFor200(`http://127.0.0.1:${port}/health`, 15000);
    const base = `http://127.0.0.1:${port}/api/v1`;
    const token = ((await (await fetch(`${base}/auto_login`)).json()) as { access_token: string }).access_token;
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const key = ((await (await fetch(`${base}/api_key/`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'bench' }) })).json()) as { api_key: string }).api_key;
    const createFlow = async (flow: unknown) => ((await (await fetch(`${base}/flows/`, { method: 'POST', headers: auth, body: JSON.stringify(flow) })).json()) as { id: string }).id;
    await fetch(`${base}/models/default_model`, { method: 'POST', headers: auth, body: JSON.stringify({ model_name: 'gpt-4o-mini', provider: 'OpenAI', model_type: 'language' }) });
    const runHeaders = {
      'x-api-key': key,
      'content-type': 'application/json',
      'X-LANGFLOW-GLOBAL-VAR-OPENAI_API_KEY': 'sk-bench',
      'X-LANGFLOW-GLOBAL-VAR-OPENAI_BASE_URL': standin.baseUrl,
    };

    // Streaming: the same 200-token reply, read directly from the stand-in and through /run?stream=true.
    const streamId = await createFlow(streamingFlow());
    standin.respondWith(() => ({ text: words.join(''), chunks: words }));
    const direct: StreamTiming[] = [];
    const viaWeft: StreamTiming[] = [];
    for (let i = 0; i < STREAM_RUNS + STREAM_WARM_UP; i++) {
      let start = performance.now();
      const d = await timeStream(
        await fetch(`${standin.baseUrl}/chat/completions`, {
          method: 'POST',
          headers: { authorization: 'Bearer sk-bench', 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hello' }] }),
        }),
        start,
        countOpenAiDeltas,
      );
      start = performance.now();
      const w = await timeStream(
        await fetch(`${base}/run/${streamId}?stream=true`, { method: 'POST', headers: runHeaders, body: JSON.stringify({ input_value: 'hello' }) }),
        start,
        countTokenEvents,
      );
      if (w.pieces !== TOKENS || d.pieces !== TOKENS) throw new Error(`expected ${TOKENS} tokens, got ${w.pieces} via Weft and ${d.pieces} directly`);
      if (i >= STREAM_WARM_UP) {
        direct.push(d);
        viaWeft.push(w);
      }
    }
    const perToken = (t: StreamTiming) => (t.totalMs - t.firstMs) / (t.pieces - 1);
    const ttftWeft = median(viaWeft.map((t) => t.firstMs));
    const ttftDirect = median(direct.map((t) => t.firstMs));
    const perTokenWeft = median(viaWeft.map(perToken));
    const perTokenDirect = median(direct.map(perToken));
    rows.push({ bench: 'models', case: 'time to first token via /run?stream=true', value: ttftWeft, unit: 'ms', note: `stand-in directly ${ttftDirect.toFixed(2)} ms; Weft adds ${(ttftWeft - ttftDirect).toFixed(2)} ms (auth, flow load, run, model call); goal ≤ ${TTFT_GOAL_MS} ms added: ${ttftWeft - ttftDirect <= TTFT_GOAL_MS ? 'met' : 'not met'}` });
    rows.push({ bench: 'models', case: `per token via /run?stream=true (${TOKENS} tokens)`, value: perTokenWeft * 1000, unit: 'µs', note: `stand-in directly ${(perTokenDirect * 1000).toFixed(1)} µs; Weft adds ${((perTokenWeft - perTokenDirect) * 1000).toFixed(1)} µs per token; goal ≤ ${PER_TOKEN_GOAL_US} µs: ${(perTokenWeft - perTokenDirect) * 1000 <= PER_TOKEN_GOAL_US ? 'met' : 'not met'}` });

    // An agent turn: two calculator calls, then the answer. The stand-in's own time is the same three
    // model requests replayed against it directly.
    const simpleAgent = JSON.parse(readFileSync(join(starterProjectsDir, 'Simple Agent.json'), 'utf8')) as { name: string; data: unknown };
    const agentId = await createFlow({ name: simpleAgent.name, data: simpleAgent.data });
    standin.respondWith((request: RecordedRequest) => {
      const toolMessages = (request.body.messages as { role: string }[]).filter((m) => m.role === 'tool').length;
      if (toolMessages === 0) return { toolCalls: [{ name: 'evaluate_expression', arguments: { expression: '12*3' } }] };
      if (toolMessages === 1) return { toolCalls: [{ name: 'evaluate_expression', arguments: { expression: '36+6' } }] };
      return 'The answer is 42.';
    });
    const weftTimes: number[] = [];
    const standinTimes: number[] = [];
    for (let i = 0; i < AGENT_RUNS + 2; i++) {
      standin.requests.length = 0;
      let start = performance.now();
      const response = await fetch(`${base}/run/${agentId}`, { method: 'POST', headers: runHeaders, body: JSON.stringify({ input_value: 'What is (12*3)+6?' }) });
      const text = await response.text();
      const weftMs = performance.now() - start;
      if (!response.ok || !text.includes('The answer is 42.')) throw new Error(`agent run failed: ${response.status} ${text.slice(0, 300)}`);
      const calls = standin.chatRequests.map((r) => r.body);
      if (calls.length !== 3) throw new Error(`expected 3 model calls, saw ${calls.length}`);
      start = performance.now();
      for (const body of calls) {
        const replay = await fetch(`${standin.baseUrl}/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer sk-bench', 'content-type': 'application/json' }, body: JSON.stringify(body) });
        await replay.text();
      }
      const standinMs = performance.now() - start;
      if (i >= 2) {
        weftTimes.push(weftMs);
        standinTimes.push(standinMs);
      }
    }
    const agentWeft = median(weftTimes);
    const agentStandin = median(standinTimes);
    rows.push({ bench: 'models', case: 'agent turn, 2 tool calls + answer (Simple Agent, /run)', value: agentWeft, unit: 'ms', note: `stand-in time for the same 3 calls ${agentStandin.toFixed(2)} ms; Weft overhead ${(agentWeft - agentStandin).toFixed(2)} ms` });
  } finally {
    weft.kill('SIGTERM');
    await standin.close();
    rmSync(configDir, { recursive: true, force: true });
  }
  return rows;
}
