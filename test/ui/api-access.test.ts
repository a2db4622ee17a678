import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../../test-utils/api-server.js';
import { browserSkip, launchBrowser, openPage, screenshot, startUiServer } from '../../test-utils/browser.js';
import { LlmStandin } from '../../test-utils/llm-standin.js';
import { repoRoot, startersSkip } from '../../test-utils/paths.js';
import { autoLoginToken, createFlow, nodeTitled, openEditor, waitSaved } from './editor-helpers.js';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { assertAccessible, chatFlow } from './playground-helpers.js';

const snippetDir = join(repoRoot, 'test-results', 'snippets');

/** Runs a snippet as a child process (asynchronously: the server under test shares this process). */
function run(command: string, args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000, cwd: repoRoot }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

// The API access panel's snippets are run, as a user would paste them, against the live server: the
// key created in the panel, the tweak of a field changed on the canvas, streaming on and off.
describe('the API access panel', { skip: browserSkip.skip || startersSkip.skip }, () => {
  let browser: Browser;
  let server: TestServer;
  let standin: LlmStandin;
  let token: string;
  let page: Page;
  let flowId: string;
  let apiKey: string;
  const panel = () => page.locator('.api-access');
  const snippet = async (tab: string) => {
    await panel().getByRole('tab', { name: tab }).click();
    return panel().getByTestId('api-snippet').innerText();
  };
  const systemPrompt = () => JSON.stringify(standin.chatRequests.at(-1)?.body.messages);

  before(async () => {
    mkdirSync(snippetDir, { recursive: true });
    standin = await new LlmStandin().start();
    [browser, server] = await Promise.all([launchBrowser(), startUiServer({ LANGFLOW_AUTO_LOGIN: 'true', OPENAI_BASE_URL: standin.baseUrl, OPENAI_API_KEY: 'unused' })]);
    token = await autoLoginToken(server);
    const { page: opened, context } = await openPage(browser, server, '/');
    page = opened;
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    flowId = await createFlow(server, token, 'Call me', chatFlow(false));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await standin?.close();
  });

  test('a key created in the panel is shown once and works; the curl snippet runs with the canvas tweak', async () => {
    await openEditor(page, flowId);
    const prompt = nodeTitled(page, 'Prompt').getByLabel('Prompt Template');
    await prompt.fill('Reply like a pirate.');
    await waitSaved(page);
    // The stored flow is put back: only the snippet's tweak can bring the canvas value to the model.
    const stored = await server.call(`/api/v1/flows/${flowId}`, { headers: { authorization: `Bearer ${token}` } });
    await server.call(`/api/v1/flows/${flowId}`, { method: 'PATCH', headers: { authorization: `Bearer ${token}` }, json: { data: chatFlow(false) } });
    assert.equal(stored.status, 200);

    await page.getByRole('button', { name: 'API', exact: true }).click();
    await panel().getByRole('button', { name: 'Create API key' }).click();
    apiKey = await panel().getByTestId('created-api-key').inputValue();
    assert.match(apiKey, /^sk-/);
    const keys = await server.call('/api/v1/api_key/', { headers: { authorization: `Bearer ${token}` } });
    assert.doesNotMatch(keys.text, new RegExp(apiKey), 'the key is never listed in clear');

    const curl = await snippet('cURL');
    assert.match(curl, /Reply like a pirate\./, 'the changed field is a tweak');
    assert.match(curl, new RegExp(`/api/v1/run/${flowId}\\?stream=false`));
    const answer = await run('bash', ['-c', curl], { LANGFLOW_API_KEY: apiKey });
    assert.equal(answer.status, 0, answer.stderr);
    const body = JSON.parse(answer.stdout) as { outputs: { outputs: { results: { message: { text: string } } }[] }[] };
    assert.equal(body.outputs[0].outputs[0].results.message.text, 'echo: hello world!');
    assert.match(systemPrompt(), /Reply like a pirate\./);
    // Without the key the same call is refused.
    assert.equal((await run('bash', ['-c', curl], { LANGFLOW_API_KEY: 'sk-wrong' })).stdout.includes('echo:'), false);

    await panel().getByLabel('Stream').check();
    const streamed = await run('bash', ['-c', await snippet('cURL')], { LANGFLOW_API_KEY: apiKey });
    assert.equal(streamed.status, 0, streamed.stderr);
    assert.match(streamed.stdout, /"event": ?"token"/);
    assert.match(streamed.stdout, /"event": ?"end"/);
    await screenshot(page, 'api-access');
    await assertAccessible(page, 'API access panel');
  });

  test('the JavaScript snippets (langflow-client and fetch) and the Python one run against the server', async () => {
    await openEditor(page, flowId);
    await page.getByRole('button', { name: 'API', exact: true }).click();
    for (const stream of [false, true]) {
      if (stream) await panel().getByLabel('Stream').check();
      for (const tab of ['JS client', 'JS fetch']) {
        standin.reset();
        const file = join(snippetDir, `${tab.replace(' ', '-')}-${stream}.mjs`);
        writeFileSync(file, await snippet(tab));
        const out = await run(process.execPath, [file], { LANGFLOW_API_KEY: apiKey });
        assert.equal(out.status, 0, `${tab} stream=${stream}: ${out.stderr}`);
        assert.match(out.stdout, /echo: hello world!|"chunk"|echo: /, `${tab} stream=${stream}: ${out.stdout.slice(0, 400)}`);
        assert.equal(standin.chatRequests.length, 1, tab);
      }
    }
    const python = await run('python3', ['-c', await snippet('Python')], { LANGFLOW_API_KEY: apiKey });
    if (python.stderr.includes("No module named 'requests'")) return;
    assert.equal(python.status, 0, python.stderr);
    assert.match(python.stdout, /"event": ?"token"/);
  });

  test('webhook curl for a flow with a Webhook, the MCP configuration, and sharing the playground', async () => {
    await openEditor(page, flowId);
    await page.getByRole('button', { name: 'API', exact: true }).click();
    assert.match(await panel().getByRole('tabpanel').innerText(), /./);
    await panel().getByRole('tab', { name: 'Webhook' }).click();
    await panel().getByText('Add a Webhook component').waitFor();
    const mcp = JSON.parse(await snippet('MCP')) as { mcpServers: Record<string, { args: string[] }> };
    const [server0] = Object.values(mcp.mcpServers);
    assert.match(server0.args.at(-1)!, /\/api\/v1\/mcp\/project\/[0-9a-f-]+\/streamable$/);
    const url = server0.args.at(-1)!;
    const head = await fetch(url, { method: 'HEAD' });
    assert.equal(head.status, 200, 'the configured MCP address exists');

    // A flow with a Webhook component: its curl starts the flow.
    const hookData = new FlowBuilder('Hook');
    hookData.node('Webhook', { data: '' }, { displayName: 'Webhook' });
    const hookId = await createFlow(server, token, 'Hook', (hookData.build() as unknown as { data: unknown }).data);
    await openEditor(page, hookId);
    await page.getByRole('button', { name: 'API', exact: true }).click();
    const hook = await snippet('Webhook');
    assert.match(hook, new RegExp(`/api/v1/webhook/${hookId}`));
    const started = await run('bash', ['-c', `${hook} --silent --write-out '\n%{http_code}'`], { LANGFLOW_API_KEY: apiKey });
    assert.equal(started.status, 0, started.stderr);
    assert.match(started.stdout, /202$/, started.stdout);
    await openEditor(page, flowId);
    await page.getByRole('button', { name: 'API', exact: true }).click();
    await panel().getByLabel('Anyone with the link can chat with this flow').check();
    await panel().getByTestId('share-link').waitFor();
    const flow = await server.call(`/api/v1/flows/${flowId}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((flow.body as { access_type: string }).access_type, 'PUBLIC');
    const open = await fetch(`${server.url}/api/v1/flows/public_flow/${flowId}`);
    assert.equal(open.status, 200);
  });
});
