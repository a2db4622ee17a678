import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { addUser, startTestServer, type TestServer, type TestUser } from '../../test-utils/api-server.js';
import { FlowBuilder } from '../../test-utils/flow-builder.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Fuzz finding: a `/run` input or session id holding U+0000 failed the run on PostgreSQL (its chat message
 * cannot be stored there) with a 500. It is a 422 naming the field; SQLite stores it and runs as before.
 */
for (const dialect of ['postgres', 'sqlite'] as const) {
  describe(`a NUL character in /run's input on ${dialect}`, () => {
    let server: TestServer;
    let owner: TestUser;
    let flowId: string;
    before(async () => {
      server = await startTestServer(dialect);
      owner = await addUser(server.database, 'nul');
      const flow = new FlowBuilder('Echo');
      flow.connect(flow.node('ChatInput', {}), 'message', flow.node('ChatOutput', {}), 'input_value');
      flowId = (await server.database.flows.create(owner.user.id, { name: 'Echo', data: flow.build().data as Json })).id;
    });
    after(() => server?.stop());

    for (const field of ['input_value', 'session_id']) {
      test(`in ${field}`, async () => {
        const body = { input_value: 'hello', session_id: 'session-1', [field]: 'a\u0000b' };
        const response = await server.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: owner.headers, json: body });
        if (dialect === 'postgres') {
          assert.equal(response.status, 422, response.text);
          const [item] = (response.body as Json).detail as Json[];
          assert.deepEqual(item.loc, ['body', field]);
          assert.match(item.msg, /NUL character/);
        } else {
          assert.equal(response.status, 200, response.text);
        }
        // The server still runs ordinary input.
        const ok = await server.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: owner.headers, json: { input_value: 'fine' } });
        assert.equal(ok.status, 200, ok.text);
      });
    }
  });
}
