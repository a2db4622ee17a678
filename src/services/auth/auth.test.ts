import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import type { ErrorCode } from '../../engine/errors.js';
import { SignJWT } from 'jose';
import type { Database } from '../database/index.js';
import { describeEachDialect } from '../../../test-utils/database.js';
import { checkApiKey, presentedApiKey } from './api-key-check.js';
import { createApiKey, listApiKeys } from './api-keys.js';
import { bearerToken, currentActiveUser, currentSuperuser } from './current-user.js';
import { AUTH_TEXTS, AuthError } from './errors.js';
import { createTokenPair, logout, logoutToken, refreshTokens, userFromAccessToken } from './tokens.js';
import { createTestUser, testAuthSettings, type TestSettings } from '../../../test-utils/auth.js';

function rejectsWith(code: ErrorCode, detail: string) {
  return (error: unknown) => {
    assert.ok(error instanceof AuthError, String(error));
    assert.equal(error.code, code);
    assert.equal(error.detail, detail);
    return true;
  };
}

describeEachDialect('auth', (database) => {
  const ctx = (overrides: Partial<TestSettings> = {}) => ({ repos: database() as Database, settings: testAuthSettings(overrides) });

  it('API keys are stored only as a SHA-256 hash and listed masked', async () => {
    const user = await createTestUser(database());
    const created = await createApiKey(database(), user.id, 'ci');
    assert.match(created.api_key, /^sk-[A-Za-z0-9_-]{43}$/);
    const rows = await database().db.selectFrom('apikey').selectAll().where('user_id', '=', user.id).execute();
    assert.equal(rows.length, 1);
    assert.ok(!JSON.stringify(rows).includes(created.api_key.slice(3)), 'the plaintext key is nowhere in the table');
    assert.equal(rows[0].key_hash, createHash('sha256').update(created.api_key).digest('hex'));
    const [listed] = await listApiKeys(database(), user.id);
    assert.equal(listed.api_key, created.api_key.slice(0, 8) + '*'.repeat(created.api_key.length - 8));
    assert.equal(listed.total_uses, 0);
  });

  it('checkApiKey follows Langflow: key owner, use counted, exact 403 texts', async () => {
    const user = await createTestUser(database());
    const { api_key: key } = await createApiKey(database(), user.id, null);
    const manual = ctx({ autoLogin: false });
    assert.equal((await checkApiKey({ ...manual, key })).id, user.id);
    const [used] = await listApiKeys(database(), user.id);
    assert.equal(used.total_uses, 1);
    assert.ok(used.last_used_at);
    await assert.rejects(checkApiKey({ ...manual, key: null }), rejectsWith('forbidden', 'An API key must be passed as query or header'));
    await assert.rejects(checkApiKey({ ...manual, key: 'sk-wrong' }), rejectsWith('forbidden', 'Invalid or missing API key'));

    const auto = ctx({ autoLogin: true });
    await assert.rejects(checkApiKey({ ...auto, key: undefined }), rejectsWith('forbidden', AUTH_TEXTS.autoLoginNeedsApiKey));
    assert.equal((await checkApiKey({ ...auto, key })).id, user.id);
    const superuser = await database().users.create({ username: auto.settings.superuser, passwordHash: 'x', isActive: true, isSuperuser: true });
    const skipping = { ...auto, settings: { ...auto.settings, skipAuthAutoLogin: true } };
    assert.equal((await checkApiKey({ ...skipping, key: null })).id, superuser.id);
    assert.equal(presentedApiKey('from-query', 'from-header'), 'from-query');
    assert.equal(presentedApiKey(undefined, 'from-header'), 'from-header');
  });

  it('the key and its owner are read per request: a deleted key or a deactivated owner stops at once', async () => {
    const manual = ctx({ autoLogin: false });
    const user = await createTestUser(database());
    const created = await createApiKey(database(), user.id, 'gone soon');
    assert.equal((await checkApiKey({ ...manual, key: created.api_key })).id, user.id);
    await database().users.update(user.id, { isActive: false });
    await assert.rejects(checkApiKey({ ...manual, key: created.api_key }), rejectsWith('unauthenticated', AUTH_TEXTS.inactiveUser));
    await database().users.update(user.id, { isActive: true });
    assert.equal((await database().apiKeys.deleteForUser(created.id, user.id)), true);
    await assert.rejects(checkApiKey({ ...manual, key: created.api_key }), rejectsWith('forbidden', 'Invalid or missing API key'));
    const other = await createApiKey(database(), user.id, 'kept');
    assert.equal((await checkApiKey({ ...manual, key: other.api_key })).username, user.username);
    const [kept] = await listApiKeys(database(), user.id);
    assert.deepEqual([kept.name, kept.total_uses], ['kept', 1]);
  });

  it('the user dependency takes a Bearer access token first, else an API key', async () => {
    const c = ctx();
    const user = await createTestUser(database());
    const tokens = await createTokenPair(c, user);
    const { api_key: key } = await createApiKey(database(), user.id, null);
    assert.equal((await currentActiveUser(c, { authorization: `Bearer ${tokens.access_token}` })).id, user.id);
    assert.equal((await currentActiveUser(c, { apiKey: key })).id, user.id);
    await assert.rejects(currentActiveUser(c, { authorization: `Bearer ${key}`, apiKey: key }), rejectsWith('unauthenticated', 'Could not validate credentials'));
    await assert.rejects(currentActiveUser(c, { authorization: `Bearer ${tokens.refresh_token}` }), rejectsWith('unauthenticated', 'Token is invalid.'));
    await assert.rejects(currentSuperuser(c, { apiKey: key }), rejectsWith('forbidden', "The user doesn't have enough privileges"));
    assert.equal(bearerToken('bearer abc'), 'abc');
    assert.equal(bearerToken('Basic abc'), null);
  });

  it('expired, foreign and orphaned tokens are refused with Langflow texts', async () => {
    const c = ctx();
    const user = await createTestUser(database());
    const key = new TextEncoder().encode(c.settings.secretKey);
    const expired = await new SignJWT({ type: 'access', sid: 's' }).setProtectedHeader({ alg: 'HS256' }).setSubject(user.id).setExpirationTime(Math.floor(Date.now() / 1000) - 10).sign(key);
    await assert.rejects(userFromAccessToken(c, expired), rejectsWith('unauthenticated', 'Token has expired.'));
    const noType = await new SignJWT({ sid: 's' }).setProtectedHeader({ alg: 'HS256' }).setSubject(user.id).setExpirationTime('1h').sign(key);
    await assert.rejects(userFromAccessToken(c, noType), rejectsWith('unauthenticated', 'Token is invalid.'));
    const foreign = await createTokenPair(ctx(), user);
    await assert.rejects(userFromAccessToken(c, foreign.access_token), rejectsWith('unauthenticated', 'Could not validate credentials'));
    const inactive = await createTestUser(database(), 'pw', false);
    const inactiveTokens = await createTokenPair(c, inactive);
    await assert.rejects(userFromAccessToken(c, inactiveTokens.access_token), rejectsWith('unauthenticated', 'User not found or is inactive.'));
  });

  it('logout revokes both tokens of the session and only that session', async () => {
    const c = ctx();
    const user = await createTestUser(database());
    const session = await createTokenPair(c, user);
    const other = await createTokenPair(c, user);
    const refreshed = await refreshTokens(c, session.refresh_token);
    assert.equal(refreshed.session_id, session.session_id);
    assert.equal((await userFromAccessToken(c, refreshed.access_token)).id, user.id);

    await logout(c, session.session_id);
    for (const token of [session.access_token, refreshed.access_token]) {
      await assert.rejects(userFromAccessToken(c, token), rejectsWith('unauthenticated', 'Token is invalid.'));
    }
    for (const token of [session.refresh_token, refreshed.refresh_token]) {
      await assert.rejects(refreshTokens(c, token), rejectsWith('unauthenticated', 'Invalid refresh token'));
    }
    assert.equal((await userFromAccessToken(c, other.access_token)).id, user.id, 'other sessions live on');
    assert.equal(await logoutToken(c, other.refresh_token), true);
    await assert.rejects(userFromAccessToken(c, other.access_token), AuthError);
    assert.equal(await logoutToken(c, 'garbage'), false);
    await assert.rejects(refreshTokens(c, other.access_token), rejectsWith('unauthenticated', 'Invalid refresh token'));
  });
});
