import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestServer } from '../../test-utils/api-server.js';
import { cookieFrom, lifetimeSeconds, refreshWith, whoami, type Json } from './auth-session.js';

/**
 * Attack: a page that gets hold of an auto-login token (issue 10, critical 2) keeps superuser access for a year.
 * Auto-login tokens now live ACCESS_TOKEN_EXPIRE_SECONDS like any access token; the refresh cookie renews them.
 */
test('auto-login year-long token: the access token expires like a normal one, the refresh cookie renews it', async () => {
  const server = await startTestServer('sqlite', { LANGFLOW_AUTO_LOGIN: 'true', LANGFLOW_ACCESS_TOKEN_EXPIRE_SECONDS: '2' });
  try {
    const response = await fetch(`${server.url}/api/v1/auto_login`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as Json;
    assert.equal(body.refresh_token, null, "Langflow's body shape");
    const access = body.access_token as string;
    assert.ok(lifetimeSeconds(access) <= 2, `lifetime ${lifetimeSeconds(access)} s`);
    assert.equal(await whoami(server, access), 200);

    const refreshCookie = cookieFrom(response.headers, 'refresh_token_lf');
    assert.ok(refreshCookie, 'auto login sets the refresh cookie');
    await new Promise((resolve) => setTimeout(resolve, 3100));
    assert.equal(await whoami(server, access), 401, 'expired');

    const renewed = await refreshWith(server, refreshCookie);
    assert.equal(renewed.status, 200);
    assert.equal(await whoami(server, renewed.session!.access), 200);
  } finally {
    await server.stop();
  }
});
