import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../../test-utils/api-server.js';
import { browserSkip, launchBrowser, openPage, screenshot, startUiServer } from '../../test-utils/browser.js';
import { autoLoginToken, createFlow, nodeTitled, openEditor, readFlow, waitSaved } from './editor-helpers.js';

const SHOUTER = `import { component, Message } from 'weft';

export default component({
  type: 'Shouter',
  displayName: 'Shouter',
  inputs: [{ name: 'text', kind: 'text', displayName: 'Text', toolMode: true }],
  outputs: [{ name: 'loud', displayName: 'Loud', types: ['Message'] }],
  compute: {
    async loud({ text }: { text: string }) {
      return Message(text.toUpperCase() + '!');
    },
  },
});
`;

describe('custom components in the browser', { skip: browserSkip.skip }, () => {
  let browser: Browser;
  let server: TestServer;
  let token: string;
  let page: Page;
  let errors: string[];

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startUiServer({ LANGFLOW_AUTO_LOGIN: 'true' })]);
    token = await autoLoginToken(server);
    ({ page, errors } = await openPage(browser, server, '/'));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('"New custom component", a code editor with the server\'s errors on the lines they name, and Save', async () => {
    const id = await createFlow(server, token, 'custom', { nodes: [], edges: [] });
    await openEditor(page, id);
    await page.getByRole('button', { name: '+ New custom component' }).click();
    const node = nodeTitled(page, 'My Component');
    await node.waitFor();
    assert.equal(await node.locator('.node-warning').count(), 0, 'a custom component is not "not available"');

    await node.getByRole('button', { name: 'Edit code of My Component' }).click();
    const dialog = page.getByRole('dialog', { name: 'Code of My Component' });
    await dialog.locator('.cm-editor').waitFor();
    await dialog.getByText('No problems found.').waitFor({ timeout: 20_000 });

    // A type error typed at the end (line 18): the server's TypeScript check marks that line.
    const content = dialog.locator('.cm-content');
    await content.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText("const n: number = 'x';");
    const problem = dialog.locator('.code-problem[data-line="18"]');
    await problem.waitFor({ timeout: 20_000 });
    assert.match(await problem.innerText(), /Line 18: Type 'string' is not assignable to type 'number'/);
    await dialog.locator('.cm-lint-marker-error').first().waitFor();
    assert.equal(await dialog.locator('.cm-lintRange-error').count() > 0, true, 'the range is underlined in the editor');
    await screenshot(page, 'custom-component-error');

    // New code, saved: the server rebuilds the node (type, title, outputs).
    await content.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(SHOUTER);
    await dialog.getByText('No problems found.').waitFor({ timeout: 20_000 });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const shouter = nodeTitled(page, 'Shouter');
    await shouter.waitFor();
    assert.match(await shouter.locator('.node-outputs').innerText(), /Loud/);
    // Tool mode on and off: the declared outputs come back from the node itself (it is in no catalog).
    const toolSwitch = shouter.getByRole('switch', { name: 'Tool mode for Shouter' });
    await toolSwitch.click();
    await shouter.locator('.node-outputs', { hasText: 'Toolset' }).waitFor();
    await toolSwitch.click();
    await shouter.locator('.node-outputs', { hasText: 'Loud' }).waitFor();
    await waitSaved(page);
    const saved = await readFlow(server, token, id);
    const data = (saved.data.nodes[0] as { data: { type: string; node: { template: { code: { value: string } } } } }).data;
    assert.equal(data.type, 'Shouter');
    assert.equal(data.node.template.code.value, SHOUTER);
    assert.deepEqual(errors, []);
  });
});
