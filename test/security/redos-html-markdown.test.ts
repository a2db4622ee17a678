import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { startAttackTarget, type AttackTarget } from './api-surface.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const MB = 1024 * 1024;
const fill = (unit: string, prefix = '<html><body>') => prefix + unit.repeat(Math.floor((MB - prefix.length) / unit.length));

/** 1 MB pages that the former lazy-regex conversion (`<a …>[\s\S]*?</a>`, `<[^>]+>`, …) needed minutes for. */
const shapes: Record<string, string> = {
  'many unclosed links': fill('<a href="x">y'),
  'many < without >': fill('< a'),
  'nested unclosed headings, bold and italics': fill('<div><h2><strong><em>x'),
  'unclosed comments': fill('<!--x'),
  'unclosed scripts': fill('<script>x'),
  'unclosed title, meta and html tags': fill('<title <meta name="description" <html lang="x" '),
};

/**
 * Pen-test finding (MEDIUM): a web page full of unclosed `<a href>` tags, fetched by the URL component with the
 * Markdown format, held the event loop for minutes (every lazy `[\s\S]*?` pair rescanned the rest of the page).
 * Each page, crawled through a flow over HTTP, must be converted within 5 s (the former conversion needed about
 * a second per 100 kB of unclosed links, and its cost grew with the square of the size: minutes for 1 MB).
 */
describe('ReDoS through the URL component’s HTML conversion', () => {
  let target: AttackTarget;
  let site: Server;
  let siteUrl: string;
  let flowId: string;
  let urlNode: string;

  before(async () => {
    site = createServer((request, response) => {
      const body = shapes[decodeURIComponent((request.url ?? '/').slice(1))] ?? '<html><body><h1>Fine</h1><p>A <a href="/x">link</a></p></body></html>';
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    target = await startAttackTarget({ LANGFLOW_ALLOWED_HOSTS: '127.0.0.1' });
    const flow = new FlowBuilder('Crawler');
    urlNode = flow.node('URLComponent', { urls: [`${siteUrl}/fine`], format: 'Markdown' });
    const output = flow.node('ChatOutput', {});
    flow.connect(urlNode, 'raw_results', output, 'input_value');
    const created = await target.server.call('/api/v1/flows/', { method: 'POST', headers: target.headers, json: { name: 'Crawler', data: flow.build().data } });
    assert.equal(created.status, 201, created.text);
    flowId = (created.body as Json).id as string;
  });
  after(async () => {
    await target?.server.stop();
    site?.close();
  });

  async function crawl(url: string, format: string) {
    const started = Date.now();
    const response = await target.server.call(`/api/v1/run/${flowId}`, {
      method: 'POST',
      headers: target.headers,
      json: { input_value: '', tweaks: { [urlNode]: { urls: [url], format } } },
      signal: AbortSignal.timeout(60_000),
    });
    return { response, elapsed: Date.now() - started };
  }

  test('an ordinary page still converts to Markdown', async () => {
    const { response } = await crawl(`${siteUrl}/fine`, 'Markdown');
    assert.equal(response.status, 200, response.text.slice(0, 300));
    assert.match(response.text, /# Fine\\nA \[link\]\(\/x\)/);
  });

  for (const [name, page] of Object.entries(shapes)) {
    for (const format of ['Markdown', 'Text']) {
      test(`${name} (${format})`, async () => {
        const { response, elapsed } = await crawl(`${siteUrl}/${encodeURIComponent(name)}`, format);
        assert.equal(response.status, 200, response.text.slice(0, 300));
        assert.ok(elapsed < 5000, `a ${page.length}-character page took ${elapsed} ms`);
      });
    }
  }

  test('the server is intact afterwards', async () => {
    await target.assertIntact();
  });
});
