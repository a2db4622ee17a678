import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startAttackTarget, type AttackTarget } from './api-surface.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Pen-test finding (MEDIUM): `/run/advanced` iterated a string `inputs` and ran the flow once per
 * character (a 10 kB string: 10,000 runs). Langflow's pydantic body answers 422 `list_type`.
 */
describe('/run/advanced with a string `inputs`', () => {
  let target: AttackTarget;
  before(async () => {
    target = await startAttackTarget();
  });
  after(async () => target?.server.stop());

  const advanced = (body: unknown) =>
    target.server.call(`/api/v1/run/advanced/${target.canary.flowId}`, { method: 'POST', headers: target.headers, json: body });

  test('is a 422 list_type and runs nothing', async () => {
    const before = ((await target.server.call('/api/v1/monitor/messages', { headers: target.headers })).body as Json[]).length;
    const response = await advanced({ inputs: 'x'.repeat(10_000) });
    assert.equal(response.status, 422, response.text.slice(0, 300));
    const [item] = (response.body as Json).detail as Json[];
    assert.deepEqual([item.type, item.loc, item.msg], ['list_type', ['body', 'inputs'], 'Input should be a valid list']);
    const afterwards = ((await target.server.call('/api/v1/monitor/messages', { headers: target.headers })).body as Json[]).length;
    assert.equal(afterwards, before, 'no run happened');
  });

  test('other wrongly shaped fields are 422s in pydantic shape; a list of inputs still runs', async () => {
    const wrong = await advanced({ inputs: ['hi', { input_value: 5, type: 'voice' }], outputs: 'ChatOutput', tweaks: [], session_id: 3 });
    assert.equal(wrong.status, 422, wrong.text);
    const items = ((wrong.body as Json).detail as Json[]).map((item) => `${item.type}@${item.loc.join('.')}`);
    assert.deepEqual(items, [
      'model_type@body.inputs.0',
      'string_type@body.inputs.1.input_value',
      'literal_error@body.inputs.1.type',
      'list_type@body.outputs',
      'dict_type@body.tweaks',
      'string_type@body.session_id',
    ]);
    const ok = await advanced({ inputs: [{ components: [], input_value: 'two runs' }, { input_value: 'second' }] });
    assert.equal(ok.status, 200, ok.text);
    assert.equal((ok.body as Json).outputs.length, 2);
  });
});
