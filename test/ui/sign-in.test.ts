import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { TestServer } from '../../test-utils/api-server.js';
import { axeViolations, browserSkip, launchBrowser, openPage, screenshot, seriousViolations, startUiServer } from '../../test-utils/browser.js';

const SUPERUSER = { LANGFLOW_SUPERUSER: 'admin', LANGFLOW_SUPERUSER_PASSWORD: 'admin-password-1' };

describe('sign-in in the browser', browserSkip, () => {
  let browser: Browser;
  let withLogin: TestServer;
  let autoLogin: TestServer;

  before(async () => {
    [browser, withLogin, autoLogin] = await Promise.all([
      launchBrowser(),
      startUiServer({ LANGFLOW_AUTO_LOGIN: 'false', ...SUPERUSER }),
      startUiServer({ LANGFLOW_AUTO_LOGIN: 'true' }),
    ]);
  });
  after(async () => {
    await browser?.close();
    await Promise.all([withLogin?.stop(), autoLogin?.stop()]);
  });

  test('AUTO_LOGIN=false: a deep link goes to /login, a wrong password is refused, the right one opens the page asked for', async () => {
    const { context, page, errors } = await openPage(browser, withLogin, '/settings');
    await page.waitForURL(/\/login\?next=%2Fsettings/);
    await page.getByRole('heading', { name: 'Sign in to Weft' }).waitFor();
    assert.deepEqual(seriousViolations(await axeViolations(page)), [], 'sign-in page accessibility');
    await screenshot(page, 'sign-in');

    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.locator('form').getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Incorrect username or password/);

    await page.getByLabel('Password').fill(SUPERUSER.LANGFLOW_SUPERUSER_PASSWORD);
    await page.getByLabel('Password').press('Enter');
    await page.waitForURL(/\/settings\/general$/);
    assert.equal(await page.locator('.account .username').innerText(), 'admin');

    // The access token lives in memory only; a reload signs in again through the refresh cookie.
    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(await page.locator('.account .username').innerText(), 'admin');

    // Sign out revokes the session: the next visit asks for the password again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto('/all');
    await page.waitForURL(/\/login\?next=%2Fall/);
    const cookies = await context.cookies();
    assert.deepEqual(cookies.filter((c) => c.name === 'refresh_token_lf' || c.name === 'access_token_lf'), [], 'logout clears both cookies');
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('AUTO_LOGIN=false: an expired session sends the browser back to sign-in', async () => {
    const { context, page } = await openPage(browser, withLogin, '/login');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(SUPERUSER.LANGFLOW_SUPERUSER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    // Another tab signs out: this tab's token and the refresh cookie are revoked on the server.
    const other = await context.newPage();
    await other.goto('/');
    await other.getByRole('button', { name: 'Sign out' }).click();
    await other.waitForURL(/\/login$/);
    // The next call of the first tab gets 401, fails to refresh, and lands on sign-in with a notice.
    await page.getByRole('button', { name: 'New project', exact: true }).click();
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/login/);
    await page.getByText('Your session has ended').waitFor();
    await context.close();
  });

  test('AUTO_LOGIN=false: /playground/{id} opens for a signed-out visitor when the flow is public, never sign-in', async () => {
    const login = await withLogin.call('/api/v1/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'admin', password: SUPERUSER.LANGFLOW_SUPERUSER_PASSWORD }).toString(),
    });
    const headers = { authorization: `Bearer ${(login.body as { access_token: string }).access_token}` };
    const create = async (name: string, access_type: string) =>
      ((await withLogin.call('/api/v1/flows/', { method: 'POST', headers, json: { name, access_type, data: { nodes: [], edges: [] } } })).body as { id: string }).id;
    const [publicId, privateId] = [await create('Public chat', 'PUBLIC'), await create('Private chat', 'PRIVATE')];

    const { context, page, errors } = await openPage(browser, withLogin, `/playground/${publicId}`);
    await page.getByText('Public chat').first().waitFor();
    assert.equal(new URL(page.url()).pathname, `/playground/${publicId}`);
    await page.goto(`/playground/${privateId}`);
    await page.getByText('Flow is not public').waitFor();
    assert.equal(await page.getByText('Private chat').count(), 0);
    assert.equal(new URL(page.url()).pathname, `/playground/${privateId}`);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('AUTO_LOGIN=true: straight in, no sign-out, /login goes home', async () => {
    const { context, page, errors } = await openPage(browser, autoLogin, '/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(await page.locator('.account .username').innerText(), 'langflow');
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
    await page.goto('/login');
    await page.waitForURL((url) => url.pathname === '/');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
