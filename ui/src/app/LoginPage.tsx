import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { session } from '../api/session';

/** Sign-in (LANGFLOW_AUTO_LOGIN=false): username and password through POST /api/v1/login. */
export function LoginPage(): ReactNode {
  const notice = useStore(session, (state) => state.notice);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { user: useId(), password: useId(), error: useId() };

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.getState().signIn(username, password);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} aria-describedby={error ? ids.error : undefined}>
        <div className="brand brand-large" aria-hidden="true">
          <img src="/favicon.svg" alt="" width={32} height={32} /> Weft
        </div>
        <h1>Sign in to Weft</h1>
        {notice && !error && <p className="notice">{notice}</p>}
        <label htmlFor={ids.user}>Username</label>
        <input id={ids.user} name="username" autoComplete="username" required autoFocus value={username} onChange={(e) => setUsername(e.target.value)} />
        <label htmlFor={ids.password}>Password</label>
        <input id={ids.password} name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {error && (
          <p id={ids.error} role="alert" className="field-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary wide" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
