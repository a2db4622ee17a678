// A small history-based router: the app has a dozen fixed addresses (Langflow's), no nested data
// loaders, so a pattern matcher over `location.pathname` is all it needs (docs/decisions.md).
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

const listeners = new Set<() => void>();
function notify(): void {
  for (const listener of listeners) listener();
}
window.addEventListener('popstate', notify);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The current address (path plus query), re-rendering on every navigation. */
export function useLocation(): { pathname: string; search: string } {
  const href = useSyncExternalStore(subscribe, () => window.location.pathname + window.location.search);
  const url = new URL(href, window.location.origin);
  return { pathname: url.pathname, search: url.search };
}

/** Goes to `to` (an app path); `replace` keeps the browser history from growing (redirects). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
}

export type Params = Record<string, string>;

/** `/flow/:id` against `/flow/abc` → `{ id: 'abc' }`; `*` at the end matches the rest. Null when it does not match. */
export function matchPath(pattern: string, pathname: string): Params | null {
  const wanted = pattern.split('/').filter(Boolean);
  const actual = pathname.split('/').filter(Boolean);
  const params: Params = {};
  for (let i = 0; i < wanted.length; i++) {
    const part = wanted[i];
    if (part === '*') {
      params['*'] = actual.slice(i).map(decodeURIComponent).join('/');
      return params;
    }
    const value = actual[i];
    if (value === undefined) return null;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return null;
  }
  return actual.length === wanted.length ? params : null;
}

export interface Route {
  path: string;
  render: (params: Params) => ReactNode;
}

/** Renders the first route whose pattern matches the current path, else `fallback`. */
export function Routes({ routes, fallback }: { routes: Route[]; fallback: () => ReactNode }): ReactNode {
  const { pathname } = useLocation();
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (params) return route.render(params);
  }
  return fallback();
}

/** An `<a>` that navigates inside the app (modified clicks still open a new tab as usual). */
export function Link({ to, children, onClick, ...rest }: { to: string; children: ReactNode } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'>): ReactNode {
  function handle(event: MouseEvent<HTMLAnchorElement>): void {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  }
  return (
    <a href={to} onClick={handle} {...rest}>
      {children}
    </a>
  );
}
