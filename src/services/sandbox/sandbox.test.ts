import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { readSettings } from '../settings.js';
import { CustomComponentError, Sandbox } from './sandbox.js';

/** A component with one output `out` computing `body` (the body of an async function of `params`). */
function component(body: string, top = ''): string {
  return `import { component } from 'weft';
${top}
export default component({
  type: 'Hostile', displayName: 'Hostile', inputs: [{ name: 'text', kind: 'text' }], outputs: [{ name: 'out', types: ['Message'] }],
  compute: { async out(params) { ${body} } },
});
`;
}

const settings = readSettings({ WEFT_CUSTOM_COMPONENTS_TIMEOUT_MS: '1500', WEFT_CUSTOM_COMPONENTS_MEMORY_MB: '16', WEFT_CUSTOM_COMPONENTS_MAX_OUTPUT_BYTES: '100000' }).customComponents;
const sandbox = new Sandbox(settings);
after(() => sandbox.close());

async function run(code: string, owner = 'alice', params: unknown = { text: 'hello' }): Promise<unknown> {
  return (await sandbox.run({ code, owner, component: 'Hostile', output: 'out', params, info: {} })).value;
}

async function failure(code: string, owner = 'alice'): Promise<CustomComponentError> {
  try {
    await run(code, owner);
  } catch (error) {
    assert.ok(error instanceof CustomComponentError, String(error));
    assert.match(error.message, /Custom component "Hostile"/);
    return error;
  }
  assert.fail('the run should have failed');
}

/** After each hostile run, an ordinary one still works: the sandbox (and so the server) is unaffected. */
async function healthy(): Promise<void> {
  assert.equal(await run(component('return params.text.toUpperCase();')), 'HELLO');
}

describe('sandbox: components that must work', () => {
  test('a text transformer, a Data → DataFrame converter, and copies both ways', async () => {
    assert.equal(await run(component('return params.text.split("").reverse().join("");')), 'olleh');
    const rows = await run(component('return DataFrame(params.items.map((d) => d.data));', "import { DataFrame } from 'weft';"), 'alice', {
      items: [{ data: { a: 1 } }, { data: { a: 2 } }],
    });
    assert.deepEqual(rows, { __weft: 'DataFrame', rows: [{ a: 1 }, { a: 2 }] });
    const params = { list: [1, 2] };
    await run(component('params.list.push(3); return params.list.length;'), 'alice', params);
    assert.deepEqual(params.list, [1, 2], 'the host object is untouched: parameters cross as copies');
  });

  test('TypeScript is stripped; imports other than weft are refused before anything runs', async () => {
    assert.equal(await run(component('const n: number = 2; return (params.text as string).repeat(n);')), 'hellohello');
    const refused = await failure(component('return fs.readFileSync("/etc/passwd", "utf8");', "import fs from 'node:fs';"));
    assert.match(refused.message, /may import only from 'weft'/);
    assert.equal(refused.failure, 'compile');
  });
});

