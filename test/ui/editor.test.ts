import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { TestServer } from '../../test-utils/api-server.js';
import { axeViolations, browserSkip, launchBrowser, openPage, screenshot, seriousViolations, startUiServer } from '../../test-utils/browser.js';
import { startersSkip } from '../../test-utils/paths.js';
import {
  autoLoginToken,
  createFlow,
  dragComponent,
  dragConnect,
  drawnEdges,
  drawnNodes,
  handle,
  importFlows,
  nodeTitled,
  openEditor,
  readFlow,
  waitForDrawn,
  waitSaved,
  type Json,
} from './editor-helpers.js';
import { starterFiles, starterJson } from './starters.js';

// Most cases start from Langflow's own starter projects, so the suite needs them as well as Chromium.
describe('flow editor in the browser', { skip: browserSkip.skip || startersSkip.skip }, () => {
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

  test('draws every node and every edge of each Langflow starter project', async () => {
    const files = starterFiles();
    const ids = await importFlows(server, token, files.map((file) => ({ name: file, json: starterJson(file) })));
    assert.equal(ids.length, files.length);
    for (const [index, file] of files.entries()) {
      const { data } = starterJson(file) as { data: { nodes: unknown[]; edges: unknown[] } };
      await openEditor(page, ids[index]);
      await waitForDrawn(page, data.nodes.length, data.edges.length);
      assert.equal(await drawnNodes(page), data.nodes.length, `${file}: nodes`);
      assert.equal(await drawnEdges(page), data.edges.length, `${file}: edges`);
      if (file === 'Basic Prompting.json' || file === 'Vector Store RAG.json') await screenshot(page, `editor-${file.replace(/\W+/g, '-').toLowerCase()}`);
    }
    // Types Weft does not have are drawn, clearly marked (Vector Store RAG uses AstraDB).
    await openEditor(page, ids[files.indexOf('Vector Store RAG.json')]);
    await page.locator('.flow-node.unknown').first().waitFor();
    assert.match(await page.locator('.flow-node.unknown .node-warning').first().innerText(), /Not available in Weft/);
    assert.deepEqual(errors, []);
  });

  test('builds Chat Input → Prompt → Chat Output by dragging and connecting, runs it and shows the output', async () => {
    const id = await createFlow(server, token, 'Built by hand', { nodes: [], edges: [] });
    await openEditor(page, id);
    await page.locator('.sidebar-item[data-component="ChatInput"]').waitFor();
    await dragComponent(page, 'ChatInput', { x: 20, y: 60 });
    await dragComponent(page, 'Prompt Template', { x: 360, y: 20 });
    await dragComponent(page, 'ChatOutput', { x: 700, y: 60 });
    await waitForDrawn(page, 3, 0);
    assert.equal(await drawnNodes(page), 3);

    const input = nodeTitled(page, 'Chat Input');
    const prompt = nodeTitled(page, 'Prompt Template');
    const output = nodeTitled(page, 'Chat Output');
    await prompt.getByLabel('Prompt Template Template', { exact: true }).fill('Answer: {question}');
    // The server turns {question} into an input field of the prompt.
    await handle(prompt, 'in:question').waitFor();
    await input.getByLabel('Chat Input Input Text', { exact: true }).fill('hello there');

    await dragConnect(page, handle(input, 'out:message'), handle(prompt, 'in:question'));
    await dragConnect(page, handle(prompt, 'out:prompt'), handle(output, 'in:input_value'));
    await waitForDrawn(page, 3, 2);
    assert.equal(await drawnEdges(page), 2);

    await page.getByRole('button', { name: '▶ Run' }).click();
    await page.getByTestId('run-state').filter({ hasText: 'Run finished' }).waitFor({ timeout: 30_000 });
    for (const node of [input, prompt, output]) assert.match(await node.getByTestId('run-status').innerText(), /^Done/);
    await output.getByRole('button', { name: 'Inspect outputs' }).click();
    const shown = page.locator('.output-inspector .output-text').first();
    await shown.waitFor();
    assert.equal(await shown.innerText(), 'Answer: hello there');
    await screenshot(page, 'editor-built-and-run');

    // Saved automatically: the stored flow runs the same.
    await waitSaved(page);
    const stored = await readFlow(server, token, id);
    assert.equal(stored.data.nodes.length, 3);
    assert.equal(stored.data.edges.length, 2);
    assert.deepEqual(errors, []);
  });

  test('refuses an incompatible connection and says why', async () => {
    const id = await createFlow(server, token, 'Incompatible', { nodes: [], edges: [] });
    await openEditor(page, id);
    await page.locator('.sidebar-item[data-component="ChatInput"]').waitFor();
    await dragComponent(page, 'ChatInput', { x: 40, y: 60 });
    await page.getByLabel('Search components').fill('language model');
    await dragComponent(page, 'LanguageModelComponent', { x: 560, y: 60 });
    await waitForDrawn(page, 2, 0);
    await dragConnect(page, handle(nodeTitled(page, 'Chat Input'), 'out:message'), handle(nodeTitled(page, 'Language Model'), 'in:model'));
    const notice = page.getByTestId('editor-notice');
    await notice.waitFor();
    assert.match(await notice.innerText(), /Cannot connect: Chat Input › Chat Message gives Message, but Language Model › Language Model accepts LanguageModel/);
    assert.equal(await drawnEdges(page), 0);
    await screenshot(page, 'editor-incompatible-connection');
  });

  test('a field edit is saved (read back through the API); undo and redo', async () => {
    const basic = starterJson('Basic Prompting.json') as { data: { nodes: Json[]; edges: Json[] } };
    const id = await createFlow(server, token, 'Edit me', basic.data);
    await openEditor(page, id);
    await waitForDrawn(page, basic.data.nodes.length, basic.data.edges.length);
    const prompt = nodeTitled(page, 'Prompt');
    const template = prompt.getByLabel('Prompt Template', { exact: true });
    await template.fill('You are a terse assistant.');
    await waitSaved(page);
    const stored = await readFlow(server, token, id);
    const promptNode = stored.data.nodes.find((n) => (n.data as Json).type === 'Prompt') as { data: { node: { template: { template: { value: string } } } } };
    assert.equal(promptNode.data.node.template.template.value, 'You are a terse assistant.');

    // Delete the model (its three edges go with it), undo, redo — by keyboard.
    assert.deepEqual(seriousViolations(await axeViolations(page)), [], 'editor accessibility');

    const nodes = await drawnNodes(page);
    await nodeTitled(page, 'Language Model').locator('.node-header').click();
    await page.keyboard.press('Delete');
    await waitForDrawn(page, nodes - 1, 0);
    assert.equal(await drawnNodes(page), nodes - 1);
    assert.equal(await drawnEdges(page), 0);
    await page.keyboard.press('Control+z');
    await waitForDrawn(page, nodes, 3);
    assert.equal(await drawnEdges(page), 3);
    await page.keyboard.press('Control+Shift+z');
    await waitForDrawn(page, nodes - 1, 0);
    assert.equal(await drawnNodes(page), nodes - 1);
    // And with the toolbar.
    await page.getByRole('button', { name: 'Undo' }).click();
    await waitForDrawn(page, nodes, 3);
    assert.equal(await drawnNodes(page), nodes);
    await waitSaved(page);
    assert.equal((await readFlow(server, token, id)).data.edges.length, 3);
  });

  test('copy and paste between flows, duplicate', async () => {
    const basic = starterJson('Basic Prompting.json') as { data: { nodes: Json[]; edges: Json[] } };
    const from = await createFlow(server, token, 'Copy from', basic.data);
    const to = await createFlow(server, token, 'Paste into', { nodes: [], edges: [] });
    await openEditor(page, from);
    await waitForDrawn(page, basic.data.nodes.length, basic.data.edges.length);
    await nodeTitled(page, 'Chat Input').locator('.node-header').click();
    await page.keyboard.press('Control+c');
    await openEditor(page, to);
    await page.locator('.react-flow__pane').click({ position: { x: 50, y: 50 } });
    await page.keyboard.press('Control+v');
    await waitForDrawn(page, 1, 0);
    assert.equal(await drawnNodes(page), 1);
    await page.keyboard.press('Control+d');
    await waitForDrawn(page, 2, 0);
    assert.equal(await drawnNodes(page), 2);
    await waitSaved(page);
    const stored = await readFlow(server, token, to);
    const ids = stored.data.nodes.map((n) => n.id as string);
    assert.equal(new Set(ids).size, 2);
    assert.ok(ids.every((nodeId) => /^ChatInput-[A-Za-z0-9]{5}$/.test(nodeId) && !basic.data.nodes.some((n) => n.id === nodeId)));
  });

  test('import → edit → export keeps what Weft does not know', async () => {
    const basic = structuredClone(starterJson('Basic Prompting.json')) as Json & { data: { nodes: Json[]; edges: Json[] } & Json };
    basic.data.future_key = { kept: true };
    basic.data.nodes[0].future_node_key = [1, 2, 3];
    basic.data.edges[0].future_edge_key = 'edge';
    const alien = { id: 'AstraDB-q1w2e', type: 'genericNode', position: { x: 1400, y: 300 }, data: { id: 'AstraDB-q1w2e', type: 'AstraDB', node: { display_name: 'Astra DB', template: { token: { type: 'str', value: 'x', show: true } }, outputs: [] } } };
    basic.data.nodes.push(alien);
    const [id] = await importFlows(server, token, [{ name: 'round-trip.json', json: { ...basic, name: 'Round trip' } }]);
    await openEditor(page, id);
    await waitForDrawn(page, basic.data.nodes.length, basic.data.edges.length);
    await page.locator('.flow-node.unknown').filter({ hasText: 'Astra DB' }).waitFor();
    await nodeTitled(page, 'Prompt').getByLabel('Prompt Template', { exact: true }).fill('Edited before export');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { name: string; data: { nodes: Json[]; edges: Json[] } & Json };
    assert.equal(exported.name, 'Round trip');
    assert.deepEqual(exported.data.future_key, { kept: true });
    assert.deepEqual(exported.data.nodes.find((n) => n.id === basic.data.nodes[0].id)?.future_node_key, [1, 2, 3]);
    assert.equal(exported.data.edges.find((e) => e.id === basic.data.edges[0].id)?.future_edge_key, 'edge');
    // The unknown component comes back as it went in (plus React Flow's measured size, which Langflow also saves).
    const { measured: _measured, ...exportedAlien } = exported.data.nodes.find((n) => n.id === alien.id)!;
    assert.deepEqual(exportedAlien, alien);
    const prompt = exported.data.nodes.find((n) => (n.data as Json).type === 'Prompt') as { data: { node: { template: { template: { value: string } } } } };
    assert.equal(prompt.data.node.template.template.value, 'Edited before export');
    assert.equal(exported.data.edges.length, basic.data.edges.length);
  });

  test('a failing component is shown failed with its message', async () => {
    const basic = starterJson('Basic Prompting.json') as { data: { nodes: Json[]; edges: Json[] } };
    const id = await createFlow(server, token, 'Fails', basic.data);
    await openEditor(page, id);
    await waitForDrawn(page, basic.data.nodes.length, basic.data.edges.length);
    await page.getByRole('button', { name: '▶ Run' }).click();
    await page.getByTestId('run-state').filter({ hasText: 'Run failed' }).waitFor({ timeout: 30_000 });
    const model = nodeTitled(page, 'Language Model');
    assert.equal(await model.getByTestId('run-status').innerText(), 'Failed');
    const message = await model.locator('.node-error').innerText();
    assert.ok(message.length > 5, message);
    assert.match(await page.getByTestId('run-state').innerText(), new RegExp(message.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await screenshot(page, 'editor-failed-component');
  });

  test('tool mode, groups and notes', async () => {
    const palette = (await server.call('/api/v1/all', { headers: { authorization: `Bearer ${token}` } })).body as Record<string, Record<string, Json>>;
    const body = (name: string) => structuredClone(Object.values(palette).find((group) => group[name])![name]);
    const node = (id: string, type: string, x: number, y: number, extra: Json = {}) => ({ id, type: 'genericNode', position: { x, y }, data: { id, type, node: body(type), ...extra } });
    const inner = [node('ChatInput-in001', 'ChatInput', 0, 0), node('ChatOutput-in002', 'ChatOutput', 400, 0)];
    const group = {
      id: 'GroupNode-g0001',
      type: 'genericNode',
      position: { x: 40, y: 420 },
      data: {
        id: 'GroupNode-g0001',
        type: 'GroupNode',
        node: {
          display_name: 'Echo group',
          description: 'Two components grouped',
          template: { input_value: { ...(body('ChatInput') as { template: Record<string, Json> }).template.input_value, proxy: { id: 'ChatInput-in001', field: 'input_value' } } },
          outputs: [{ name: 'message', display_name: 'Message', types: ['Message'], proxy: { id: 'ChatOutput-in002', name: 'message' } }],
          flow: { data: { nodes: inner, edges: [] } },
        },
      },
    };
    const note = { id: 'note-n0001', type: 'noteNode', position: { x: 760, y: 420 }, width: 300, height: 160, data: { id: 'note-n0001', type: 'note', node: { description: 'Old note', template: { backgroundColor: 'amber' } } } };
    const id = await createFlow(server, token, 'Tools, groups, notes', { nodes: [node('CalculatorComponent-c0001', 'CalculatorComponent', 40, 40), node('Agent-a0001', 'Agent', 520, 0), group, note], edges: [], viewport: { x: 0, y: 0, zoom: 0.8 } });
    await openEditor(page, id);
    await waitForDrawn(page, 4, 0);
    assert.match(await nodeTitled(page, 'Echo group').innerText(), /Group of 2 components/);

    const calculator = nodeTitled(page, 'Calculator');
    assert.equal(await handle(calculator, 'out:result').count(), 1);
    await calculator.getByRole('switch', { name: 'Tool mode for Calculator' }).check();
    await handle(calculator, 'out:component_as_tool').waitFor();
    assert.equal(await handle(calculator, 'out:result').count(), 0);
    await dragConnect(page, handle(calculator, 'out:component_as_tool'), handle(nodeTitled(page, 'Agent'), 'in:tools'));
    await waitForDrawn(page, 4, 1);
    assert.equal(await drawnEdges(page), 1);

    await page.getByTestId('note-node').dblclick();
    const text = page.getByLabel('Note text');
    await text.fill('New note');
    await text.blur();
    await waitSaved(page);
    const stored = await readFlow(server, token, id);
    const savedCalculator = stored.data.nodes.find((n) => n.id === 'CalculatorComponent-c0001') as { data: { node: { outputs: { name: string }[]; tool_mode: boolean } } };
    assert.deepEqual(savedCalculator.data.node.outputs.map((o) => o.name), ['component_as_tool']);
    assert.equal(savedCalculator.data.node.tool_mode, true);
    assert.equal((stored.data.nodes.find((n) => n.id === 'note-n0001') as { data: { node: { description: string } } }).data.node.description, 'New note');
    assert.deepEqual((stored.data.nodes.find((n) => n.id === 'GroupNode-g0001') as Json).data, group.data, 'the group is kept as it was');
    assert.equal(stored.data.edges.length, 1);
    await screenshot(page, 'editor-tools-groups-notes');
  });

  test('an edge to a missing component: the rest is drawn and the user is told', async () => {
    const basic = structuredClone(starterJson('Basic Prompting.json')) as { data: { nodes: Json[]; edges: Json[] } };
    basic.data.edges.push({ id: 'dangling', source: 'Gone-00000', target: basic.data.nodes[0].id as string, sourceHandle: 'x', targetHandle: 'y' });
    const id = await createFlow(server, token, 'Dangling edge', basic.data);
    await openEditor(page, id);
    await waitForDrawn(page, basic.data.nodes.length, basic.data.edges.length - 1);
    assert.equal(await drawnNodes(page), basic.data.nodes.length);
    const banner = page.locator('.editor-banner');
    await banner.waitFor();
    assert.match(await banner.innerText(), /could not be drawn \(its source component Gone-00000 is not in the flow\)/);
  });
});
