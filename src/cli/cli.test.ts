import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { freePort, waitFor200 } from '../../bench/processes.js';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { standinForTests } from '../../test-utils/llm-standin.js';
import { repoRoot } from '../../test-utils/paths.js';

// These start `bin/weft.js` as a user does: it runs the bundle (dist/bundle) that `npm test` and
// `npm run build` produce, so the shipped artifact itself is what is tested.
const BIN = join(repoRoot, 'bin', 'weft.js');
const dir = mkdtempSync(join(tmpdir(), 'weft-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function weft(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function echoFlow() {
  const flow = new FlowBuilder('cli echo');
  const input = flow.node('ChatInput', {});
  const prompt = flow.node('Prompt', { template: 'You said: {question}', question: '' });
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', prompt, 'question').connect(prompt, 'prompt', output, 'input_value');
  return { flow: flow.build(), promptId: prompt };
}

function writeFlow(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

const standin = standinForTests();

describe('weft run', () => {
  const { flow, promptId } = echoFlow();
  const flowPath = writeFlow('echo.json', flow);

  test('--help lists the commands', async () => {
    const { code, stdout } = await weft(['--help']);
    assert.equal(code, 0);
    for (const command of ['run', 'serve', 'worker']) assert.match(stdout, new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  test('prints the chat output text', async () => {
    const { code, stdout, stderr } = await weft(['run', flowPath, '--input', 'hello']);
    assert.equal(code, 0, stderr);
    assert.equal(stdout, 'You said: hello\n');
  });

  test('--trace prints a one-line summary of the trace on stderr', async () => {
    const { code, stdout, stderr } = await weft(['run', flowPath, '--input', 'hello', '--trace']);
    assert.equal(code, 0, stderr);
    assert.equal(stdout, 'You said: hello\n');
    assert.match(stderr, /^trace [0-9a-f-]{36}: ok, 3 spans, \d+ ms, 0 tokens \(0 model calls, 0 tool calls\)\n$/);
  });

  test('--tweaks by node id and --json print the whole RunResponse', async () => {
    const tweaks = JSON.stringify({ [promptId]: { template: 'Echo: {question}' } });
    const { code, stdout, stderr } = await weft(['run', flowPath, '--input', 'x', '--tweaks', tweaks, '--session', 's-1', '--json']);
    assert.equal(code, 0, stderr);
    const response = JSON.parse(stdout) as { session_id: string; outputs: { inputs: { input_value: string }; outputs: { results: { message: { text: string } } }[] }[] };
    assert.equal(response.session_id, 's-1');
    assert.deepEqual(response.outputs[0].inputs, { input_value: 'x' });
    assert.equal(response.outputs[0].outputs[0].results.message.text, 'Echo: x');
  });

  test("the environment through the settings alone: the providers' key and base URL, allow-listed load_from_db names (credentials never as text); no config dir made", async () => {
    const configDir = join(dir, 'never-created');
    const model = new FlowBuilder('cli model');
    const input = model.node('ChatInput', {});
    const llm = model.node('LanguageModelComponent', { model: [{ name: 'gpt-4o-mini', provider: 'OpenAI', metadata: { model_class: 'ChatOpenAI' } }], stream: false });
    const output = model.node('ChatOutput', {});
    model.connect(input, 'message', llm, 'input_value').connect(llm, 'text_output', output, 'input_value');
    standin.enqueue('from the stand-in');
    const env = { LANGFLOW_CONFIG_DIR: configDir, OPENAI_API_KEY: 'sk-cli-env', OPENAI_BASE_URL: standin.baseUrl, ANTHROPIC_API_KEY: 'listed-key', OLLAMA_BASE_URL: 'http://listed.example:11434', LANGFLOW_SUPERUSER_PASSWORD: 'server-secret' };
    const ran = await weft(['run', writeFlow('model.json', model.build()), '--input', 'hi', '--trace'], env);
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(ran.stdout, 'from the stand-in\n');
    assert.match(ran.stderr, /: ok, 4 spans, \d+ ms, 15 tokens \(1 model call, 0 tool calls\)$/m, 'the stand-in reports 10 + 5 tokens');
    assert.equal(standin.chatRequests[0].headers.authorization, 'Bearer sk-cli-env');

    const reader = new FlowBuilder('cli variables');
    for (const name of ['OLLAMA_BASE_URL', 'ANTHROPIC_API_KEY', 'LANGFLOW_SUPERUSER_PASSWORD']) {
      const text = reader.node('TextInput', { input_value: name }, { fieldMeta: { input_value: { load_from_db: true } } });
      reader.connect(text, 'text', reader.node('TextOutput', {}), 'input_value');
    }
    const read = await weft(['run', writeFlow('variables.json', reader.build()), '--output-type', 'text'], env);
    assert.equal(read.code, 0, read.stderr);
    assert.match(read.stdout, /^http:\/\/listed\.example:11434$/m, 'an allow-listed name resolves');
    // A credential reaches a model's key field only, never text a flow prints or sends (docs/security.md).
    assert.doesNotMatch(read.stdout, /listed-key/, 'an allow-listed credential is not text');
    assert.doesNotMatch(read.stdout, /server-secret/, "the server's own setting does not");
    assert.ok(!existsSync(configDir), 'weft run FLOW.json creates no config dir');
  });

  test('failures exit non-zero with one clear line', async () => {
    const unknown = structuredClone(flow) as { data: { nodes: { data: { type: string } }[] } };
    unknown.data.nodes[1].data.type = 'NoSuchComponent';
    const cases: [string[], RegExp][] = [
      [['run', join(dir, 'missing.json')], /missing\.json/],
      [['run', flowPath, '--tweaks', '[1]'], /--tweaks must be a JSON object/],
      [['run', writeFlow('unknown.json', unknown)], /NoSuchComponent/],
      [['run', writeFlow('broken.json', 'not a flow')], /flow/i],
    ];
    for (const [args, pattern] of cases) {
      const { code, stdout, stderr } = await weft(args);
      assert.notEqual(code, 0, args.join(' '));
      assert.equal(stdout, '');
      const lines = stderr.trim().split('\n');
      assert.equal(lines.length, 1, `one line for ${args.join(' ')}: ${stderr}`);
      assert.match(lines[0], pattern);
      assert.doesNotMatch(stderr, /\n\s*at /, 'no stack trace');
    }
  });
});

describe('weft serve', () => {
  test('serves the API from a fresh config dir, with Prometheus metrics and OTLP export from the bundle; SIGTERM closes it (flushing the export)', async () => {
    const port = await freePort();
    const metricsPort = await freePort();
    const exported: string[] = [];
    const collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        exported.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    after(() => collector.close());
    const configDir = mkdtempSync(join(dir, 'config-'));
    const env = {
      ...process.env,
      LANGFLOW_CONFIG_DIR: configDir,
      LANGFLOW_PORT: String(port),
      LANGFLOW_HOST: '127.0.0.1',
      LANGFLOW_PROMETHEUS_ENABLED: 'true',
      LANGFLOW_PROMETHEUS_PORT: String(metricsPort),
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
    };
    const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor200(`${base}/health`, 30_000);
      const token = ((await (await fetch(`${base}/api/v1/auto_login`)).json()) as { access_token: string }).access_token;
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const created = await fetch(`${base}/api/v1/flows/`, { method: 'POST', headers, body: JSON.stringify({ name: 'served', data: echoFlow().flow.data }) });
      assert.equal(created.status, 201);
      const { id } = (await created.json()) as { id: string };
      const key = ((await (await fetch(`${base}/api/v1/api_key/`, { method: 'POST', headers, body: JSON.stringify({ name: 'cli' }) })).json()) as { api_key: string }).api_key;
      const run = await fetch(`${base}/api/v1/run/${id}`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify({ input_value: 'served' }) });
      assert.equal(run.status, 200);
      const body = (await run.json()) as { outputs: { outputs: { results: { message: { text: string } } }[] }[] };
      assert.equal(body.outputs[0].outputs[0].results.message.text, 'You said: served');
      assert.equal((await fetch(`${base}/docs`)).status, 200);
      assert.equal(((await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string }).openapi.slice(0, 2), '3.');
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      assert.match(metrics, new RegExp(`^weft_flow_runs_total\\{flow_id="${id}",outcome="ok"\\} 1$`, 'm'));
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0);
    assert.match(exported.join('\n'), /"name":"invoke_workflow served"/, 'the run’s trace was exported before the process exited');
  });
});
