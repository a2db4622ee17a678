import { addUser, startTestServer, type TestServer, type TestUser } from '../../test-utils/api-server.js';
import type { FlowJson } from '../../src/engine/flow-json.js';

/**
 * A multi-user server over real HTTP on loopback (AUTO_LOGIN off): an administrator, a regular user
 * (the attacker) and fetch helpers. The attacks of test/security/ on the host run against it.
 */
export interface HostHarness {
  h: TestServer;
  admin: TestUser;
  attacker: TestUser;
  call: TestServer['call'];
  /** Stores a flow for `owner`; returns its id. */
  addFlow(owner: TestUser, flow: FlowJson): Promise<string>;
  stop(): Promise<void>;
}

export async function startHostHarness(env: Record<string, string> = {}): Promise<HostHarness> {
  const h = await startTestServer('sqlite', { LANGFLOW_AUTO_LOGIN: 'false', ...env });
  const admin = await addUser(h.database, 'admin', { superuser: true });
  const attacker = await addUser(h.database, 'mallory');
  return {
    h,
    admin,
    attacker,
    call: (path, init) => h.call(path, init),
    async addFlow(owner, flow) {
      const stored = await h.database.flows.create(owner.user.id, { name: `${flow.name} ${Math.random().toString(36).slice(2, 8)}`, data: flow.data as unknown as Record<string, unknown> });
      return stored.id;
    },
    stop: () => h.stop(),
  };
}
