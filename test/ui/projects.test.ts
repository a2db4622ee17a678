import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestServer } from '../../test-utils/api-server.js';
import { axeViolations, browserSkip, launchBrowser, openPage, screenshot, seriousViolations, startUiServer, superuserHeaders } from '../../test-utils/browser.js';

interface Project {
  id: string;
  name: string;
}
interface FlowRead {
  id: string;
  name: string;
  folder_id: string;
  data: { nodes: unknown[]; edges: unknown[] } | null;
}

describe('projects and flows in the browser', browserSkip, () => {
  let browser: Browser;
  let server: TestServer;
  let auth: Record<string, string>;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  const projects = async () => (await server.call('/api/v1/projects/', { headers: auth })).body as Project[];
  const flowsOf = async (id: string) => ((await server.call(`/api/v1/projects/${id}`, { headers: auth })).body as { flows: FlowRead[] }).flows;
  const sidebar = () => page.getByRole('navigation', { name: 'Projects' });
  const flowList = () => page.locator('.flow-list');
  const menu = async (label: string, item: string) => {
    await page.getByRole('button', { name: label }).click();
    await page.getByRole('menuitem', { name: item }).click();
  };

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), startUiServer({ LANGFLOW_AUTO_LOGIN: 'true' })]);
    auth = await superuserHeaders(server);
    ({ context, page, errors } = await openPage(browser, server, '/'));
    await page.getByRole('heading', { level: 1 }).waitFor();
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  test('the home page shows the default project, empty, and passes axe', async () => {
    const [only] = await projects();
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), only.name);
    await page.getByText('This project has no flows yet').waitFor();
    assert.deepEqual(seriousViolations(await axeViolations(page)), []);
    await screenshot(page, 'home-empty');
  });

  test('create, rename and delete a project from the sidebar', async () => {
    await page.getByRole('button', { name: 'New project', exact: true }).click();
    const name = page.getByLabel('Project name');
    await name.fill('Research');
    await name.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Research' }).waitFor();
    const created = (await projects()).find((p) => p.name === 'Research');
    assert.ok(created, 'created through the API');
    assert.equal(new URL(page.url()).pathname, `/all/folder/${created.id}`);
    assert.equal(await sidebar().getByRole('link', { name: 'Research' }).getAttribute('aria-current'), 'page');

    await menu('Actions for project Research', 'Rename');
    await page.getByLabel('Project name').fill('Research notes');
    await page.getByRole('button', { name: 'Rename' }).click();
    await sidebar().getByRole('link', { name: 'Research notes' }).waitFor();
    assert.ok((await projects()).some((p) => p.id === created.id && p.name === 'Research notes'));

    await menu('Actions for project Research notes', 'Delete');
    await page.getByRole('button', { name: 'Delete project' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await sidebar().getByRole('link', { name: 'Research notes' }).waitFor({ state: 'detached' });
    assert.ok(!(await projects()).some((p) => p.id === created.id));
  });

  test('a blank flow and a flow from an example open in the editor and are listed', async () => {
    const [home] = await projects();
    await page.getByRole('button', { name: 'New flow', exact: true }).click();
    await page.getByRole('dialog', { name: 'New flow' }).getByRole('button', { name: /Blank flow/ }).waitFor();
    await screenshot(page, 'new-flow-dialog');
    await page.getByRole('button', { name: /Blank flow/ }).click();
    // The editor opens on the new flow (what it draws is test/ui/editor.test.ts's business).
    await page.waitForURL(/\/flow\/[0-9a-f-]{36}$/);
    const blank = (await server.call(`/api/v1/flows/${new URL(page.url()).pathname.split('/')[2]}`, { headers: auth })).body as FlowRead;
    assert.equal(blank.name, 'New Flow');
    assert.equal(blank.folder_id, home.id);
    assert.deepEqual([blank.data?.nodes, blank.data?.edges], [[], []]);

    await page.goto('/');
    await page.getByRole('button', { name: 'New flow', exact: true }).click();
    const examples = ((await server.call('/api/v1/starter-projects/', { headers: auth })).body as { name: string; data: { nodes: unknown[] } }[]);
    assert.ok(examples.length > 0, 'the server has examples');
    await page.getByRole('button', { name: new RegExp(examples[0].name) }).click();
    await page.waitForURL(/\/flow\/[0-9a-f-]{36}$/);
    const id = new URL(page.url()).pathname.split('/')[2];
    const stored = (await server.call(`/api/v1/flows/${id}`, { headers: auth })).body as FlowRead;
    assert.equal(stored.name, examples[0].name);
    assert.equal(stored.folder_id, home.id);
    assert.equal(stored.data?.nodes.length, examples[0].data.nodes.length);

    await page.goto('/');
    await flowList().getByRole('link', { name: 'New Flow' }).waitFor();
    await flowList().getByRole('link', { name: examples[0].name }).waitFor();
  });

  test('rename, duplicate, search, move and delete a flow', async () => {
    const [home] = await projects();
    await menu('Actions for flow New Flow', 'Rename');
    await page.getByLabel('Flow name').fill('Support bot');
    await page.getByRole('button', { name: 'Rename' }).click();
    await flowList().getByRole('link', { name: 'Support bot' }).waitFor();

    await menu('Actions for flow Support bot', 'Duplicate');
    await flowList().getByRole('link', { name: 'Support bot (1)' }).waitFor();
    const names = (await flowsOf(home.id)).map((f) => f.name).sort();
    assert.ok(names.includes('Support bot') && names.includes('Support bot (1)'), names.join(', '));

    await page.getByLabel('Search flows').fill('support');
    await page.waitForFunction(() => document.querySelectorAll('.flow-list > li').length === 2);
    await page.getByLabel('Search flows').fill('no such flow');
    await page.getByText('No flow matches').waitFor();
    await page.getByLabel('Search flows').fill('');
    await flowList().getByRole('link', { name: 'Support bot (1)' }).waitFor();

    await page.getByRole('button', { name: 'New project', exact: true }).click();
    await page.getByLabel('Project name').fill('Archive');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: 'Archive' }).waitFor();
    await sidebar().getByRole('link', { name: home.name }).click();
    await menu('Actions for flow Support bot (1)', 'Move to project…');
    await page.getByLabel('Move to project').selectOption({ label: 'Archive' });
    await page.getByRole('button', { name: 'Move', exact: true }).click();
    await flowList().getByRole('link', { name: 'Support bot (1)' }).waitFor({ state: 'detached' });
    const archive = (await projects()).find((p) => p.name === 'Archive')!;
    assert.deepEqual((await flowsOf(archive.id)).map((f) => f.name), ['Support bot (1)']);

    await menu('Actions for flow Support bot', 'Delete');
    await page.getByRole('button', { name: 'Delete flow' }).click();
    await flowList().getByRole('link', { name: 'Support bot', exact: true }).waitFor({ state: 'detached' });
    assert.ok(!(await flowsOf(home.id)).some((f) => f.name === 'Support bot'));
    await screenshot(page, 'home-flows');
  });

  test('keyboard: the flow menu opens with the keyboard and Escape gives focus back', async () => {
    const trigger = page.getByRole('button', { name: /^Actions for flow / }).first();
    await trigger.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menu').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'menuitem');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Rename');
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });
    assert.match((await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))) ?? '', /^Actions for flow /);
    assert.deepEqual(seriousViolations(await axeViolations(page)), []);
    assert.deepEqual(errors, []);
  });
});
