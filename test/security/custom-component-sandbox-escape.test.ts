import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { bearer, startTwoUsers, type Json, type TestUser, type TwoUsers } from './two-users.js';

/**
 * Custom components (issue 17): a signed-in user's TypeScript runs in a QuickJS WebAssembly sandbox. Over real
 * HTTP, Alice's component tries the known ways out — prototype-chain escapes to `process`, host globals, the
 * server's environment and secret key, Bob's variables — and a spinning component must not stall the server
 * for Bob. Unit-level hostile cases: src/services/sandbox/sandbox.test.ts.
 */
let users: TwoUsers;
const BOB_SECRET = `bob-secret-${Math.random().toString(36).slice(2)}`;

before(async () => {
  users = await startTwoUsers({ WEFT_CUSTOM_COMPONENTS_TIMEOUT_MS: '2000' });
  const saved = await users.server.call('/api/v1/variables/', { method: 'POST', headers: bearer(users.bob), json: { name: 'BOB_SECRET', value: BOB_SECRET, type: 'Credential', default_fields: [] } });
  assert.equal(saved.status, 201, saved.text);
});
after(() => users.stop());

const PROBE = `import { component } from 'weft';
export default component({
  type: 'Probe', displayName: 'Probe',
  inputs: [{ name: 'stolen', kind: 'secret' }, { name: 'text', kind: 'text' }],
  outputs: [{ name: 'out', types: ['Message'] }],
  compute: {
    async out({ stolen }) {
      const found = {};
      const attempt = (name, fn) => { try { const v = fn(); found[name] = typeof v === 'object' && v ? Object.keys(v).slice(0, 50).join(',') : String(v); } catch (e) { found[name] = 'threw ' + e.message; } };
      attempt('escape', () => this.constructor.constructor('return process')());
      attempt('function', () => Function('return typeof process === "undefined" ? "none" : process.env')());
      attempt('require', () => Function('return require("fs")')());
      attempt('globals', () => Object.getOwnPropertyNames(globalThis).filter((n) => !/^[A-Z]/.test(n)).join(','));
      attempt('import', () => typeof globalThis.import);
      attempt('stolen', () => stolen);
      return JSON.stringify(found);
    },
  },
});
`;

async function customNode(user: TestUser, code: string): Promise<Json> {
  const built = await users.server.call('/api/v1/custom_component', { method: 'POST', headers: bearer(user), json: { code } });
  assert.equal(built.status, 200, built.text);
  return (built.body as Json).data as Json;
}

async function runCustom(user: TestUser, code: string, fields: Record<string, unknown> = {}): Promise<{ status: number; text: string; ms: number }> {
  const node = await customNode(user, code);
  const flow = new FlowBuilder('probe');
  const input = flow.node('ChatInput', {});
  const custom = flow.node('Probe', {});
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', custom, 'text').connect(custom, 'out', output, 'input_value');
  const json = flow.build();
  const body = structuredClone(node);
  for (const [name, patch] of Object.entries(fields)) Object.assign(body.template[name], patch);
  json.data!.nodes.find((n) => n.id === custom)!.data.node = body;
  const created = await users.server.call('/api/v1/flows/', { method: 'POST', headers: bearer(user), json: { name: `probe ${Math.random()}`, data: json.data } });
  assert.equal(created.status, 201, created.text);
  const started = Date.now();
  const ran = await users.server.call(`/api/v1/run/${(created.body as Json).id as string}`, { method: 'POST', headers: { 'x-api-key': user.key }, json: { input_value: 'go' } });
  return { status: ran.status, text: ran.text, ms: Date.now() - started };
}

test('custom component sandbox escape: no process, host globals, server secrets or another user\'s variables', async () => {
  const ran = await runCustom(users.alice, PROBE, { stolen: { value: 'BOB_SECRET', load_from_db: true } });
  assert.equal(ran.status, 200, ran.text);
  const message = JSON.parse(ran.text) as Json;
  const found = JSON.parse(message.outputs[0].outputs[0].results.message.text as string) as Record<string, string>;
  assert.match(found.escape, /^threw .*process.* is not defined/);
  assert.equal(found.function, 'none');
  assert.match(found.require, /^threw .*require.* is not defined/);
  for (const name of ['process', 'require', 'module', 'fetch', 'setTimeout', 'Buffer', '__weftHostFetch']) assert.ok(!found.globals.split(',').includes(name), `globalThis.${name}`);
  assert.equal(found.import, 'undefined');
  assert.notEqual(found.stolen, BOB_SECRET);
  for (const secret of [BOB_SECRET, users.server.secret, 'admin-pass']) assert.ok(!ran.text.includes(secret), 'a secret leaked');
});

test('custom component denial of service: a spinning component fails at its deadline and never stalls the server', async () => {
  const spin = PROBE.replace('const found = {};', 'while (true) {}\n      const found = {};');
  const spinning = runCustom(users.alice, spin);
  await new Promise((resolve) => setTimeout(resolve, 500));
  // While Alice's component spins, Bob is answered at once: the sandbox runs on worker threads.
  const started = Date.now();
  const version = await users.server.call('/api/v1/version', { headers: bearer(users.bob) });
  assert.equal(version.status, 200);
  assert.ok(Date.now() - started < 1000, `the event loop was held ${Date.now() - started} ms`);
  const ran = await spinning;
  assert.equal(ran.status, 500);
  assert.match(ran.text, /Custom component .*Probe.* exceeded its time limit \(2 s\)/);
  assert.ok(ran.ms < 8000);
  const bomb = await runCustom(users.alice, PROBE.replace('const found = {};', 'const a = []; for (;;) a.push(new ArrayBuffer(1 << 20));\n      const found = {};'));
  assert.match(bomb.text, /exceeded its memory limit \(32 MB\)/);
  assert.equal((await users.server.call('/health')).status, 200);
});
