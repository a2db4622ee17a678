import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { TestServer } from '../../test-utils/api-server.js';
import { browserSkip, launchBrowser, openPage, screenshot, startUiServer } from '../../test-utils/browser.js';
import { LlmStandin } from '../../test-utils/llm-standin.js';
import { startersSkip } from '../../test-utils/paths.js';
import { assertAccessible, chatFlow } from './playground-helpers.js';

const SUPERUSER = { LANGFLOW_SUPERUSER: 'owner', LANGFLOW_SUPERUSER_PASSWORD: 'owner-password-1' };

// The shareable playground (/playground/{id}): a signed-out visitor chats with a PUBLIC flow through
// Langflow's public-flow routes, and the same visitor is refused everywhere else.
describe('the shareable playground of a public flow', { skip: browserSkip.skip || startersSkip.skip }, () => {
  let browser: Browser;
  let server: TestServer;
  let standin: LlmStandin;
  let token: string;
  let publicId: string;
  let privateId: string;

  before(async () => {
    standin = await new LlmStandin().start();
    [browser, server] = await Promise.all([launchBrowser(), startUiServer({ LANGFLOW_AUTO_LOGIN: 'false', ...SUPERUSER, OPENAI_BASE_URL: standin.baseUrl, OPENAI_API_KEY: 'unused', LANGFLOW_ALLOWED_HOSTS: '127.0.0.1' })]);
    const login = await server.call('/api/v1/login', { method: 'POST', body: new URLSearchParams({ username: SUPERUSER.LANGFLOW_SUPERUSER, password: SUPERUSER.LANGFLOW_SUPERUSER_PASSWORD }) });
    assert.equal(login.status, 200, login.text);
    token = (login.body as { access_token: string }).access_token;
    const create = async (name: string, access: string) => {
      const answer = await server.call('/api/v1/flows/', { method: 'POST', headers: { authorization: `Bearer ${token}` }, json: { name, data: chatFlow(true), access_type: access } });
      assert.equal(answer.status, 201, answer.text);
      return (answer.body as { id: string }).id;
    };
    publicId = await create('Shared chat', 'PUBLIC');
    privateId = await create('Private chat', 'PRIVATE');
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await standin?.close();
  });

  test('a signed-out visitor chats with the public flow; the answer streams in', async () => {
    standin.enqueue({ text: 'Hello visitor', chunks: ['Hello ', 'visitor'], chunkDelayMs: 100 });
    const { context, page, errors } = await openPage(browser, server, `/playground/${publicId}`);
    await page.getByText('Shared chat').waitFor();
    await page.getByLabel('Message', { exact: true }).fill('Hi there');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('[data-testid="chat-message"][data-sender="Machine"]', { hasText: 'Hello visitor' }).waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('[data-testid="chat-message"][data-sender="User"]').innerText().then((t) => t.includes('Hi there')), true);
    assert.equal(standin.chatRequests.length, 1);
    assert.match(JSON.stringify(standin.chatRequests[0].body.messages), /Hi there/);
    // No history controls for a visitor: nothing there to edit or delete.
    assert.equal(await page.getByRole('button', { name: /^Edit/ }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Rename session/ }).count(), 0);
    assert.ok((await context.cookies()).some((c) => c.name === 'client_id'), 'the visitor id cookie is set');
    await screenshot(page, 'playground-shared');
    await assertAccessible(page, 'shared playground');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('the same signed-out context is refused on every private route, and a private flow has no shared page', async () => {
    const { context, page } = await openPage(browser, server, `/playground/${publicId}`);
    await page.getByText('Shared chat').waitFor();
    const statuses = await page.evaluate(
      async ({ publicId, privateId }) => {
        const calls: [string, string, string?][] = [
          ['GET', '/api/v1/flows/'],
          ['GET', `/api/v1/flows/${privateId}`],
          ['GET', `/api/v1/flows/${publicId}`],
          ['PATCH', `/api/v1/flows/${publicId}`, '{"name":"taken"}'],
          ['DELETE', `/api/v1/flows/${publicId}`],
          ['POST', `/api/v1/build/${publicId}/flow`, '{}'],
          ['POST', `/api/v1/run/${publicId}`, '{"input_value":"x"}'],
          ['GET', `/api/v1/monitor/messages?flow_id=${publicId}`],
          ['GET', `/api/v1/monitor/messages/sessions?flow_id=${publicId}`],
          ['GET', '/api/v1/variables/'],
          ['GET', '/api/v1/api_key/'],
          ['GET', '/api/v1/users/'],
          ['GET', '/api/v1/users/whoami'],
          ['GET', '/api/v2/files/'],
          ['GET', '/api/v2/mcp/servers'],
          ['GET', '/api/v1/projects/'],
          ['GET', `/api/v1/monitor/transactions?flow_id=${publicId}`],
        ];
        const out: Record<string, number> = {};
        for (const [method, path, body] of calls) {
          const response = await fetch(path, { method, body, headers: body ? { 'content-type': 'application/json' } : {} });
          out[`${method} ${path}`] = response.status;
        }
        const privateBuild = await fetch(`/api/v1/build_public_tmp/${privateId}/flow`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
        out['POST build_public_tmp (private flow)'] = privateBuild.status;
        const privateRead = await fetch(`/api/v1/flows/public_flow/${privateId}`);
        out['GET public_flow (private flow)'] = privateRead.status;
        return out;
      },
      { publicId, privateId },
    );
    for (const [call, status] of Object.entries(statuses)) {
      if (call.includes('(private flow)')) assert.equal(status, 403, call);
      else assert.ok(status === 401 || status === 403, `${call} answered ${status}`);
    }
    await page.goto(`/playground/${privateId}`);
    await page.getByRole('heading', { name: 'This playground is not available' }).waitFor();
    await page.goto(`/flow/${publicId}`);
    await page.waitForURL(/\/login\?next=/);
    // The owner's flow is unchanged by the attempts above.
    const flow = await server.call(`/api/v1/flows/${publicId}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((flow.body as { name: string }).name, 'Shared chat');
    await context.close();
  });
});
