import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, createFlow, multipartFile, startTwoUsers, type Json, type TwoUsers } from './two-users.js';

/** The parameters of a Content-Disposition header, split outside quoted strings. */
function dispositionParams(header: string): string[] {
  const params: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of header) {
    if (char === '"') quoted = !quoted;
    if (char === ';' && !quoted) {
      params.push(current.trim());
      current = '';
    } else current += char;
  }
  params.push(current.trim());
  return params;
}

function checkHeader(header: string | null, expectedName: string): void {
  assert.ok(header, 'a Content-Disposition header');
  const params = dispositionParams(header);
  assert.equal(params[0], 'attachment');
  const plain = params.filter((p) => p.toLowerCase().startsWith('filename='));
  const extended = params.filter((p) => p.toLowerCase().startsWith('filename*='));
  assert.equal(plain.length, 1, `exactly one filename= in ${header}`);
  assert.equal(extended.length, 1, `exactly one filename*= in ${header}`);
  assert.match(plain[0], /^filename="[\x20-\x7e]*"$/);
  assert.equal(decodeURIComponent(extended[0].replace(/^filename\*=UTF-8''/i, '')), expectedName);
}

/**
 * Attack: a `"` in a project name injected a second `filename=` into the download's
 * Content-Disposition, and a non-ASCII name (Cyrillic) made the download answer 500 "Invalid
 * character in header content". Every download route sends a quoted ASCII fallback plus RFC 5987's
 * `filename*=UTF-8''…`.
 */
describe('attack: Content-Disposition injection through file and project names', () => {
  let env: TwoUsers;
  before(async () => {
    env = await startTwoUsers();
  });
  after(async () => env?.stop());

  async function projectDownload(name: string): Promise<Response> {
    const { server, alice } = env;
    const project = await server.call('/api/v1/projects/', { method: 'POST', headers: bearer(alice), json: { name, description: '' } });
    assert.equal(project.status, 201, project.text);
    await createFlow(server, alice, { name: `flow of ${name}`, folder_id: (project.body as Json).id, data: { nodes: [], edges: [] } });
    return fetch(`${server.url}/api/v1/projects/download/${(project.body as Json).id}`, { headers: bearer(alice) });
  }

  test('a quote in a project name cannot add a second filename', async () => {
    const name = 'x"; filename="evil.exe';
    const response = await projectDownload(name);
    assert.equal(response.status, 200);
    checkHeader(response.headers.get('content-disposition'), `${name}.zip`);
    assert.ok(!/filename="evil\.exe"/.test(response.headers.get('content-disposition') ?? ''));
  });

  test('a Cyrillic project name downloads (no 500) with its exact name in filename*', async () => {
    const name = 'Проект отчёты';
    const response = await projectDownload(name);
    assert.equal(response.status, 200, await response.clone().text());
    checkHeader(response.headers.get('content-disposition'), `${name}.zip`);
  });

  test('flow, v1 file and v2 file downloads encode names the same way', async () => {
    const { server, alice } = env;
    const flows = [];
    for (const name of ['Отчёт "a"', 'Plan; b']) flows.push(await createFlow(server, alice, { name, data: { nodes: [], edges: [] } }));
    const zip = await fetch(`${server.url}/api/v1/flows/download/`, { method: 'POST', headers: { ...bearer(alice), 'content-type': 'application/json' }, body: JSON.stringify(flows.map((f) => f.id)) });
    assert.equal(zip.status, 200);
    assert.match(zip.headers.get('content-disposition') ?? '', /^attachment; filename="\d{8}T\d{6}_langflow_flows\.zip"; filename\*=UTF-8''/);

    const v1 = await server.call(`/api/v1/files/upload/${flows[0].id}`, { method: 'POST', headers: bearer(alice), body: multipartFile('счёт; 1.txt', 'v1') });
    assert.equal(v1.status, 201, v1.text);
    const stored = String((v1.body as Json).file_path).split('/')[1];
    const v1Download = await fetch(`${server.url}/api/v1/files/download/${flows[0].id}/${encodeURIComponent(stored)}`, { headers: bearer(alice) });
    assert.equal(v1Download.status, 200);
    checkHeader(v1Download.headers.get('content-disposition'), stored);

    const v2 = await server.call('/api/v2/files/', { method: 'POST', headers: bearer(alice), body: multipartFile('данные; q.csv', 'a,b') });
    assert.equal(v2.status, 201, v2.text);
    const v2Download = await fetch(`${server.url}/api/v2/files/${(v2.body as Json).id}`, { headers: bearer(alice) });
    assert.equal(v2Download.status, 200);
    checkHeader(v2Download.headers.get('content-disposition'), 'данные; q.csv');
  });
});
