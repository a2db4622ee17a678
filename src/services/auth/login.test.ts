import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ErrorCode } from '../../engine/errors.js';
import type { Database } from '../database/index.js';
import { describeEachDialect, uniqueName } from '../../../test-utils/database.js';
import { VariableService } from '../variables/service.js';
import { AuthError } from './errors.js';
import { autoLogin, login } from './login.js';
import { bootstrapSuperuser } from './superuser.js';
import { userFromAccessToken } from './tokens.js';
import { registerUser } from './users.js';
import { testAuthSettings, type TestSettings } from '../../../test-utils/auth.js';

function rejectsWith(code: ErrorCode, detail: unknown) {
  return (error: unknown) => {
    assert.ok(error instanceof AuthError, String(error));
    assert.equal(error.code, code);
    assert.deepEqual(error.detail, detail);
    return true;
  };
}

describeEachDialect('login and users', (database) => {
  const ctx = (overrides: Partial<TestSettings> = {}) => ({ repos: database() as Database, settings: testAuthSettings(overrides) });

  it('login checks the password, approval and activity, then prepares the user', async () => {
    const c = ctx({ variablesToGetFromEnvironment: ['OPENAI_API_KEY', 'UNSET_KEY'], environmentVariables: { OPENAI_API_KEY: 'sk-env' } });
    const username = uniqueName('alice');
    const pending = await registerUser(c, { username, password: 'pw' });
    assert.equal(pending.is_active, false, 'NEW_USER_IS_ACTIVE=false');
    assert.ok(await database().folders.getByName(pending.id, 'Starter Project'), 'default project on creation');
    await assert.rejects(registerUser(c, { username, password: 'x' }), rejectsWith('invalid_request', 'This username is unavailable.'));
    await assert.rejects(login(c, username, 'pw'), rejectsWith('invalid_request', 'Waiting for approval'));
    await database().users.update(pending.id, { isActive: true });
    await assert.rejects(login(c, username, 'wrong'), rejectsWith('unauthenticated', 'Incorrect username or password'));
    await assert.rejects(login(c, 'nobody-' + username, 'pw'), rejectsWith('unauthenticated', 'Incorrect username or password'));

    const { user, tokens } = await login(c, username, 'pw');
    assert.equal((await userFromAccessToken(c, tokens.access_token)).id, user.id);
    assert.ok((await database().users.getById(user.id))?.last_login_at);
    const variables = new VariableService(database(), c.settings.secretKey);
    assert.equal(await variables.valueOf(user.id, 'OPENAI_API_KEY'), 'sk-env');
    assert.equal(await variables.exists(user.id, 'UNSET_KEY'), false);

    await database().users.update(user.id, { isActive: false });
    await assert.rejects(login(c, username, 'pw'), rejectsWith('unauthenticated', 'Inactive user'));
  });

  it('auto login issues a superuser token only when AUTO_LOGIN is on', async () => {
    const off = ctx({ autoLogin: false });
    await assert.rejects(autoLogin(off), rejectsWith('invalid_request', { message: 'Auto login is disabled. Please enable it in the settings', auto_login: false }));
    const on = ctx({ autoLogin: true });
    const superuser = await bootstrapSuperuser(on);
    const { tokens } = await autoLogin(on);
    assert.equal((await userFromAccessToken(on, tokens.access_token)).id, superuser.id);
  });

  it('superuser bootstrap: AUTO_LOGIN keeps langflow; otherwise langflow is removed and SUPERUSER ensured', async () => {
    const auto = ctx({ autoLogin: true, superuser: 'langflow', superuserPassword: 'langflow' });
    const langflow = await bootstrapSuperuser(auto);
    assert.equal(langflow.username, 'langflow');
    assert.ok(langflow.is_superuser && langflow.is_active);
    assert.equal((await bootstrapSuperuser(auto)).id, langflow.id, 'idempotent');
    assert.ok(await database().folders.getByName(langflow.id, 'Starter Project'));

    const manual = ctx({ autoLogin: false, superuser: uniqueName('root'), superuserPassword: 'root-pw' });
    const root = await bootstrapSuperuser(manual);
    assert.equal(root.username, manual.settings.superuser);
    assert.ok(root.is_superuser);
    assert.equal(await database().users.getByUsername('langflow'), undefined);
    const { user } = await login(manual, root.username, 'root-pw');
    assert.equal(user.id, root.id);
  });
});
