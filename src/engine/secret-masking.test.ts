import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSecretKey, maskedJson, maskSecrets, REDACTED, secretMaskingReplacer } from './secret-masking.js';

test('secret keys: Langflow\'s names and suffixes, case-insensitive, not look-alikes such as max_tokens', () => {
  for (const key of ['api_key', 'API-KEY', 'apikey', 'password', 'db_password', 'Authorization', 'x-auth', 'openai_api_key', 'access_token', 'private-key', 'credentials', 'client_secret']) {
    assert.equal(isSecretKey(key), true, key);
  }
  for (const key of ['max_tokens', 'author', 'model_name', 'headers', 'input_value', 'tokens_used']) assert.equal(isSecretKey(key), false, key);
});

test('maskSecrets: at any depth, in lists too; long values keep 4+4 characters, short and non-string ones are redacted; code is left out', () => {
  const masked = maskSecrets({
    api_key: 'sk-proj-abcdefghijklmnop',
    password: 'hunter2',
    model_kwargs: { api_key: 'sk-nested-0123456789', temperature: 0.2 },
    headers: { Authorization: 'Bearer a-very-long-token-value', Accept: 'application/json' },
    connection: { settings: [{ password: 'deep-secret-value-1' }] },
    credentials: { user: 'u', key: 'k' },
    token: '',
    code: 'print("hi")',
    max_tokens: 256,
  });
  assert.deepEqual(masked, {
    api_key: 'sk-p...mnop',
    password: REDACTED,
    model_kwargs: { api_key: 'sk-n...6789', temperature: 0.2 },
    headers: { Authorization: 'Bear...alue', Accept: 'application/json' },
    connection: { settings: [{ password: 'deep...ue-1' }] },
    credentials: REDACTED,
    token: REDACTED,
    max_tokens: 256,
  });
  // Masking a masked value again (Langflow's read path) hides it entirely.
  assert.deepEqual(maskSecrets(masked).model_kwargs, { api_key: REDACTED, temperature: 0.2 });
  assert.equal(maskSecrets(null), null);
});

test('maskedJson: the replacer’s output, with or without keys to mask', () => {
  const values: unknown[] = [
    { a: 1, b: { text: 'token value', list: [{ c: 'x' }] } },
    { api_key: 'sk-0123456789abcdef', nested: { db_password: 'p', code: 'print(1)', Authorization: 'Bearer abc' } },
    { 'we"ird_token': 'abcdefghijklmnop', passwd: 'x', credentials: 'y' },
    'plain',
    [1, { token: 't' }],
  ];
  for (const value of values) assert.equal(maskedJson(value), JSON.stringify(value, secretMaskingReplacer));
});
