// Saves the flow being edited a moment after each change (Langflow's auto-save: a debounced PATCH of
// the flow's data). A failed save keeps the edit — the store still holds it, and it stays "unsaved" —
// and is retried with growing pauses until it goes through; a newer edit made meanwhile is saved next.
import { createStore } from 'zustand/vanilla';
import type { SavedFlowData } from './flow-types';
import type { FlowStore } from './store';

export type SaveStatus = 'saved' | 'unsaved' | 'saving' | 'error';

export interface SaveState {
  status: SaveStatus;
  /** The last failure's message, while the save is failing. */
  error?: string;
  /** Failed attempts in a row. */
  failures: number;
}

export interface AutoSaveOptions {
  debounceMs?: number;
  /** Pauses before each retry; the last repeats. */
  retryMs?: number[];
}

export function createAutoSaver(flow: FlowStore, save: (data: SavedFlowData) => Promise<void>, options: AutoSaveOptions = {}) {
  const debounceMs = options.debounceMs ?? 800;
  const retryMs = options.retryMs ?? [1000, 2000, 5000, 10_000, 30_000];
  const state = createStore<SaveState>()(() => ({ status: 'saved', failures: 0 }));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let saving = false;
  let stopped = false;
  /** Settles when the save in flight does (flush waits for it). */
  let inFlight: Promise<void> = Promise.resolve();

  const dirty = () => flow.getState().revision !== flow.getState().savedRevision;

  function schedule(ms: number): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void run(), ms);
  }

  async function run(): Promise<void> {
    clearTimeout(timer);
    if (stopped || !dirty()) return;
    if (saving) return; // the save in flight reschedules when it ends
    saving = true;
    const revision = flow.getState().revision;
    state.setState({ status: 'saving' });
    const attempt = (async () => {
      try {
        await save(flow.getState().saved());
        flow.getState().markSaved(revision);
        state.setState({ status: dirty() ? 'unsaved' : 'saved', error: undefined, failures: 0 });
        if (dirty()) schedule(debounceMs);
      } catch (error) {
        const failures = state.getState().failures + 1;
        state.setState({ status: 'error', error: error instanceof Error ? error.message : String(error), failures });
        schedule(retryMs[Math.min(failures - 1, retryMs.length - 1)]);
      } finally {
        saving = false;
      }
    })();
    inFlight = attempt;
    await attempt;
  }

  const unsubscribe = flow.subscribe((next, previous) => {
    if (next.revision === previous.revision || next.flowId !== previous.flowId) return;
    if (next.revision === next.savedRevision) return;
    if (state.getState().status !== 'error') state.setState({ status: 'unsaved' });
    // While failing, the retry timer already runs: an edit does not reset its pause.
    if (state.getState().status !== 'error') schedule(debounceMs);
  });

  return {
    state,
    /** Saves now (Ctrl/Cmd+S, leaving the page); resolves when the flow on the server is current or the save failed. */
    async flush(): Promise<void> {
      await inFlight;
      if (flow.getState().viewportMoved && !dirty()) flow.getState().touch();
      await run();
    },
    stop(): void {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
    },
  };
}

export type AutoSaver = ReturnType<typeof createAutoSaver>;
