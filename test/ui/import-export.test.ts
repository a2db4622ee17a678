import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { strToU8, zipSync } from 'fflate';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestServer } from '../../test-utils/api-server.js';
import { browserSkip, launchBrowser, openPage, screenshot, startUiServer, superuserHeaders } from '../../test-utils/browser.js';
import { starterProjectsDir, startersSkip } from '../../test-utils/paths.js';

interface FlowExport {
  name: string;
  data: { nodes: { id: string; data?: Record<string, unknown> }[]; edges: unknown[] };
  [key: string]: unknown;
}

/** The flow's graph with the values of secret (password) fields blanked. */
function withoutSecrets(data: FlowExport['data']): FlowExport['data'] {
  const copy = structuredClone(data);
  for (const node of copy.nodes) {
    const template = (node.data?.node as { template?: Record<string, { password?: boolean; value?: unknown }> } | undefined)?.template ?? {};
    for (const field of Object.values(template)) if (field && typeof field === 'object' && field.password) field.value = null;
  }
  return copy;
}

describe('importing and exporting flows in the browser', browserSkip.skip ? browserSkip : startersSkip, () => {
  let browser: Browser;
  let server: TestServer;
  let auth: Record<string, string>;
  let context: BrowserContext;
  let page: Page;
  let projectId: string;
  const scratch = mkdtempSync(join(tmpdir(), 'weft-ui-import-'));
  const starterFiles = browserSkip.skip || startersSkip.skip ? [] : readdirSync(starterProjectsDir).filter((f) => f.endsWith('.json')).sort();
  const starter = (file: string) => JSON.parse(readFileSync(join(starterProjectsDir, file), 'utf8')) as FlowExport;

  const flowNames = async () =>
    ((await server.call(`/api/v1/projects/${projectId}`, { headers: auth })).body as { flows: { name: string }[] }).flows.map((f) => f.name).sort();
  const list = () => page.locator('.flow-list');
  /** Picks files through the Import button's file chooser, as a user does. */
  async function pick(paths: string[]): Promise<void> {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import', exact: true }).click()]);
    await chooser.setFiles(paths);
  }
  const lastError = async () => {
    const toast = page.locator('.toast-error').last();
    await toast.waitFor();
    return toast.innerText();
  };
  const dismissErrors = async () => {
    for (const button of await page.locator('.toast-error').getByRole('button', { name: 'Dismiss' }).all()) await button.click();
  };

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startUiServer({ LANGFLOW_AUTO_LOGIN: 'true' })]);
    auth = await superuserHeaders(server);
    projectId = ((await server.call('/api/v1/projects/', { headers: auth })).body as { id: string }[])[0].id;
    ({ context, page } = await openPage(browser, server, '/'));
    await page.getByText('This project has no flows yet').waitFor();
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  test("every Langflow starter project imports through the file picker and is listed", async () => {
    await pick(starterFiles.map((f) => join(starterProjectsDir, f)));
    const expected = starterFiles.map((f) => starter(f).name).sort();
    await page.waitForFunction((count) => document.querySelectorAll('.flow-list > li').length === count, expected.length, { timeout: 60_000 });
    assert.deepEqual(await flowNames(), expected);
    for (const name of expected) assert.equal(await list().getByRole('link', { name, exact: true }).count(), 1, name);
    assert.equal(await page.locator('.toast-error').count(), 0, 'no import failed');
    await screenshot(page, 'home-starters');
  });

  test('export gives back the flow as imported, unknown keys included; the export imports again', async () => {
    const original = starter('Basic Prompting.json');
    // Keys Weft does not know must survive the trip, at the top level and inside a node.
    const marked = { ...original, name: 'Marked flow', weft_unknown_top: { keep: [1, 2] } } as FlowExport;
    marked.data = structuredClone(original.data);
    marked.data.nodes[0].data = { ...marked.data.nodes[0].data, weft_unknown_node: 'kept' };
    const file = join(scratch, 'Marked flow.json');
    writeFileSync(file, JSON.stringify(marked));
    await pick([file]);
    await list().getByRole('link', { name: 'Marked flow', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Actions for flow Marked flow' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'Export' }).click()]);
    assert.equal(download.suggestedFilename(), 'Marked flow.json');
    const exportedPath = join(scratch, 'exported.json');
    await download.saveAs(exportedPath);
    const exported = JSON.parse(readFileSync(exportedPath, 'utf8')) as FlowExport;
    assert.equal(exported.name, 'Marked flow');
    // As Langflow's download, secret fields leave without their values; everything else is as imported.
    assert.deepEqual(withoutSecrets(exported.data), withoutSecrets(marked.data), 'nodes, edges and viewport as imported');
    assert.equal(exported.data.nodes[0].data?.weft_unknown_node, 'kept');

    await pick([exportedPath]);
    await list().getByRole('link', { name: 'Marked flow (1)', exact: true }).waitFor();
  });

  test('a zip of flows imports into the project; a project zip becomes a new project', async () => {
    const zip = join(scratch, 'two flows.zip');
    const pair = ['Basic Prompting.json', 'Memory Chatbot.json'].map((f) => ({ ...starter(f), name: `Zipped ${starter(f).name}` }));
    writeFileSync(zip, zipSync(Object.fromEntries(pair.map((flow) => [`${flow.name}.json`, strToU8(JSON.stringify(flow))]))));
    await pick([zip]);
    for (const flow of pair) await list().getByRole('link', { name: flow.name, exact: true }).waitFor();

    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import a project' }).click()]);
    await chooser.setFiles(zip);
    await page.getByRole('heading', { level: 1, name: 'two flows' }).waitFor();
    // Flow names are unique per user (as in Langflow): the second copies are numbered.
    for (const flow of pair) await list().getByRole('link', { name: `${flow.name} (1)`, exact: true }).waitFor();
    const home = ((await server.call(`/api/v1/projects/${projectId}`, { headers: auth })).body as { name: string }).name;
    await page.getByRole('navigation', { name: 'Projects' }).getByRole('link', { name: home, exact: true }).click();
    await list().getByRole('link', { name: 'Marked flow', exact: true }).waitFor();
  });

  test('a dropped flow file is imported', async () => {
    const flow = { ...starter('Basic Prompting.json'), name: 'Dropped flow' };
    await page.evaluate((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'Dropped flow.json', { type: 'application/json' }));
      const target = document.querySelector('main.content')!;
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, JSON.stringify(flow));
    await list().getByRole('link', { name: 'Dropped flow', exact: true }).waitFor();
  });

  test('bad files get one clear message each and change nothing', async () => {
    const before = await flowNames();
    const cases: [string, string | Buffer, RegExp][] = [
      ['not a flow.json', JSON.stringify({ hello: 'world' }), /not a Langflow flow: it has no "data"/],
      ['broken.json', '{"name": "x", "data": {"nodes": [', /broken\.json is not valid JSON/],
      ['list.json', JSON.stringify([{ name: 'a', data: { nodes: [], edges: [] } }, 7]), /entry 2: it is not a JSON object/],
      ['empty.json', '', /empty\.json is empty/],
      ['fake.zip', 'not really a zip', /fake\.zip is not a zip file/],
      // 20 MB of otherwise valid flow JSON: refused before upload.
      ['huge.json', `{"name":"huge","data":{"nodes":[],"edges":[]},"pad":"${'x'.repeat(20 * 1024 * 1024)}"}`, /huge\.json is 20\.0 MB: flow files up to 10\.0 MB can be imported/],
    ];
    for (const [name, content, message] of cases) {
      const path = join(scratch, name);
      writeFileSync(path, content);
      await pick([path]);
      assert.match(await lastError(), message, name);
      if (name === 'not a flow.json') await screenshot(page, 'import-error');
      await dismissErrors();
    }
    // A valid zip without flows: the server imports nothing, and the page says so.
    const emptyZip = join(scratch, 'nothing.zip');
    writeFileSync(emptyZip, zipSync({ 'readme.txt': strToU8('no flows here') }));
    await pick([emptyZip]);
    assert.match(await lastError(), /nothing\.zip holds no flows/);
    await dismissErrors();
    // A zip the server refuses (a flow file that is not JSON) reports the server's reason.
    const badZip = join(scratch, 'bad.zip');
    writeFileSync(badZip, zipSync({ 'flow.json': strToU8('{ not json') }));
    await pick([badZip]);
    assert.match(await lastError(), /bad\.zip was not imported: flow\.json is not valid JSON/);
    await dismissErrors();
    assert.deepEqual(await flowNames(), before, 'no flow was added or changed');
  });
});
