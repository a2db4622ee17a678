import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startServer } from '../src/server.js';
import { loadSettings } from '../src/services/settings.js';
import { FlowBuilder } from '../test-utils/flow-builder.js';
import { medianMs, type BenchRow } from './table.js';

const RUNS = 300;

async function json(response: Response): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * What MCP `tools/call` and `POST /responses` add on top of `/run` for the same stored 3-node flow
 * (ChatInput → Prompt → ChatOutput). All go to one real Weft server (SQLite, loopback, API key auth),
 * and every run is recorded in the database alike (messages, vertex builds, transactions), so the
 * differences are the protocols' own cost.
 */
export async function protocolsBench(): Promise<BenchRow[]> {
  const configDir = mkdtempSync(join(tmpdir(), 'weft-bench-protocols-'));
  const server = await startServer(
    loadSettings({ LANGFLOW_CONFIG_DIR: configDir, LANGFLOW_HOST: '127.0.0.1', LANGFLOW_PORT: '0', LANGFLOW_SECRET_KEY: 'bench-secret-key' }),
    { handleSignals: false },
  );
  const base = server.url;
  const { access_token: token } = await json(await fetch(`${base}/api/v1/auto_login`));
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const { api_key: apiKey } = await json(await fetch(`${base}/api/v1/api_key/`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'bench' }) }));
  const project = await json(await fetch(`${base}/api/v1/projects/`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Bench' }) }));
  const flow = new FlowBuilder('bench echo');
  const input = flow.node('ChatInput', {});
  const prompt = flow.node('Prompt', { template: 'You said: {question}', question: '' });
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', prompt, 'question').connect(prompt, 'prompt', output, 'input_value');
  const stored = await json(await fetch(`${base}/api/v1/flows/`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ name: 'bench echo', data: flow.build().data, folder_id: project.id, mcp_enabled: true }),
  }));

  const headers = { 'x-api-key': apiKey, 'content-type': 'application/json' };
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/api/v1/mcp/project/${project.id}/streamable`), { requestInit: { headers: { 'x-api-key': apiKey } } }));

  const run = async () => {
    const r = await fetch(`${base}/api/v1/run/${stored.id}`, { method: 'POST', headers, body: JSON.stringify({ input_value: 'hello' }) });
    const body = (await r.json()) as { outputs: { outputs: { results: { message: { text: string } } }[] }[] };
    if (body.outputs[0].outputs[0].results.message.text !== 'You said: hello') throw new Error('unexpected /run answer');
  };
  const mcp = async () => {
    const result = await client.callTool({ name: 'bench_echo', arguments: { input_value: 'hello' } });
    if ((result.content as { text: string }[])[0].text !== 'You said: hello') throw new Error('unexpected tools/call answer');
  };
  const responses = async () => {
    const r = await fetch(`${base}/api/v1/responses`, { method: 'POST', headers, body: JSON.stringify({ model: stored.id, input: 'hello' }) });
    const body = (await r.json()) as { output: { content: { text: string }[] }[] };
    if (body.output[0].content[0].text !== 'You said: hello') throw new Error('unexpected /responses answer');
  };
  const responsesStream = async () => {
    const r = await fetch(`${base}/api/v1/responses`, { method: 'POST', headers, body: JSON.stringify({ model: stored.id, input: 'hello', stream: true }) });
    if (!(await r.text()).endsWith('data: [DONE]\n\n')) throw new Error('unexpected stream end');
  };

  const rows: BenchRow[] = [];
  try {
    for (const fn of [run, mcp, responses, responsesStream]) await medianMs(50, fn); // warm-up
    // Interleave rounds so drift (GC, JIT) hits every protocol alike.
    const samples = { run: [] as number[], mcp: [] as number[], responses: [] as number[], stream: [] as number[] };
    for (let round = 0; round < 3; round++) {
      samples.run.push(await medianMs(RUNS / 3, run));
      samples.mcp.push(await medianMs(RUNS / 3, mcp));
      samples.responses.push(await medianMs(RUNS / 3, responses));
      samples.stream.push(await medianMs(RUNS / 3, responsesStream));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const baseline = median(samples.run);
    const row = (name: string, ms: number, note: string): BenchRow => ({ bench: 'protocols', case: name, value: ms, unit: 'ms', note });
    const delta = (ms: number) => `${ms >= baseline ? '+' : ''}${(ms - baseline).toFixed(3)} ms vs /run`;
    rows.push(row('POST /api/v1/run: ChatInput→Prompt→ChatOutput (API key, SQLite)', baseline, `median of ${RUNS}, loopback, baseline`));
    rows.push(row('MCP tools/call, same flow (Streamable HTTP session)', median(samples.mcp), delta(median(samples.mcp))));
    rows.push(row('POST /responses, same flow', median(samples.responses), delta(median(samples.responses))));
    rows.push(row('POST /responses stream=true, same flow', median(samples.stream), `${delta(median(samples.stream))}; read to [DONE]`));
  } finally {
    await client.close();
    await server.close();
    rmSync(configDir, { recursive: true, force: true });
  }
  return rows;
}
