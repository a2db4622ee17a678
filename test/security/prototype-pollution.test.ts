import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { prototypeKeys, startAttackTarget, type AttackTarget } from './api-surface.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Pen-test finding (HIGH): tweaks with a `__proto__` key reached Object.prototype through field assignment,
 * after which unrelated routes failed and the process exited. Every route that takes a body gets bodies with
 * `__proto__` and `constructor.prototype` keys, at the top and where user keys become object keys (tweaks,
 * flow templates, variables); the server (the test's own process) must keep a clean Object.prototype.
 */
describe('prototype pollution through request bodies', () => {
  let target: AttackTarget;
  const cleanKeys = prototypeKeys();
  before(async () => {
    target = await startAttackTarget();
  });
  after(async () => target?.server.stop());

  function pollutedBodies(nodeIds: string[]): string[] {
    const poison = '{"__proto__": {"polluted": "yes", "value": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}';
    const perNode = nodeIds.map((id) => `"${id}": {"__proto__": {"polluted": "yes"}, "template": {"__proto__": {"polluted": "yes"}}}`).join(', ');
    const node = `{"id": "ChatInput-pp", "data": {"id": "ChatInput-pp", "type": "ChatInput", "node": {"template": {"__proto__": {"value": "yes"}, "input_value": {"value": "x"}}}}}`;
    return [
      '{"__proto__": {"polluted": "yes"}}',
      '{"constructor": {"prototype": {"polluted": "yes"}}}',
      '{"\\u005f_proto__": {"polluted": "yes"}}',
      `{"input_value": "hi", "name": "pp", "value": "v", "tweaks": {${perNode}, "__proto__": {"polluted": "yes"}}}`,
      `{"name": "pp flow", "data": {"nodes": [${node}], "edges": []}, "inputs": ${poison}, "globals": ${poison}}`,
      `[${poison}]`,
    ];
  }

  test('no body on any route reaches Object.prototype, and the server stays healthy', async () => {
    const writing = target.operations.filter((op) => ['POST', 'PUT', 'PATCH'].includes(op.method) || op.mediaTypes.includes('application/json'));
    assert.ok(writing.length > 30, `the OpenAPI document lists the writing routes (${writing.length})`);
    for (const operation of writing) {
      for (const body of pollutedBodies(target.canary.nodeIds)) {
        const response = await fetch(target.server.url + target.urlFor(operation), {
          method: operation.method,
          headers: { ...target.headers, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(20_000),
        });
        const text = await response.text();
        const where = `${operation.method} ${operation.path} with ${body.slice(0, 80)}`;
        assert.ok(response.status < 500, `${where}: ${response.status} ${text.slice(0, 300)}`);
        assert.deepEqual(prototypeKeys(), cleanKeys, `${where} changed Object.prototype`);
        assert.equal(({} as Json).polluted, undefined, where);
      }
    }
    await target.assertIntact();
  });

  test('a tweak with a __proto__ key is refused with a FastAPI-shaped 422', async () => {
    const [chatInput] = target.canary.nodeIds;
    const response = await target.server.call(`/api/v1/run/${target.canary.flowId}`, {
      method: 'POST',
      headers: { ...target.headers, 'content-type': 'application/json' },
      body: `{"input_value": "hi", "tweaks": {"${chatInput}": {"__proto__": {"value": "yes"}}}}`,
    });
    assert.equal(response.status, 422, response.text);
    const [item] = (response.body as Json).detail as Json[];
    assert.deepEqual(item.loc, ['body', 'tweaks', chatInput, '__proto__']);
    assert.equal(item.type, 'value_error');
    assert.deepEqual(prototypeKeys(), cleanKeys);
  });

  test('form fields and uploaded flow files named __proto__ are refused too', async () => {
    const login = await target.server.call('/api/v1/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '__proto__=x&username=langflow&password=langflow',
    });
    assert.equal(login.status, 422, login.text);
    const form = new FormData();
    form.append('file', new Blob(['{"name": "pp", "data": {"nodes": [], "edges": []}, "__proto__": {"polluted": "yes"}}']), 'pp.json');
    const upload = await target.server.call('/api/v1/flows/upload/', { method: 'POST', headers: target.headers, body: form });
    assert.equal(upload.status, 422, upload.text);
    assert.deepEqual(prototypeKeys(), cleanKeys);
    await target.assertIntact();
  });
});
