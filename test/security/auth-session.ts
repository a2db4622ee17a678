import { decodeJwt } from 'jose';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';

/** Helpers shared by the account and session attack tests: a multi-user server, logins, refreshes. */

export type Json = Record<string, unknown>;

export const ADMIN = { username: 'admin', password: 'admin-pass-1' };

export function multiUserServer(env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer('sqlite', { LANGFLOW_AUTO_LOGIN: 'false', LANGFLOW_SUPERUSER: ADMIN.username, LANGFLOW_SUPERUSER_PASSWORD: ADMIN.password, ...env });
}

export interface Session {
  access: string;
  refresh: string;
}

export async function loginAs(server: TestServer, username: string, password: string): Promise<{ status: number; body: unknown; session: Session | null }> {
  const response = await server.call('/api/v1/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  const body = response.body as Json;
  const session = response.status === 200 ? { access: body.access_token as string, refresh: body.refresh_token as string } : null;
  return { status: response.status, body: response.body, session };
}

/** POST /api/v1/refresh as the browser sends it: the refresh token in the `refresh_token_lf` cookie. */
export async function refreshWith(server: TestServer, refreshToken: string): Promise<{ status: number; body: unknown; session: Session | null }> {
  const response = await server.call('/api/v1/refresh', { method: 'POST', headers: { cookie: `refresh_token_lf=${refreshToken}` } });
  const body = response.body as Json;
  const session = response.status === 200 ? { access: body.access_token as string, refresh: body.refresh_token as string } : null;
  return { status: response.status, body: response.body, session };
}

export async function whoami(server: TestServer, accessToken: string): Promise<number> {
  return (await server.call('/api/v1/users/whoami', { headers: { authorization: `Bearer ${accessToken}` } })).status;
}

/** A new active user created by the superuser; returns its id. */
export async function createUser(server: TestServer, admin: Session, username: string, password: string): Promise<string> {
  const bearer = { authorization: `Bearer ${admin.access}` };
  const created = await server.call('/api/v1/users/', { method: 'POST', headers: bearer, json: { username, password } });
  const id = (created.body as Json).id as string;
  await server.call(`/api/v1/users/${id}`, { method: 'PATCH', headers: bearer, json: { is_active: true } });
  return id;
}

/** The named cookie's value from a response's Set-Cookie headers. */
export function cookieFrom(headers: Headers, name: string): string | null {
  for (const line of headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq).trim() === name) return pair.slice(eq + 1);
  }
  return null;
}

export function lifetimeSeconds(token: string): number {
  const { exp, iat } = decodeJwt(token);
  return (exp ?? 0) - (iat ?? 0);
}