describe('sandbox: hostile components fail cleanly and leave the sandbox healthy', () => {
  test('prototype-chain escapes reach no host object', async () => {
    const probes = [
      "return typeof this.constructor.constructor('return process')();",
      "return typeof (function(){}).constructor('return typeof process === \"undefined\" ? undefined : process')();",
      "return typeof ({}).constructor.constructor('return require')();",
      "return typeof (await Object.getPrototypeOf(async function(){}).constructor('return globalThis.process')());",
    ];
    for (const probe of probes) {
      const value = await run(component(`try { ${probe} } catch (e) { return 'threw ' + e.message; }`)).catch((e: Error) => e.message);
      assert.ok(value === 'undefined' || /threw|not defined/.test(String(value)), `${probe} → ${String(value)}`);
    }
    await healthy();
  });

  test('globalThis holds no host objects', async () => {
    const names = (await run(component('return Object.getOwnPropertyNames(globalThis).join(",");'))) as string;
    for (const host of ['process', 'require', 'module', 'Buffer', 'fetch', 'setTimeout', 'WebAssembly', '__weftHostFetch', 'import']) {
      assert.ok(!names.split(',').includes(host), `globalThis.${host} is not there`);
    }
    await healthy();
  });

  test('an infinite loop hits the time limit; a never-settling promise is reported at once', async () => {
    const started = Date.now();
    assert.equal((await failure(component('while (true) {}'))).failure, 'time');
    assert.match((await failure(component('for (;;) {}'))).message, /time limit \(1\.5 s\)/);
    assert.ok(Date.now() - started < 6000);
    const never = Date.now();
    assert.equal((await failure(component('return new Promise(() => {});'))).failure, 'never_settles');
    assert.ok(Date.now() - never < 1000, 'no waiting for a promise nothing can settle');
    await healthy();
  });

  test('unbounded recursion, a memory bomb and a huge output hit their limits', async () => {
    assert.equal((await failure(component('const f = (n) => f(n + 1) + 1; return f(0);'))).failure, 'stack');
    const bomb = await failure(component('const a = []; for (;;) a.push("x".repeat(1000) + a.length);'));
    assert.match(bomb.message, /memory limit \(16 MB\)/);
    const buffers = await failure(component('const a = []; for (;;) a.push(new ArrayBuffer(1 << 20));'));
    assert.equal(buffers.failure, 'memory', buffers.message);
    assert.equal((await failure(component('let s = "x"; for (;;) s += s;'))).failure, 'memory');
    assert.match((await failure(component('return "y".repeat(200000);'))).message, /output limit \(100000 bytes\)/);
    await healthy();
  });

  test('a returned value with a __proto__ key is refused', async () => {
    assert.match((await failure(component('return JSON.parse(\'{"__proto__": {"polluted": true}}\');'))).message, /unusable value/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('a throw of a non-Error, or of an object with a hostile toString', async () => {
    assert.match((await failure(component('throw 42;'))).message, /non-Error value was thrown: 42/);
    assert.match((await failure(component('throw { toString() { while (true) {} } };'))).message, /failed/);
    assert.match((await failure(component('throw null;'))).message, /null/);
    await healthy();
  });

  test('tampering with shared prototypes affects neither the next run nor another user', async () => {
    const tamper = component('Array.prototype.join = () => "pwned"; String.prototype.toUpperCase = () => "pwned"; JSON.stringify = () => "\\"pwned\\""; globalThis.leak = params.text; return "done";');
    await run(tamper, 'alice');
    assert.equal(await run(component('return [1, 2].join("-") + params.text.toUpperCase() + typeof globalThis.leak;'), 'alice'), '1-2HELLOundefined');
    assert.equal(await run(component('return [1, 2].join("-") + params.text.toUpperCase() + typeof globalThis.leak;'), 'bob'), '1-2HELLOundefined');
    // The same component again (a pre-warmed sandbox): still a fresh one.
    const counter = component('globalThis.count = (globalThis.count ?? 0) + 1; return globalThis.count;', 'globalThis.count = 0;');
    assert.deepEqual([await run(counter), await run(counter), await run(counter, 'bob')], [1, 1, 1]);
  });

  test('concurrent runs of several users all finish while one spins', async () => {
    const spinning = failure(component('while (true) {}'), 'mallory');
    const others = await Promise.all(['a', 'b', 'c', 'd'].map((owner) => run(component('return params.text + "!";'), owner)));
    assert.deepEqual(others, ['hello!', 'hello!', 'hello!', 'hello!']);
    assert.equal((await spinning).failure, 'time');
  });

  test('custom code disabled by one setting', async () => {
    const off = new Sandbox(readSettings({ WEFT_CUSTOM_COMPONENTS: 'false' }).customComponents);
    await assert.rejects(off.run({ code: component('return 1;'), owner: 'alice', component: 'Hostile', output: 'out', params: {}, info: {} }), /disabled/);
    await off.close();
  });
});
