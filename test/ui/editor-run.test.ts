import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../../test-utils/api-server.js';
import { browserSkip, launchBrowser, openPage, screenshot, startUiServer } from '../../test-utils/browser.js';
import { LlmStandin } from '../../test-utils/llm-standin.js';
import { startersSkip } from '../../test-utils/paths.js';
import { autoLoginToken, createFlow, nodeTitled, openEditor, readFlow, waitForDrawn, waitSaved, type Json } from './editor-helpers.js';
import { starterJson } from './starters.js';

// Running from the canvas against a model server stand-in (OpenAI protocol over loopback): the model
// field set in the node, live states, run up to a component, and Stop cancelling the build on the server.
describe('running a flow from the editor', { skip: browserSkip.skip || startersSkip.skip }, () => {
  let browser: Browser;
  let server: TestServer;
  let standin: LlmStandin;
  let token: string;
  let page: Page;
  let flowId: string;
  const basic = starterJson('Basic Prompting.json') as { data: { nodes: Json[]; edges: Json[] } };

  before(async () => {
    standin = await new LlmStandin().start();
    [browser, server] = await Promise.all([launchBrowser(), startUiServer({ LANGFLOW_AUTO_LOGIN: 'true', OPENAI_BASE_URL: standin.baseUrl, OPENAI_API_KEY: 'unused' })]);
    token = await autoLoginToken(server);
    ({ page } = await openPage(browser, server, '/'));
    flowId = await createFlow(server, token, 'Run me', basic.data);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await standin?.close();
  });

  test('choosing the model in the node, then Run: every component done, the answer in the outputs', async () => {
    await openEditor(page, flowId);
    await waitForDrawn(page, basic.data.nodes.length, basic.data.edges.length);
    const model = nodeTitled(page, 'Language Model');
    await model.getByLabel('Language Model Language Model provider').selectOption('OpenAI');
    await model.getByLabel('Language Model Language Model name').fill('gpt-4o-mini');
    await waitSaved(page);
    const stored = await readFlow(server, token, flowId);
    const savedModel = stored.data.nodes.find((n) => (n.data as Json).type === 'LanguageModelComponent') as { data: { node: { template: { model: { value: unknown } } } } };
    assert.deepEqual(savedModel.data.node.template.model.value, [{ provider: 'OpenAI', name: 'gpt-4o-mini' }]);

    await page.getByRole('button', { name: '▶ Run' }).click();
    await page.getByTestId('run-state').filter({ hasText: 'Run finished' }).waitFor({ timeout: 30_000 });
    for (const title of ['Chat Input', 'Prompt', 'Language Model', 'Chat Output']) assert.match(await nodeTitled(page, title).getByTestId('run-status').innerText(), /^Done · /, title);
    await nodeTitled(page, 'Chat Output').getByRole('button', { name: 'Inspect outputs' }).click();
    const text = page.locator('.output-inspector .output-text').first();
    await text.waitFor();
    assert.equal(await text.innerText(), 'echo: Hello');
    assert.equal(standin.chatRequests.length, 1);
    await page.getByRole('button', { name: 'Fit View' }).click();
    await page.waitForTimeout(400);
    await screenshot(page, 'editor-run-with-model');
  });

  test('Run up to a component builds it and what feeds it, nothing after', async () => {
    standin.reset();
    await openEditor(page, flowId);
    await waitForDrawn(page, basic.data.nodes.length, basic.data.edges.length);
    await page.getByRole('button', { name: 'Run up to Prompt' }).click();
    await page.getByTestId('run-state').filter({ hasText: 'Run finished' }).waitFor({ timeout: 30_000 });
    assert.match(await nodeTitled(page, 'Prompt').getByTestId('run-status').innerText(), /^Done/);
    assert.equal(await nodeTitled(page, 'Language Model').getByTestId('run-status').count(), 0, 'the model did not run');
    assert.equal(standin.chatRequests.length, 0);
  });

  test('Stop cancels a running build: the node stops, the model request is closed', async () => {
    standin.reset();
    standin.enqueue({ hang: true });
    await openEditor(page, flowId);
    await waitForDrawn(page, basic.data.nodes.length, basic.data.edges.length);
    await page.getByRole('button', { name: '▶ Run' }).click();
    await nodeTitled(page, 'Language Model').getByTestId('run-status').filter({ hasText: 'Running…' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByTestId('run-state').filter({ hasText: 'Run stopped' }).waitFor();
    await Promise.race([standin.requestClosed(), new Promise((_, reject) => setTimeout(() => reject(new Error('the model request was never closed')), 15_000))]);
    assert.notEqual(await nodeTitled(page, 'Language Model').getByTestId('run-status').innerText(), 'Running…');
  });
});
