// What every part of the editor shares: the flow's store, the runner, the catalog, and a way to tell
// the user something. One provider per open flow.
import { createContext, useContext } from 'react';
import type { Catalog } from './catalog';
import type { Runner } from './run';
import type { FlowStore } from './store';

export interface EditorServices {
  flowId: string;
  flow: FlowStore;
  runner: Runner;
  /** The component catalog as loaded so far (read when acting; render through useCatalog/useKnownType). */
  catalog(): Catalog | undefined;
  /** Shows a message in the editor's status line (errors are announced to screen readers). */
  notify(message: string, tone?: 'error' | 'info'): void;
  /** Builds the flow, up to the given component when one is named. */
  run(stopComponentId?: string): void;
}

export const EditorContext = createContext<EditorServices | null>(null);

export function useEditor(): EditorServices {
  const services = useContext(EditorContext);
  if (!services) throw new Error('useEditor outside the flow editor');
  return services;
}
