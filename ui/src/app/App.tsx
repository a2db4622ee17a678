import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { flowsApi } from '../api/flows';
import { keys, queryClient } from '../api/queries';
import { session } from '../api/session';
import { PUBLIC_FLOW_QUERY, PublicPlaygroundPage } from './PublicPlaygroundPage';
import { FlowsPage } from './FlowsPage';
import { Layout } from './Layout';
import { LoginPage } from './LoginPage';
import { NotFoundPage } from './NotFoundPage';
import { matchPath, navigate, Routes, useLocation, type Route } from './router';
import { SettingsPage } from './settings/SettingsPage';
import { PlaygroundPage } from '../playground/PlaygroundPage';

// The canvas is its own chunk: the home page never downloads it. Opening a flow's address directly
// starts fetching it at once, alongside sign-in, instead of after it.
const loadEditor = () => import('../editor/FlowEditorPage');
if (window.location.pathname.startsWith('/flow/')) void loadEditor();
const FlowEditorPage = lazy(() => loadEditor().then((module) => ({ default: module.FlowEditorPage })));

function Loading({ label }: { label: string }): ReactNode {
  return (
    <main className="page-message" aria-busy="true">
      <p className="muted">{label}</p>
    </main>
  );
}

const editor = (params: Record<string, string>) => (
  <Suspense fallback={<Loading label="Loading the editor…" />}>
    <FlowEditorPage key={params.id} flowId={params.id} />
  </Suspense>
);
const flows = (params: Record<string, string>) => <FlowsPage folderId={params.folderId ?? null} />;
const TracesPage = lazy(() => import('../traces/TracesPage').then((module) => ({ default: module.TracesPage })));
const traces = (params: Record<string, string>) => (
  <Suspense fallback={<Loading label="Loading traces…" />}>
    <TracesPage key={params.id} flowId={params.id} />
  </Suspense>
);

/** Langflow's addresses (src/frontend/src/routes.tsx), so bookmarks carry over. */
const SIGNED_IN_ROUTES: Route[] = [
  { path: '/', render: flows },
  { path: '/flows', render: flows },
  { path: '/all', render: flows },
  { path: '/all/folder/:folderId', render: flows },
  { path: '/flows/folder/:folderId', render: flows },
  { path: '/components/folder/:folderId', render: flows },
  { path: '/mcp/folder/:folderId', render: flows },
  { path: '/flow/:id', render: editor },
  { path: '/flow/:id/traces', render: traces },
  { path: '/flow/:id/folder/:folderId', render: editor },
  { path: '/flow/:id/playground', render: (params) => <PlaygroundPage key={params.id} flowId={params.id} /> },
  { path: '/settings', render: () => <SettingsPage section="" /> },
  // Langflow's addresses of the users page and of My Files.
  { path: '/admin', render: () => <SettingsPage section="users" /> },
  { path: '/assets/files', render: () => <SettingsPage section="files" /> },
  { path: '/settings/*', render: (params) => <SettingsPage section={params['*']} /> },
];

/** Pages anyone may open, signed in or not (a public flow's playground, Langflow's `/playground/{id}`). */
const PUBLIC_ROUTES: Route[] = [{ path: '/playground/:id', render: (params) => <PublicPlaygroundPage key={params.id} flowId={params.id} /> }];

/** Where to go after signing in: the page the visitor asked for (same-origin paths only). */
function nextPath(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function App(): ReactNode {
  const status = useStore(session, (state) => state.status);
  const { pathname, search } = useLocation();
  useEffect(() => {
    void session.getState().start();
  }, []);

  const onLogin = pathname === '/login' || pathname === '/login/admin';
  const isPublic = PUBLIC_ROUTES.some((route) => matchPath(route.path, pathname) !== null);
  useEffect(() => {
    // Nothing of the last account stays cached for the next one. A public page's own query stays:
    // removing it while in flight would leave that page loading forever.
    if (status === 'signed-out') queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== PUBLIC_FLOW_QUERY });
    if (isPublic) return;
    if (status === 'signed-out' && !onLogin) navigate(`/login?next=${encodeURIComponent(pathname + search)}`, { replace: true });
    if (status === 'signed-in' && onLogin) navigate(nextPath(search), { replace: true });
  }, [status, onLogin, isPublic, pathname, search]);

  // A flow opened by its address is fetched while the editor's code is still on its way.
  useEffect(() => {
    const flow = matchPath('/flow/:id', pathname) ?? matchPath('/flow/:id/folder/:folderId', pathname);
    if (status === 'signed-in' && flow) void queryClient.prefetchQuery({ queryKey: keys.flow(flow.id), queryFn: () => flowsApi.flow(flow.id) });
  }, [status, pathname]);

  if (isPublic) return <Routes routes={PUBLIC_ROUTES} fallback={() => null} />;
  if (status === 'starting') return <Loading label="Starting Weft…" />;
  if (status === 'signed-out') return onLogin ? <LoginPage /> : null;
  if (onLogin) return null;
  return (
    <Layout>
      <Routes routes={SIGNED_IN_ROUTES} fallback={() => <NotFoundPage />} />
    </Layout>
  );
}
