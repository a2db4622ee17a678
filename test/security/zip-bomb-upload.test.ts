import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { constants, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';

type Json = Record<string, unknown>;

const MB = 1024 * 1024;

interface RawEntry {
  name: string;
  /** The entry's data as stored (deflated unless `method` is 0). */
  data: Buffer;
  /** What the headers claim the entry unpacks to. */
  declaredSize: number;
  method?: number;
}

/** A zip written field by field, so the sizes it declares can lie (CRCs are left 0: Weft does not check them). */
function zipOf(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.method ?? 8, 8);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(entry.method ?? 8, 10);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data);
    centrals.push(central, name);
    offset += 30 + name.length + entry.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * A raw deflate stream of `gigabytes` GB of spaces in about 1 KB per MB, built in milliseconds: one
 * MB deflated and fully flushed is a byte-aligned run of blocks with no reference outside itself, so
 * copies of it can follow each other; an empty final block ends the stream.
 */
async function deflateBomb(gigabytes: number): Promise<Buffer> {
  const deflater = createDeflateRaw({ level: 9 });
  const pieces: Buffer[] = [];
  deflater.on('data', (piece: Buffer) => pieces.push(piece));
  deflater.write(Buffer.alloc(MB, ' '));
  await new Promise<void>((resolve) => deflater.flush(constants.Z_FULL_FLUSH, () => resolve()));
  deflater.close();
  const megabyte = Buffer.concat(pieces);
  return Buffer.concat([...Array.from({ length: gigabytes * 1024 }, () => megabyte), deflateRawSync(Buffer.alloc(0))]);
}

/** A flow file's JSON, deflated, as a zip entry. */
function flowEntry(name: string): RawEntry {
  const json = Buffer.from(JSON.stringify({ name, description: '', data: { nodes: [], edges: [] } }));
  return { name: `${name}.json`, data: deflateRawSync(json), declaredSize: json.length };
}

/**
 * Pen test (issue 10): uploaded zips of flows (`/api/v1/flows/upload/`, `/api/v1/projects/upload/`)
 * were inflated whole by fflate. Memory was held to each entry's declared size, but a 1 MB entry that
 * declares 100 bytes and inflates to 1 GB kept the event loop busy for ~15 s (a 32 MB upload: minutes),
 * and any number of entries was listed. Now the entry count and declared sizes are checked before
 * inflating, and inflation stops at the declared size.
 */
describe('attack: zip bombs through flow and project uploads', () => {
  let server: TestServer;
  let auth: Record<string, string>;
  let lyingBomb: Buffer;

  before(async () => {
    server = await startTestServer('sqlite');
    auth = { authorization: `Bearer ${((await server.call('/api/v1/auto_login')).body as Json).access_token as string}` };
    lyingBomb = zipOf([flowEntry('honest'), { name: 'bomb.json', data: await deflateBomb(1), declaredSize: 100 }]);
  });
  after(async () => server?.stop());

  async function upload(path: string, zip: Buffer): Promise<{ status: number; body: Json; elapsedMs: number }> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(zip)]), 'flows.zip');
    const started = performance.now();
    const response = await server.call(path, { method: 'POST', headers: auth, body: form });
    return { status: response.status, body: response.body as Json, elapsedMs: performance.now() - started };
  }

  for (const path of ['/api/v1/flows/upload/', '/api/v1/projects/upload/']) {
    test(`${path}: an entry that inflates past its declared size is refused at once, without growing memory`, async () => {
      const rssBefore = process.memoryUsage().rss;
      const response = await upload(path, lyingBomb);
      assert.equal(response.status, 400, JSON.stringify(response.body));
      assert.match(String(response.body.detail), /bomb\.json inflates to more than the 100 bytes it declares/);
      assert.ok(response.elapsedMs < 3000, `took ${Math.round(response.elapsedMs)} ms`);
      assert.ok(process.memoryUsage().rss - rssBefore < 100 * MB, `RSS grew by ${Math.round((process.memoryUsage().rss - rssBefore) / MB)} MB`);
    });
  }

  test('an entry that declares more than WEFT_MAX_UNZIPPED_SIZE_MB is refused before inflating', async () => {
    const response = await upload('/api/v1/flows/upload/', zipOf([{ name: 'big.json', data: await deflateBomb(1), declaredSize: 1024 * MB }]));
    assert.equal(response.status, 413, JSON.stringify(response.body));
    assert.match(String(response.body.detail), /unpacks to more than the maximum of 32 MB \(WEFT_MAX_UNZIPPED_SIZE_MB\)/);
    assert.ok(response.elapsedMs < 3000, `took ${Math.round(response.elapsedMs)} ms`);
  });

  test('declared sizes add up across entries', async () => {
    const json = Buffer.alloc(20 * MB, ' ');
    const entry = (name: string): RawEntry => ({ name, data: deflateRawSync(json), declaredSize: json.length });
    const response = await upload('/api/v1/flows/upload/', zipOf([entry('a.json'), entry('b.json')]));
    assert.equal(response.status, 413, JSON.stringify(response.body));
  });

  test('more entries than WEFT_MAX_ZIP_ENTRIES are refused before any is read', async () => {
    const empty = { data: deflateRawSync(Buffer.alloc(0)), declaredSize: 0 };
    const entries = Array.from({ length: 1001 }, (_, index) => ({ name: `notes/${index}.txt`, ...empty }));
    const response = await upload('/api/v1/flows/upload/', zipOf(entries));
    assert.equal(response.status, 413, JSON.stringify(response.body));
    assert.match(String(response.body.detail), /more than the maximum of 1000 entries \(WEFT_MAX_ZIP_ENTRIES\)/);
  });

  test('a truncated or garbled zip is a 400, not a 500', async () => {
    const good = zipOf([flowEntry('one')]);
    for (const broken of [good.subarray(0, good.length - 30), Buffer.concat([Buffer.from('PK'), Buffer.alloc(100)]), zipOf([{ ...flowEntry('two'), method: 12 }])]) {
      const response = await upload('/api/v1/flows/upload/', broken);
      assert.equal(response.status, 400, JSON.stringify(response.body));
      assert.equal(typeof response.body.detail, 'string');
    }
  });

  test('ordinary zips of flows still upload, stored and deflated entries alike', async () => {
    const stored = Buffer.from(JSON.stringify({ name: 'stored', data: { nodes: [], edges: [] } }));
    const zip = zipOf([flowEntry('first'), { name: 'dir/stored.json', data: stored, declaredSize: stored.length, method: 0 }, { name: 'readme.txt', data: deflateRawSync('hi'), declaredSize: 2 }]);
    const response = await upload('/api/v1/flows/upload/', zip);
    assert.equal(response.status, 201, JSON.stringify(response.body));
    assert.deepEqual((response.body as unknown as Json[]).map((flow) => flow.name).sort(), ['first', 'stored']);
    // And a zip as a library writes it (Weft's own project downloads use fflate).
    const written = zipSync({ 'p/x.json': strToU8(JSON.stringify({ name: 'x', data: { nodes: [], edges: [] } })), 'p/': new Uint8Array(0) });
    const again = await upload('/api/v1/flows/upload/', Buffer.from(written));
    assert.equal(again.status, 201, JSON.stringify(again.body));
  });
});
