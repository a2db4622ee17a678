/**
 * Starts work that must outlive the HTTP request (the webhook's flow run). The in-process runner
 * keeps the promise and logs failures; a job queue can replace it behind this interface.
 */
export interface BackgroundRunner {
  start(label: string, work: (signal: AbortSignal) => Promise<void>): void;
  /** Resolves when every started task has settled (tests, graceful shutdown). */
  idle(): Promise<void>;
  /** Aborts running tasks; used on server close. */
  close(): Promise<void>;
}

export class InProcessBackgroundRunner implements BackgroundRunner {
  private readonly running = new Set<Promise<void>>();
  private readonly abort = new AbortController();

  constructor(private readonly log: (message: string, error: unknown) => void = () => {}) {}

  start(label: string, work: (signal: AbortSignal) => Promise<void>): void {
    const task = Promise.resolve()
      .then(() => work(this.abort.signal))
      .catch((error: unknown) => this.log(`Background task ${label} failed`, error))
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.idle();
  }
}
