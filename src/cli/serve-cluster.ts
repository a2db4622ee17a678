import cluster, { type Worker } from 'node:cluster';
import type { Settings } from '../services/settings.js';

/**
 * `LANGFLOW_WORKERS=N` / `weft serve --workers N`: N server processes on one port through Node's
 * `cluster` (the primary holds the socket and hands connections round-robin). They share the database
 * (SQLite in WAL mode with a busy timeout, or PostgreSQL) and, through `LANGFLOW_REDIS_URL` (required: serve-command.ts),
 * the event bus, job queue and login limits. The primary prepares the database once (migrations, the superuser) so
 * workers never race to create them, then only supervises: a worker that dies is replaced, and
 * SIGTERM/SIGINT stop every worker within the grace period.
 */
export async function servePrimary(settings: Settings): Promise<void> {
  const [{ openDatabase }, { bootstrapSuperuser }] = await Promise.all([import('../services/database/index.js'), import('../services/auth/index.js')]);
  const database = await openDatabase(settings);
  try {
    await bootstrapSuperuser({ repos: database, settings });
  } finally {
    await database.close();
  }
  let stopping = false;
  const fork = (): Worker => cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    process.stderr.write(`weft: worker ${worker.process.pid} exited (${signal ?? code}); starting another\n`);
    setTimeout(fork, 500).unref();
  });
  let ready = 0;
  cluster.on('listening', () => {
    ready += 1;
    if (ready === settings.workers) process.stderr.write(`weft: ${settings.workers} workers serving on ${settings.host}:${settings.port}\n`);
  });
  for (let i = 0; i < settings.workers; i += 1) fork();

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`weft: ${signal} received, stopping ${settings.workers} workers\n`);
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    for (const worker of workers) worker.process.kill('SIGTERM');
    // Each worker exits within its own grace period; this covers a worker that does not.
    setTimeout(() => {
      for (const worker of workers) if (!worker.isDead()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, (settings.shutdownGraceSeconds + 2) * 1000).unref();
    Promise.all(workers.map((worker) => (worker.isDead() ? null : new Promise((resolve) => worker.once('exit', resolve))))).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
