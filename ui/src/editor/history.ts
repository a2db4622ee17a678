// Undo/redo over whole snapshots of the edited graph. The store changes nodes and edges immutably, so
// a snapshot shares every unchanged object with its neighbours and costs a few arrays, not a copy of
// the flow. Typing in one field coalesces into one step (a `key` within `coalesceMs`).

export interface HistoryOptions {
  /** Steps kept; the oldest drop off. */
  limit?: number;
  coalesceMs?: number;
  now?: () => number;
}

export class History<T> {
  private past: T[] = [];
  private future: T[] = [];
  private lastKey: string | null = null;
  private lastAt = 0;
  private readonly limit: number;
  private readonly coalesceMs: number;
  private readonly now: () => number;

  constructor(options: HistoryOptions = {}) {
    this.limit = Math.max(1, options.limit ?? 100);
    this.coalesceMs = options.coalesceMs ?? 1000;
    this.now = options.now ?? (() => Date.now());
  }

  /**
   * Records `before`, the state an edit is about to replace. An edit with the same `key` as the
   * previous one, soon after it, joins that step (one undo brings back the state before both).
   */
  record(before: T, key: string | null = null): void {
    const at = this.now();
    const joins = key !== null && key === this.lastKey && at - this.lastAt <= this.coalesceMs && this.past.length > 0;
    this.lastKey = key;
    this.lastAt = at;
    this.future = [];
    if (joins) return;
    this.past.push(before);
    if (this.past.length > this.limit) this.past.splice(0, this.past.length - this.limit);
  }

  /** The state to go back to (the caller's `current` becomes redoable), or undefined. */
  undo(current: T): T | undefined {
    const previous = this.past.pop();
    if (previous === undefined) return undefined;
    this.future.push(current);
    this.lastKey = null;
    return previous;
  }

  redo(current: T): T | undefined {
    const next = this.future.pop();
    if (next === undefined) return undefined;
    this.past.push(current);
    this.lastKey = null;
    return next;
  }

  /** Ends coalescing: the next edit is its own step even with the same key. */
  seal(): void {
    this.lastKey = null;
  }

  clear(): void {
    this.past = [];
    this.future = [];
    this.lastKey = null;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  get depth(): { undo: number; redo: number } {
    return { undo: this.past.length, redo: this.future.length };
  }
}
