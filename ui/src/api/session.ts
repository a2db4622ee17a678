// The signed-in session, as Langflow's frontend keeps it: a short-lived access token in memory, sent
// as a bearer token; the server's httpOnly refresh cookie renews it (POST /api/v1/refresh); with
// LANGFLOW_AUTO_LOGIN the server hands one out (GET /api/v1/auto_login). Logout revokes both.
import { createStore } from 'zustand/vanilla';
import type { TokenResponse, User } from './types';

export type SessionStatus = 'starting' | 'signed-in' | 'signed-out';

export interface SessionState {
  status: SessionStatus;
  accessToken: string | null;
  user: User | null;
  /** The server signs everyone in as its superuser (LANGFLOW_AUTO_LOGIN): no sign-in page, no sign-out. */
  autoLogin: boolean;
  /** Why the last session ended (shown on the sign-in page). */
  notice: string | null;
  /** Starts the session at page load: auto-login, else the refresh cookie, else signed out. */
  start(): Promise<void>;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** A new access token after a 401 (one refresh shared by concurrent callers); false when the session is over. */
  renew(): Promise<boolean>;
  /** The server refused the session: signed out, with a notice. */
  expire(): void;
}

/** The server's `detail` of a failed auth call, readable. */
async function failure(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { detail?: unknown };
    if (typeof body.detail === 'string') return body.detail;
    if (body.detail && typeof body.detail === 'object' && 'message' in body.detail) return String(body.detail.message);
  } catch {
    // fall through
  }
  return `Sign-in failed (${response.status})`;
}

async function tokenFrom(response: Response): Promise<string> {
  return ((await response.json()) as TokenResponse).access_token;
}

async function whoami(token: string): Promise<User | null> {
  const response = await fetch('/api/v1/users/whoami', { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
  return response.ok ? ((await response.json()) as User) : null;
}

let renewing: Promise<boolean> | null = null;
let starting: Promise<void> | null = null;

export const session = createStore<SessionState>()((set, get) => {
  async function enter(token: string, autoLogin: boolean): Promise<boolean> {
    const user = await whoami(token);
    if (!user) return false;
    set({ status: 'signed-in', accessToken: token, user, autoLogin, notice: null });
    return true;
  }

  async function tryAutoLogin(): Promise<boolean> {
    const response = await fetch('/api/v1/auto_login', { credentials: 'same-origin', headers: { accept: 'application/json' } });
    return response.ok && enter(await tokenFrom(response), true);
  }

  async function tryRefresh(): Promise<boolean> {
    const response = await fetch('/api/v1/refresh', { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json' } });
    return response.ok && enter(await tokenFrom(response), get().autoLogin);
  }

  return {
    status: 'starting',
    accessToken: null,
    user: null,
    autoLogin: false,
    notice: null,

    start() {
      // Once per page load (React's strict mode runs effects twice in development).
      starting ??= (async () => {
        try {
          if ((await tryAutoLogin()) || (await tryRefresh())) return;
        } catch {
          set({ status: 'signed-out', notice: 'The server could not be reached.' });
          return;
        }
        set({ status: 'signed-out', accessToken: null, user: null });
      })();
      return starting;
    },

    async signIn(username, password) {
      const body = new URLSearchParams({ username, password, grant_type: 'password' });
      const response = await fetch('/api/v1/login', { method: 'POST', credentials: 'same-origin', body, headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(await failure(response));
      if (!(await enter(await tokenFrom(response), false))) throw new Error('Signed in, but the account could not be read');
    },

    async signOut() {
      const token = get().accessToken;
      try {
        await fetch('/api/v1/logout', { method: 'POST', credentials: 'same-origin', headers: token ? { authorization: `Bearer ${token}` } : {} });
      } finally {
        set({ status: 'signed-out', accessToken: null, user: null, notice: null });
      }
    },

    renew() {
      renewing ??= (async () => {
        try {
          return (await tryRefresh()) || (get().autoLogin && (await tryAutoLogin()));
        } catch {
          return false;
        } finally {
          renewing = null;
        }
      })();
      return renewing;
    },

    expire() {
      if (get().status !== 'signed-in') return;
      set({ status: 'signed-out', accessToken: null, user: null, notice: 'Your session has ended. Please sign in again.' });
    },
  };
});
