import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { sandboxFetcher } from '../runs/host.js';
import { readSettings } from '../settings.js';
import { Sandbox } from './sandbox.js';

const FETCHER = `import { component } from 'weft';
export default component({
  type: 'Fetcher', displayName: 'Fetcher', inputs: [{ name: 'url', kind: 'text' }], outputs: [{ name: 'out', types: ['Message'] }],
  compute: {
    async out({ url }) {
      if (typeof fetch !== 'function') return 'no fetch';
      try {
        const response = await fetch(url, { headers: { 'x-test': 'yes' } });
        return response.status + ' ' + (await response.text());
      } catch (error) {
        return 'refused: ' + error.message;
      }
    },
  },
});
`;

let http: Server;
let url: string;
before(async () => {
  http = createServer((req, res) => res.end(`hello ${req.headers['x-test']}`));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
});
after(() => new Promise<void>((resolve) => http.close(() => resolve())));

async function fetchWith(env: Record<string, string>): Promise<unknown> {
  const settings = readSettings(env);
  const sandbox = new Sandbox(settings.customComponents, sandboxFetcher(settings));
  try {
    return (await sandbox.run({ code: FETCHER, owner: 'alice', component: 'Fetcher', output: 'out', params: { url }, info: {} })).value;
  } finally {
    await sandbox.close();
  }
}

test('no fetch inside the sandbox unless WEFT_CUSTOM_COMPONENTS_FETCH=true', async () => {
  assert.equal(await fetchWith({}), 'no fetch');
});

test('granted fetch goes through the SSRF-guarded client: a private address is refused unless allowed', async () => {
  assert.match(String(await fetchWith({ WEFT_CUSTOM_COMPONENTS_FETCH: 'true' })), /^refused: .*127\.0\.0\.1/);
  assert.equal(await fetchWith({ WEFT_CUSTOM_COMPONENTS_FETCH: 'true', LANGFLOW_ALLOWED_HOSTS: '127.0.0.1' }), '200 hello yes');
});
