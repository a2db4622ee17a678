import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { bearer, createFlow, startTwoUsers, type TestUser, type TwoUsers } from './two-users.js';

/**
 * Attack: every build, webhook and v2 workflow shares one in-process queue. Alice filled every slot
 * with slow builds (here: API Requests to a server that does not answer), and Bob's one-step build
 * waited behind all of them (19.5 s in the penetration test). With a per-user limit Alice's excess
 * builds wait for her own slots while Bob's start at once. The same holds for the BullMQ workers of a
 * Redis deployment, where the limit spans every worker (they had no per-user limit at all).
 */
function starvationSuite(name: string, queueEnv: Record<string, string>, flood: number): void {
  describe(name, () => {
    let env: TwoUsers;
    const held: ServerResponse[] = [];
    let arrived = 0;
    const slow = createServer((_request, response) => {
      arrived++;
      held.push(response);
    });
    const perUser = 2;

    before(async () => {
      await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
      env = await startTwoUsers({ LANGFLOW_ALLOWED_HOSTS: '127.0.0.1', LANGFLOW_MAX_CONCURRENT_JOBS_PER_USER: String(perUser), ...queueEnv });
    });
    after(async () => {
      for (const response of held.splice(0)) response.end('{}');
      await env?.stop();
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
      if (queueEnv.LANGFLOW_REDIS_PREFIX) {
        const redis = new Redis(queueEnv.LANGFLOW_REDIS_URL);
        const keys = await redis.keys(`${queueEnv.LANGFLOW_REDIS_PREFIX}:*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
      }
    });

    async function startBuild(user: TestUser, flowId: string): Promise<string> {
      const response = await env.server.call(`/api/v1/build/${flowId}/flow`, { method: 'POST', headers: bearer(user), json: { inputs: { input_value: 'go' } } });
      assert.equal(response.status, 200, response.text);
      return (response.body as { job_id: string }).job_id;
    }

    test("Bob's build finishes while Alice's builds ask for more slots than there are", async () => {
      const { server, alice, bob } = env;
      const slowFlow = new FlowBuilder('Slow');
      const request = slowFlow.node('APIRequest', { url_input: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/hold`, method: 'GET', timeout: 120 });
      const sink = slowFlow.node('ChatOutput', {});
      slowFlow.connect(request, 'data', sink, 'input_value', ['Data']);
      const aliceFlow = (await createFlow(server, alice, { name: 'Slow', data: slowFlow.build().data })).id as string;

      const quick = new FlowBuilder('Quick');
      const input = quick.node('ChatInput', {});
      const output = quick.node('ChatOutput', {});
      quick.connect(input, 'message', output, 'input_value');
      const bobFlow = (await createFlow(server, bob, { name: 'Quick', data: quick.build().data })).id as string;

      for (let i = 0; i < flood; i++) await startBuild(alice, aliceFlow);
      const deadline = Date.now() + 5000;
      while (arrived < perUser && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(arrived >= perUser, "Alice's builds are running");

      const started = Date.now();
      const jobId = await startBuild(bob, bobFlow);
      const events = await fetch(`${server.url}/api/v1/build/${jobId}/events`, { headers: bearer(bob), signal: AbortSignal.timeout(8000) }).then((r) => r.text());
      assert.match(events, /"event": ?"end"/);
      assert.ok(Date.now() - started < 8000);
      assert.equal(arrived, perUser, `Alice runs ${perUser} builds at once, not ${arrived}`);
    });
  });
}

// More builds than the in-process queue runs at once (4 × CPUs, at least 4).
starvationSuite('attack: build queue starvation by one user (in-process queue)', {}, Math.max(4, availableParallelism() * 4) + 2);

// The distributed deployment: jobs on BullMQ, run by the server's worker (4 slots); the per-user limit holds across workers.
const REDIS_URL = process.env.WEFT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
starvationSuite('attack: build queue starvation by one user (Redis workers)', { LANGFLOW_REDIS_URL: REDIS_URL, LANGFLOW_REDIS_PREFIX: `weft-starve-${randomUUID()}`, LANGFLOW_WORKER_CONCURRENCY: '4' }, 6);
