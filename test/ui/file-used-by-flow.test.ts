import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestServer } from '../../test-utils/api-server.js';
import { browserSkip, launchBrowser, openPage, startUiServer, superuserHeaders } from '../../test-utils/browser.js';
import { FlowBuilder } from '../../test-utils/flow-builder.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CONTENT = 'The keeper of the Loomville lighthouse is named Ada.';

describe('a file uploaded on the My Files page is read by a flow', browserSkip, () => {
  let browser: Browser;
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  let auth: Record<string, string>;

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startUiServer({ LANGFLOW_AUTO_LOGIN: 'true' })]);
    auth = await superuserHeaders(server);
    ({ context, page } = await openPage(browser, server, '/settings/files'));
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  test('upload in the page, then a File → Chat Output flow run with an API key returns its text', async () => {
    await page.getByLabel('Upload files').setInputFiles([{ name: 'lighthouse.txt', mimeType: 'text/plain', buffer: Buffer.from(CONTENT) }]);
    await page.getByTestId('file-row').filter({ hasText: 'lighthouse.txt' }).waitFor();
    const files = (await server.call('/api/v2/files/', { headers: auth })).body as Json[];
    const stored = files.find((f) => f.name === 'lighthouse' || f.name === 'lighthouse.txt');
    assert.ok(stored, `the upload is listed: ${JSON.stringify(files)}`);

    const flow = new FlowBuilder('Read my file');
    const file = flow.node('File', { path: [stored.path] });
    const output = flow.node('ChatOutput', {});
    flow.connect(file, 'message', output, 'input_value');
    const created = await server.call('/api/v1/flows/', { method: 'POST', headers: auth, json: { name: 'Read my file', data: flow.build().data } });
    assert.equal(created.status, 201, created.text);
    const key = ((await server.call('/api/v1/api_key/', { method: 'POST', headers: auth, json: { name: 'files' } })).body as Json).api_key as string;
    const run = await server.call(`/api/v1/run/${(created.body as Json).id}`, { method: 'POST', headers: { 'x-api-key': key }, json: { input_value: 'read it' } });
    assert.equal(run.status, 200, run.text);
    assert.match((run.body as Json).outputs[0].outputs[0].results.message.text as string, /Loomville lighthouse is named Ada/);
  });
});
