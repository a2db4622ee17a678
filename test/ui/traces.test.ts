import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestServer } from '../../test-utils/api-server.js';
import { axeViolations, browserSkip, launchBrowser, openPage, screenshot, seriousViolations, startUiServer, superuserHeaders } from '../../test-utils/browser.js';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { LlmStandin } from '../../test-utils/llm-standin.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

// A flow's traces page: the runs listed with filters, a run's spans as a waterfall with tokens and errors.
describe('the traces view of a flow', browserSkip, () => {
  let browser: Browser;
  let server: TestServer;
  let standin: LlmStandin;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];
  let flowId: string;
  let agentId: string;

  before(async () => {
    standin = await new LlmStandin().start();
    [browser, server] = await Promise.all([launchBrowser(), startUiServer({ LANGFLOW_AUTO_LOGIN: 'true' })]);
    const auth = await superuserHeaders(server);
    const flow = new FlowBuilder('Traced in the browser');
    const input = flow.node('ChatInput', {});
    agentId = flow.node('Agent', { model: [], add_current_date_tool: false, system_prompt: '' });
    const output = flow.node('ChatOutput', {});
    flow.connect(input, 'message', agentId, 'input_value').connect(agentId, 'response', output, 'input_value');
    const created = await server.call('/api/v1/flows/', { method: 'POST', headers: auth, json: { name: 'Traced in the browser', data: flow.build().data } });
    flowId = (created.body as Json).id;
    const key = ((await server.call('/api/v1/api_key/', { method: 'POST', headers: auth, json: { name: 'ui' } })).body as Json).api_key as string;
    // One run with a model (through a tweak) and one without, which fails in the Agent.
    standin.enqueue({ text: 'Hello from the model', usage: { prompt_tokens: 12, completion_tokens: 3 } });
    const model = { model: [{ name: 'gpt-4o-mini', provider: 'OpenAI' }], api_key: 'sk-ui-test', openai_api_base: standin.baseUrl };
    const ok = await server.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: { 'x-api-key': key }, json: { input_value: 'say hello', session_id: 'first', tweaks: { [agentId]: model } } });
    assert.equal(ok.status, 200, ok.text);
    const failed = await server.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: { 'x-api-key': key }, json: { input_value: 'no model here', session_id: 'second' } });
    assert.notEqual(failed.status, 200);
    ({ context, page, errors } = await openPage(browser, server, `/flow/${flowId}/traces`));
    await page.getByRole('heading', { level: 1, name: 'Traces of Traced in the browser' }).waitFor();
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    await standin?.close();
  });

  const rows = () => page.getByRole('region', { name: 'Runs' }).locator('tbody tr');

  test('lists the runs newest first with status, input, time and tokens; passes axe', async () => {
    await rows().nth(1).waitFor();
    assert.equal(await rows().count(), 2);
    const cells = async (n: number) => (await rows().nth(n).locator('td').allInnerTexts()).map((t) => t.trim());
    const [newest, oldest] = [await cells(0), await cells(1)];
    assert.deepEqual([newest[1], newest[2], newest[4]], ['error', 'no model here', '0']);
    assert.deepEqual([oldest[1], oldest[2], oldest[4]], ['ok', 'say hello', '15']);
    assert.deepEqual(seriousViolations(await axeViolations(page)), []);
    assert.deepEqual(errors, []);
  });

  test('filters by status, session and text', async () => {
    await page.getByLabel('Status').selectOption('error');
    await page.waitForFunction(() => document.querySelectorAll('.trace-list tbody tr').length === 1);
    assert.equal((await rows().first().locator('td').nth(1).innerText()).trim(), 'error');
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Session').fill('first');
    await page.waitForFunction(() => document.querySelectorAll('.trace-list tbody tr').length === 1);
    assert.equal((await rows().first().locator('td').nth(2).innerText()).trim(), 'say hello');
    await page.getByLabel('Session').fill('');
    await page.getByLabel('Search').fill('nothing-matches-this');
    await page.getByText('No traces match').waitFor();
    await page.getByLabel('Search').fill('');
    await rows().nth(1).waitFor();
  });

  test('a run’s waterfall: the spans in tree order, the model call with its tokens, the error where it happened', async () => {
    await rows().nth(1).getByRole('button').click();
    const waterfall = page.getByRole('list', { name: 'Waterfall' });
    await waterfall.locator('.span-row').nth(3).waitFor();
    const names = await waterfall.locator('.span-name').allInnerTexts();
    assert.deepEqual(names, ['Chat Input', 'Agent', 'chat gpt-4o-mini', 'Chat Output']);
    assert.match(await waterfall.locator('.span-row').nth(2).innerText(), /llm · 15 tokens/);
    const bars = await waterfall.locator('.span-bar').evaluateAll((els) => els.map((el) => (el as HTMLElement).style.width));
    assert.ok(bars.every((w) => /%$/.test(w)), 'each span has a bar on the run’s time line');
    await waterfall.getByRole('button', { name: /chat gpt-4o-mini/ }).click();
    const detail = page.getByLabel('Span chat gpt-4o-mini');
    await detail.getByText('Tokens: 12 prompt + 3 completion = 15').waitFor();
    assert.match(await detail.innerText(), /Hello from the model/);
    await screenshot(page, 'traces-waterfall');

    await rows().nth(0).getByRole('button').click();
    await waterfall.locator('.span-row.error').first().waitFor();
    assert.deepEqual(await waterfall.locator('.span-name').allInnerTexts(), ['Chat Input', 'Agent']);
    assert.match(await waterfall.locator('.span-error').innerText(), /No model selected/);
    assert.deepEqual(errors, []);
  });

  test('deleting a run’s trace, then all of the flow’s', async () => {
    await page.getByRole('region', { name: 'Spans' }).getByRole('button', { name: 'Delete' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.trace-list tbody tr').length === 1);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete all' }).click();
    await page.getByText('No traces match').waitFor();
    const left = await server.call(`/api/v1/monitor/traces?flow_id=${flowId}`, { headers: await superuserHeaders(server) });
    assert.equal((left.body as Json).total, 0);
  });

  test('the editor’s toolbar links to the traces', async () => {
    await page.getByRole('link', { name: 'Back to the flow' }).click();
    await page.getByRole('link', { name: 'Traces' }).click();
    await page.getByRole('heading', { level: 1, name: 'Traces of Traced in the browser' }).waitFor();
  });
});
