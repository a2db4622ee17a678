import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import { session } from '../api/session';
import { Link, navigate, useLocation } from './router';

/** The frame of every signed-in page: the top bar (home, settings, the account) and the page. */
export function Layout({ children }: { children: ReactNode }): ReactNode {
  const user = useStore(session, (state) => state.user);
  const autoLogin = useStore(session, (state) => state.autoLogin);
  const { pathname } = useLocation();
  const inSettings = pathname.startsWith('/settings');
  return (
    <div className="app">
      <header className="topbar">
        <Link to="/" className="brand" aria-label="Weft home">
          <img src="/favicon.svg" alt="" width={22} height={22} /> Weft
        </Link>
        <nav aria-label="Main" className="topnav">
          <Link to="/" aria-current={!inSettings ? 'page' : undefined}>
            Projects
          </Link>
          <Link to="/settings" aria-current={inSettings ? 'page' : undefined}>
            Settings
          </Link>
        </nav>
        <div className="account">
          <span className="username" title={user?.is_superuser ? 'Superuser' : undefined}>
            {user?.username}
          </span>
          {!autoLogin && (
            <button
              type="button"
              onClick={async () => {
                await session.getState().signOut();
                navigate('/login', { replace: true });
              }}
            >
              Sign out
            </button>
          )}
        </div>
      </header>
      {children}
    </div>
  );
}
