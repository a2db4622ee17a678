import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../../test-utils/api-server.js';
import { browserSkip, launchBrowser, openPage, screenshot, startUiServer } from '../../test-utils/browser.js';
import { LlmStandin } from '../../test-utils/llm-standin.js';
import { startersSkip } from '../../test-utils/paths.js';
import { autoLoginToken, createFlow, openEditor } from './editor-helpers.js';
import { assertAccessible, chatFlow } from './playground-helpers.js';

// The flow's runs (monitor API) beside the canvas, with filters, and the server's log lines with Follow.
describe('logs and runs', { skip: browserSkip.skip || startersSkip.skip }, () => {
  let browser: Browser;
  let server: TestServer;
  let standin: LlmStandin;
  let token: string;
  let page: Page;
  let flowId: string;
  const rows = () => page.locator('.flow-logs [data-testid="log-row"]');

  before(async () => {
    standin = await new LlmStandin().start();
    [browser, server] = await Promise.all([
      launchBrowser(),
      startUiServer({ LANGFLOW_AUTO_LOGIN: 'true', OPENAI_BASE_URL: standin.baseUrl, OPENAI_API_KEY: 'unused', LANGFLOW_LOG_LEVEL: 'info', LANGFLOW_ENABLE_LOG_RETRIEVAL: 'true' }),
    ]);
    token = await autoLoginToken(server);
    ({ page } = await openPage(browser, server, '/'));
    flowId = await createFlow(server, token, 'Logged', chatFlow(false));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await standin?.close();
  });

  test("a flow's transactions, builds and messages, filtered by text and status", async () => {
    standin.enqueue('first answer');
    standin.enqueue({ status: 400, error: { message: 'model refused' } });
    await openEditor(page, flowId);
    await page.getByRole('button', { name: 'Playground' }).click();
    for (const text of ['one', 'two']) {
      await page.getByLabel('Message', { exact: true }).fill(text);
      await page.getByRole('button', { name: 'Send' }).click();
      await page.getByRole('button', { name: 'Send' }).waitFor({ timeout: 30_000 });
    }
    await page.getByRole('button', { name: 'Logs' }).click();
    await rows().first().waitFor();
    const all = await rows().count();
    assert.ok(all >= 6, `transactions of both runs: ${all}`);
    await page.getByLabel('Status').selectOption('error');
    await page.waitForFunction(() => document.querySelectorAll('.flow-logs [data-testid="log-row"]').length === 1);
    assert.match(await rows().first().innerText(), /LanguageModelComponent/);
    await page.getByLabel('Status').selectOption('all');
    await page.getByRole('tab', { name: 'Builds' }).click();
    await page.getByLabel('Filter the logs').fill('ChatOutput');
    await page.waitForFunction(() => document.querySelectorAll('.flow-logs [data-testid="log-row"]').length >= 1);
    for (const text of await rows().allInnerTexts()) assert.match(text, /ChatOutput/);
    await page.getByLabel('Filter the logs').fill('');
    await page.getByRole('tab', { name: 'Messages' }).click();
    await rows().filter({ hasText: 'first answer' }).waitFor();
    await screenshot(page, 'flow-logs');
    await assertAccessible(page, 'flow logs');
  });

  test('server logs: recent lines, and Follow shows new ones as they are written', async () => {
    await page.goto('/settings/logs');
    const logs = page.getByTestId('server-logs');
    await logs.waitFor();
    await page.waitForFunction(() => (document.querySelector('[data-testid="server-logs"]')?.textContent ?? '').length > 0);
    await page.getByLabel('Follow new lines').check();
    await page.waitForTimeout(500);
    // A request the page did not make writes a line that arrives through the stream.
    await server.call('/api/v1/version?marker=follow-me');
    await page.waitForFunction(() => (document.querySelector('[data-testid="server-logs"]')?.textContent ?? '').includes('follow-me'), undefined, { timeout: 15_000 });
    await page.getByLabel('Filter').fill('follow-me');
    const text = await logs.innerText();
    assert.ok(text.split('\n').every((line) => line.includes('follow-me')), text);
    await screenshot(page, 'server-logs');
    await assertAccessible(page, 'server logs');
  });
});
