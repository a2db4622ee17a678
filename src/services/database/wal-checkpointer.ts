import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker copies the write-ahead log into the database file. */
const CHECKPOINT_EVERY_MS = 200;
/** Checkpoints without a new WAL frame after which the worker ends (10 s): an idle server keeps no extra thread. */
const IDLE_TICKS = 50;

/**
 * Runs in the worker: its own connection to the same file checkpoints the WAL passively (never
 * blocking the server's writes) until told to close. Plain CommonJS, so it needs no file of its own
 * next to the compiled modules or the bundle.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
let lastLog = -1;
let quietTicks = 0;
const stop = () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
};
const checkpoint = () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    // No new WAL frames for a while: nothing is being written. The thread ends (its isolate is ~16 MB) and the server
    // starts another on its next write.
    quietTicks = result && result.log === lastLog ? quietTicks + 1 : 0;
    lastLog = result ? result.log : -1;
    if (quietTicks >= workerData.idleTicks) {
      parentPort.postMessage({ idle: true });
      stop();
    }
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', stop);
`;

export interface WalCheckpointer {
  /** Called before every write statement: starts the worker if it is not running (it ends itself when idle). */
  noteWrite(): void;
  /** Whether a worker is running now. */
  readonly running: boolean;
  /** Stops the worker and closes its connection; the server's connection makes the final checkpoint. */
  close(): Promise<void>;
}

/**
 * A checkpoint copies committed pages into the database file and fsyncs it. SQLite runs one inside
 * whichever commit crosses the WAL threshold, on the event loop: measured, that was about half of the
 * time of every INSERT a run makes. With `wal_autocheckpoint = 0` on the server's connection, a
 * worker thread does them instead. Durability is unchanged (`synchronous = NORMAL` syncs the WAL at
 * checkpoints either way). The worker runs only while the server writes: it starts on a write and ends
 * after 10 s without one, so an idle server holds no second isolate. If the worker fails, SQLite's own
 * checkpoints are switched back on.
 */
export function startWalCheckpointer(
  path: string,
  restoreAutoCheckpoint: () => void,
  onError: (message: string) => void,
  options: { idleTicks?: number } = {},
): WalCheckpointer {
  const idleTicks = options.idleTicks ?? IDLE_TICKS;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  let failed = false;
  let closed = false;
  let current: { worker: Worker; exited: Promise<void> } | null = null;
  const fail = (message: string) => {
    if (failed || closed) return;
    failed = true;
    restoreAutoCheckpoint();
    onError(message);
  };
  const start = () => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, everyMs: CHECKPOINT_EVERY_MS, idleTicks } });
    worker.unref();
    let idle = false;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const run = { worker, exited };
    worker.on('message', (message: { error?: string; idle?: boolean }) => {
      if (message.idle) idle = true;
      else onError(`WAL checkpoint failed: ${message.error}`);
    });
    worker.on('error', (error) => fail(`WAL checkpointer stopped: ${String(error)}`));
    void exited.then(() => {
      if (current === run) current = null;
      if (!idle) fail('WAL checkpointer exited');
    });
    current = run;
  };
  return {
    get running() {
      return current !== null;
    },
    noteWrite() {
      if (!current && !failed && !closed) start();
    },
    async close() {
      if (closed) return;
      closed = true;
      const run = current;
      if (!run) return;
      // Referenced again, so that nothing else need keep the event loop alive until the worker has closed its connection.
      run.worker.ref();
      run.worker.postMessage('close');
      await run.exited;
    },
  };
}
