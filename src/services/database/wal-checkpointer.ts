import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker copies the write-ahead log into the database file. */
const CHECKPOINT_EVERY_MS = 200;

/**
 * Runs in the worker: its own connection to the same file checkpoints the WAL passively (never
 * blocking the server's writes) until told to close. Plain CommonJS, so it needs no file of its own
 * next to the compiled modules or the bundle.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointer {
  /** Stops the worker and closes its connection; the server's connection makes the final checkpoint. */
  close(): Promise<void>;
}

/**
 * A checkpoint copies committed pages into the database file and fsyncs it. SQLite runs one inside
 * whichever commit crosses the WAL threshold, on the event loop: measured, that was about half of the
 * time of every INSERT a run makes. With `wal_autocheckpoint = 0` on the server's connection, this
 * worker thread does them instead. Durability is unchanged (`synchronous = NORMAL` syncs the WAL at
 * checkpoints either way). If the worker cannot run, SQLite's own checkpoints are switched back on.
 */
export function startWalCheckpointer(path: string, restoreAutoCheckpoint: () => void, onError: (message: string) => void): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, everyMs: CHECKPOINT_EVERY_MS } });
  worker.unref();
  let running = true;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const fail = (message: string) => {
    if (!running) return;
    running = false;
    restoreAutoCheckpoint();
    onError(message);
  };
  worker.on('message', (message: { error?: string }) => onError(`WAL checkpoint failed: ${message.error}`));
  worker.on('error', (error) => fail(`WAL checkpointer stopped: ${String(error)}`));
  void exited.then(() => fail('WAL checkpointer exited'));
  return {
    async close() {
      if (!running) return;
      running = false;
      // Referenced again, so that nothing else need keep the event loop alive until the worker has closed its connection.
      worker.ref();
      worker.postMessage('close');
      await exited;
    },
  };
}
