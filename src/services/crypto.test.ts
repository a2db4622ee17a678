import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecryptionError, SecretBox } from './crypto.js';

test('secrets round-trip and never appear in the sealed text', () => {
  const box = new SecretBox('server-secret');
  const sealed = box.encrypt('sk-very-secret-value');
  assert.ok(!sealed.includes('very-secret'));
  assert.notEqual(sealed, box.encrypt('sk-very-secret-value'), 'a fresh IV per encryption');
  assert.equal(box.decrypt(sealed), 'sk-very-secret-value');
  assert.equal(new SecretBox('server-secret').decrypt(sealed), 'sk-very-secret-value', 'the key is derived deterministically');
  assert.equal(box.decrypt(box.encrypt('')), '');
});

test('a different secret key or tampering is refused', () => {
  const sealed = new SecretBox('one').encrypt('value');
  assert.throws(() => new SecretBox('two').decrypt(sealed), DecryptionError);
  const parts = sealed.split('.');
  parts[2] = Buffer.from('tampered').toString('base64url');
  assert.throws(() => new SecretBox('one').decrypt(parts.join('.')), DecryptionError);
  assert.throws(() => new SecretBox('one').decrypt('plaintext'), DecryptionError);
});
