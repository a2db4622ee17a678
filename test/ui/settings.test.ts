import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestServer } from '../../test-utils/api-server.js';
import { browserSkip, launchBrowser, screenshot, startUiServer, watchErrors } from '../../test-utils/browser.js';
import { LlmStandin } from '../../test-utils/llm-standin.js';
import { startersSkip } from '../../test-utils/paths.js';
import type { Json } from './editor-helpers.js';
import { assertAccessible, chatFlow } from './playground-helpers.js';

const ADMIN = { username: 'admin', password: 'admin-password-1' };
const SECRET = 'sk-credential-never-shown-7f3a';

// The settings pages against a real server with sign-in on: variables (a credential used by a flow and
// never seen again), API keys, MCP servers (Weft's own project server, its tools listed), files,
// profile, and the users page that only a superuser sees.
describe('settings', { skip: browserSkip.skip || startersSkip.skip }, () => {
  let browser: Browser;
  let server: TestServer;
  let standin: LlmStandin;
  let token: string;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  const auth = () => ({ authorization: `Bearer ${token}` });
  const section = (name: string) => page.goto(`/settings/${name}`);
  const a11y = (name: string) => assertAccessible(page, `settings ${name}`);

  async function signIn(ctx: BrowserContext, username: string, password: string): Promise<Page> {
    const p = await ctx.newPage();
    await p.goto('/login');
    await p.getByLabel('Username').fill(username);
    await p.getByLabel('Password').fill(password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.locator('.account .username', { hasText: username }).waitFor();
    return p;
  }

  before(async () => {
    standin = await new LlmStandin().start();
    [browser, server] = await Promise.all([
      launchBrowser(),
      startUiServer({ LANGFLOW_AUTO_LOGIN: 'false', LANGFLOW_SUPERUSER: ADMIN.username, LANGFLOW_SUPERUSER_PASSWORD: ADMIN.password, OPENAI_BASE_URL: standin.baseUrl, LANGFLOW_ALLOWED_HOSTS: '127.0.0.1' }),
    ]);
    const login = await server.call('/api/v1/login', { method: 'POST', body: new URLSearchParams(ADMIN) });
    token = (login.body as { access_token: string }).access_token;
    context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    page = await signIn(context, ADMIN.username, ADMIN.password);
    errors = watchErrors(page);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await standin?.close();
  });

  test('a credential variable is created, used by a flow, and never visible again', async () => {
    await section('global-variables');
    const form = page.getByRole('form', { name: 'New variable' });
    await form.getByLabel('Name').fill('MY_OPENAI_KEY');
    await form.getByLabel('Type').selectOption('Credential');
    await form.getByLabel('Value').fill(SECRET);
    await form.getByRole('button', { name: 'Add variable' }).click();
    const row = page.getByRole('table', { name: 'Global variables' }).getByRole('row').filter({ hasText: 'MY_OPENAI_KEY' });
    await row.waitFor();
    assert.match(await row.innerText(), /••••••••/);
    // A generic one is shown, edited and deleted.
    await form.getByLabel('Name').fill('REGION');
    await form.getByLabel('Type').selectOption('Generic');
    await form.getByLabel('Value').fill('eu-west');
    await form.getByRole('button', { name: 'Add variable' }).click();
    await page.getByRole('cell', { name: 'eu-west' }).waitFor();
    await page.getByRole('button', { name: 'Edit REGION' }).click();
    await page.getByRole('form', { name: 'Edit variable REGION' }).getByLabel('Value').fill('us-east');
    await page.getByRole('button', { name: 'Save variable' }).click();
    await page.getByRole('cell', { name: 'us-east' }).waitFor();
    await page.getByRole('button', { name: 'Delete REGION' }).click();
    await page.getByRole('cell', { name: 'REGION', exact: true }).waitFor({ state: 'detached' });
    await screenshot(page, 'settings-variables');
    await a11y('variables');

    // A flow whose model key is the variable: the model server receives the secret.
    const data = chatFlow(false);
    const model = data.nodes.find((n) => n.data.type === 'LanguageModelComponent')!;
    Object.assign(model.data.node.template.api_key, { value: 'MY_OPENAI_KEY', load_from_db: true });
    const created = await server.call('/api/v1/flows/', { method: 'POST', headers: auth(), json: { name: 'Uses the credential', data } });
    const flowId = (created.body as { id: string }).id;
    const runKey = (await server.call('/api/v1/api_key/', { method: 'POST', headers: auth(), json: { name: 'run' } })).body as { api_key: string };
    const run = await server.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: { 'x-api-key': runKey.api_key }, json: { input_value: 'hi' } });
    assert.equal(run.status, 200, run.text);
    assert.equal(standin.chatRequests.at(-1)?.headers.authorization, `Bearer ${SECRET}`);
    const seen = [
      run.text,
      (await server.call('/api/v1/variables/', { headers: auth() })).text,
      (await server.call(`/api/v1/flows/${flowId}`, { headers: auth() })).text,
      (await server.call(`/api/v1/monitor/transactions?flow_id=${flowId}`, { headers: auth() })).text,
      (await server.call(`/api/v1/monitor/builds?flow_id=${flowId}`, { headers: auth() })).text,
      (await server.call('/api/v1/flows/download/', { method: 'POST', headers: auth(), json: [flowId] })).text,
      await page.content(),
    ];
    for (const text of seen) assert.ok(!text.includes(SECRET), `the secret leaked: ${text.slice(0, 200)}`);
  });

  test('API keys: created and shown once, listed masked with its use, deleted', async () => {
    await section('api-keys');
    await page.getByLabel('Key name').fill('ci key');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByTestId('new-api-key').inputValue();
    assert.match(key, /^sk-/);
    const used = await server.call('/api/v1/flows/', { headers: { 'x-api-key': key } });
    assert.equal(used.status, 200);
    await page.reload();
    const row = page.getByRole('table', { name: 'API keys' }).getByRole('row').filter({ hasText: 'ci key' });
    await row.waitFor();
    assert.ok(!(await page.content()).includes(key), 'the key is not shown again');
    assert.match(await row.innerText(), /\t1\t|\s1\s/);
    await screenshot(page, 'settings-api-keys');
    await a11y('api keys');
    await page.getByRole('button', { name: 'Delete key ci key' }).click();
    await row.waitFor({ state: 'detached' });
    assert.ok([401, 403].includes((await server.call('/api/v1/flows/', { headers: { 'x-api-key': key } })).status));
  });

  test("MCP servers: Weft's own project server added, its tools listed, edited, deleted", async () => {
    const projects = (await server.call('/api/v1/projects/', { headers: auth() })).body as { id: string }[];
    const projectId = projects[0].id;
    await server.call('/api/v1/flows/', { method: 'POST', headers: auth(), json: { name: 'Tool flow', data: chatFlow(false), folder_id: projectId, mcp_enabled: true, action_name: 'tool_flow', action_description: 'Answers' } });
    const key = (await server.call('/api/v1/api_key/', { method: 'POST', headers: auth(), json: { name: 'mcp' } })).body as { api_key: string };
    await section('mcp-servers');
    const form = page.getByRole('form', { name: 'New MCP server' });
    await form.getByLabel('Name', { exact: true }).fill('weft-self');
    await form.getByLabel('Transport').selectOption('streamablehttp');
    await form.getByLabel('URL').fill(`${server.url}/api/v1/mcp/project/${projectId}/streamable`);
    await form.getByLabel('Headers (Name: value per line)').fill(`x-api-key: ${key.api_key}`);
    await form.getByRole('button', { name: 'Add server' }).click();
    const tools = page.getByRole('list', { name: 'Tools of weft-self' });
    await tools.waitFor({ timeout: 20_000 });
    assert.match(await tools.innerText(), /tool_flow/);
    await screenshot(page, 'settings-mcp-servers');
    await a11y('mcp servers');
    await page.getByRole('button', { name: 'Edit weft-self' }).click();
    const edit = page.getByRole('form', { name: 'Edit server weft-self' });
    assert.equal(await edit.getByLabel('URL').inputValue(), `${server.url}/api/v1/mcp/project/${projectId}/streamable`);
    await edit.getByLabel('Headers (Name: value per line)').fill('x-api-key: sk-wrong');
    await edit.getByRole('button', { name: 'Save server' }).click();
    await page.getByTestId('mcp-server').locator('.field-error').waitFor({ timeout: 20_000 });
    const stored = (await server.call('/api/v2/mcp/servers/weft-self', { headers: auth() })).body as Json;
    assert.deepEqual(stored.headers, { 'x-api-key': 'sk-wrong' });
    await page.getByRole('button', { name: 'Delete weft-self' }).click();
    await page.getByTestId('mcp-server').waitFor({ state: 'detached' });
    assert.equal((await server.call('/api/v2/mcp/servers/weft-self', { headers: auth() })).text, 'null');
  });

  test('files: upload with progress, size, rename, download, select several and delete', async () => {
    await section('files');
    await page.getByLabel('Upload files').setInputFiles([
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello notes') },
      { name: 'data.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n') },
    ]);
    const rows = page.getByTestId('file-row');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="file-row"]').length === 2);
    const notes = rows.filter({ hasText: 'notes.txt' });
    assert.match(await notes.innerText(), /11 B/);
    await page.getByRole('button', { name: 'Rename notes' }).click();
    await page.getByLabel('New name for notes').fill('renamed');
    await page.getByRole('button', { name: 'Save' }).click();
    await rows.filter({ hasText: 'renamed.txt' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download renamed' }).click()]);
    assert.equal(download.suggestedFilename(), 'renamed.txt');
    assert.equal(readFileSync((await download.path())!, 'utf8'), 'hello notes');
    await screenshot(page, 'settings-files');
    await a11y('files');
    await page.getByLabel('Select all files').check();
    await page.getByRole('button', { name: 'Delete selected (2)' }).click();
    await page.getByText('No files yet.').waitFor();
    assert.deepEqual((await server.call('/api/v2/files/', { headers: auth() })).body, []);
  });

  test('users: a superuser creates, activates, promotes, resets and deletes; a normal user never sees the page and gets 403', async () => {
    await section('users');
    const form = page.getByRole('form', { name: 'New user' });
    await form.getByLabel('Username').fill('bob');
    await form.getByLabel('Password').fill('bob-password-1');
    await form.getByRole('button', { name: 'Create user' }).click();
    const bob = page.getByTestId('user-row').filter({ hasText: 'bob' });
    await bob.waitFor();
    await page.getByLabel('bob is active').click();
    await page.waitForFunction(() => (document.querySelector('[aria-label="bob is active"]') as HTMLInputElement | null)?.checked === true);
    await page.getByRole('searchbox').fill('bo');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="user-row"]').length === 1);
    const superuserBox = (checked: boolean) => page.waitForFunction((want) => (document.querySelector('[aria-label="bob is a superuser"]') as HTMLInputElement | null)?.checked === want, checked);
    await page.getByLabel('bob is a superuser').click();
    await superuserBox(true);
    await page.getByLabel('bob is a superuser').click();
    await superuserBox(false);
    await page.getByRole('button', { name: 'Reset password of bob' }).click();
    await page.getByLabel('New password for bob').fill('bob-password-2');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Password of bob reset').waitFor();
    await page.getByRole('searchbox').fill('');
    await screenshot(page, 'settings-users');
    await a11y('users');
    const listed = (await server.call('/api/v1/users/?search=bob', { headers: auth() })).body as { users: { id: string; is_active: boolean; is_superuser: boolean }[] };
    assert.equal(listed.users[0].is_active, true);
    assert.equal(listed.users[0].is_superuser, false);

    // Bob signs in with the reset password: no Users page, and its routes are refused.
    const bobContext = await browser.newContext({ baseURL: server.url });
    const bobPage = await signIn(bobContext, 'bob', 'bob-password-2');
    await bobPage.goto('/settings');
    await bobPage.getByRole('navigation', { name: 'Settings' }).waitFor();
    assert.equal(await bobPage.getByRole('link', { name: 'Users' }).count(), 0);
    await bobPage.goto('/admin');
    await bobPage.waitForURL(/\/settings\/general$/);
    await bobPage.goto('/settings/users');
    await bobPage.waitForURL(/\/settings\/general$/);
    const statuses = await bobPage.evaluate(async (adminId) => {
      const refresh = await fetch('/api/v1/refresh', { method: 'POST' });
      const bearer = { authorization: `Bearer ${((await refresh.json()) as { access_token: string }).access_token}`, 'content-type': 'application/json' };
      return [
        (await fetch('/api/v1/users/', { headers: bearer })).status,
        (await fetch(`/api/v1/users/${adminId}`, { method: 'PATCH', headers: bearer, body: '{"is_active": false}' })).status,
        (await fetch(`/api/v1/users/${adminId}`, { method: 'DELETE', headers: bearer })).status,
      ];
    }, ((await server.call('/api/v1/users/whoami', { headers: auth() })).body as { id: string }).id);
    assert.deepEqual(statuses, [403, 403, 403]);
    await bobContext.close();

    await page.getByRole('button', { name: 'Delete bob' }).click();
    await bob.waitFor({ state: 'detached' });
    assert.equal(((await server.call('/api/v1/users/?search=bob', { headers: auth() })).body as { total_count: number }).total_count, 0);
  });

  test('profile: a picture from the built-in set, and a password change that the next sign-in needs', async () => {
    await section('general');
    const first = page.getByRole('group', { name: 'Profile pictures' }).getByRole('button').first();
    await first.click();
    await page.getByRole('button', { name: 'Save picture' }).click();
    await page.getByText('Profile picture saved').waitFor();
    const me = (await server.call('/api/v1/users/whoami', { headers: auth() })).body as { profile_image: string | null };
    assert.ok(me.profile_image, 'a picture is saved');
    await a11y('profile');
    await screenshot(page, 'settings-profile');
    await page.getByLabel('New password').fill('admin-password-2');
    await page.getByLabel('Confirm the password').fill('admin-password-2');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed').waitFor();
    const old = await server.call('/api/v1/login', { method: 'POST', body: new URLSearchParams(ADMIN) });
    assert.equal(old.status, 401);
    const fresh = await server.call('/api/v1/login', { method: 'POST', body: new URLSearchParams({ username: ADMIN.username, password: 'admin-password-2' }) });
    assert.equal(fresh.status, 200);
    assert.deepEqual(errors, []);
  });
});
