// Helpers of the editor's browser tests: flows created over the API, the canvas counted and driven
// with the mouse as a user would.
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import type { TestServer } from '../../test-utils/api-server.js';

export type Json = Record<string, unknown>;

/** An access token of the auto-login superuser. */
export async function autoLoginToken(server: TestServer): Promise<string> {
  const answer = await server.call('/api/v1/auto_login');
  assert.equal(answer.status, 200, answer.text);
  return (answer.body as { access_token: string }).access_token;
}

export async function createFlow(server: TestServer, token: string, name: string, data: unknown): Promise<string> {
  const answer = await server.call('/api/v1/flows/', { method: 'POST', headers: { authorization: `Bearer ${token}` }, json: { name, description: '', data } });
  assert.equal(answer.status, 201, answer.text);
  return (answer.body as { id: string }).id;
}

/** Imports flow files as Langflow's import does (POST /api/v1/flows/upload/), giving the new flows' ids. */
export async function importFlows(server: TestServer, token: string, files: { name: string; json: unknown }[]): Promise<string[]> {
  const ids: string[] = [];
  for (const file of files) {
    const form = new FormData();
    form.append('file', new Blob([JSON.stringify(file.json)], { type: 'application/json' }), file.name);
    const answer = await server.call('/api/v1/flows/upload/', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    assert.equal(answer.status, 201, answer.text);
    ids.push(...(answer.body as { id: string }[]).map((f) => f.id));
  }
  return ids;
}

export async function readFlow(server: TestServer, token: string, id: string): Promise<Json & { data: { nodes: Json[]; edges: Json[] } }> {
  const answer = await server.call(`/api/v1/flows/${id}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(answer.status, 200, answer.text);
  return answer.body as Json & { data: { nodes: Json[]; edges: Json[] } };
}

/** Opens a flow in the editor and waits until its canvas is there. */
export async function openEditor(page: Page, id: string): Promise<void> {
  await page.goto(`/flow/${id}`);
  await page.locator('.react-flow__viewport').waitFor();
}

export const drawnNodes = (page: Page) => page.locator('.react-flow__node').count();
export const drawnEdges = (page: Page) => page.locator('.react-flow__edge').count();

/** Waits until the canvas draws `nodes` nodes and `edges` edges (edges appear once their handles are measured). */
export async function waitForDrawn(page: Page, nodes: number, edges: number, timeout = 15_000): Promise<void> {
  await page
    .waitForFunction(([n, e]) => document.querySelectorAll('.react-flow__node').length === n && document.querySelectorAll('.react-flow__edge').length === e, [nodes, edges] as const, { timeout })
    .catch(() => undefined);
}

/** The node on the canvas whose title is `title` (the first, or the n-th). */
export function nodeTitled(page: Page, title: string, nth = 0): Locator {
  return page.locator('.react-flow__node').filter({ has: page.locator('.node-title', { hasText: new RegExp(`^${title}$`) }) }).nth(nth);
}

export function handle(node: Locator, id: string): Locator {
  return node.locator(`.react-flow__handle[data-handleid="${id}"]`);
}

async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  assert.ok(box, 'element has no box');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags from one handle to another with the mouse, as a user connects two components. */
export async function dragConnect(page: Page, from: Locator, to: Locator): Promise<void> {
  const start = await centre(from);
  const end = await centre(to);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2, { steps: 5 });
  await page.mouse.move(end.x, end.y, { steps: 5 });
  await page.mouse.up();
}

/** Drags a component from the sidebar onto the canvas at a point of the canvas (HTML drag and drop). */
export async function dragComponent(page: Page, key: string, at: { x: number; y: number }): Promise<void> {
  const item = page.locator(`.sidebar-item[data-component="${key}"]`);
  await item.scrollIntoViewIfNeeded();
  await item.dragTo(page.locator('.react-flow__pane'), { targetPosition: at });
}

/** Waits for the save indicator to say "Saved". */
export async function waitSaved(page: Page): Promise<void> {
  await page.getByTestId('save-status').filter({ hasText: /^Saved$/ }).waitFor({ timeout: 15_000 });
}
