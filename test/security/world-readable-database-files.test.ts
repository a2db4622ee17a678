import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startServer } from '../../src/server.js';
import { loadSettings } from '../../src/services/settings.js';

function mode(path: string): string {
  return (statSync(path).mode & 0o777).toString(8);
}

/**
 * Attack: another account on the machine read the SQLite database (users, API key hashes, flows
 * with their secrets, chat history) because it was created 0644 while the secret key beside it was
 * 0600. Everything Weft creates in its config dir is owner-only.
 */
test('attack: world-readable database files', async () => {
  const parent = mkdtempSync(join(tmpdir(), 'weft-perms-'));
  const configDir = join(parent, 'config');
  const previous = process.umask(0o022);
  const server = await startServer(loadSettings({ LANGFLOW_CONFIG_DIR: configDir, LANGFLOW_HOST: '127.0.0.1', LANGFLOW_PORT: '0' }), { handleSignals: false });
  try {
    // Write something so SQLite has its -wal and -shm files.
    const login = await fetch(`${server.url}/api/v1/auto_login`);
    assert.equal(login.status, 200);
    const db = join(configDir, 'weft.db');
    assert.equal(mode(db), '600');
    for (const side of [`${db}-wal`, `${db}-shm`]) if (existsSync(side)) assert.equal(mode(side), '600', side);
    assert.ok(existsSync(`${db}-wal`), 'WAL mode makes a -wal file');
    assert.equal(mode(join(configDir, 'secret_key')), '600');
    assert.equal(mode(configDir), '700');
  } finally {
    await server.close();
    process.umask(previous);
    rmSync(parent, { recursive: true, force: true });
  }
});
