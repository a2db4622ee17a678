import type { FastifyInstance } from 'fastify';
import type { Settings } from './services/settings.js';

export interface RunningServer {
  app: FastifyInstance;
  /** `http://host:port` as bound (port 0 picks a free one). */
  url: string;
  close(): Promise<void>;
}

/**
 * Opens the database (running migrations), makes sure the superuser exists, and serves the API on
 * LANGFLOW_HOST:LANGFLOW_PORT. SIGTERM/SIGINT close it gracefully (in-flight requests finish, background
 * runs are cancelled, the database is closed).
 */
export async function startServer(settings: Settings, options: { handleSignals?: boolean; logger?: boolean; uiDir?: string | null; bootstrap?: boolean } = {}): Promise<RunningServer> {
  // Loaded here so `weft run` and the CLI's help never pay for the HTTP stack.
  const [{ openDatabase }, { bootstrapSuperuser }, { createApp }, { createApiAuth }] = await Promise.all([
    import('./services/database/index.js'),
    import('./services/auth/index.js'),
    import('./api/app.js'),
    import('./api/auth.js'),
  ]);
  const database = await openDatabase(settings);
  let app: FastifyInstance;
  try {
    // Hashing a new superuser's password takes a few hundred ms: it starts once the port is open,
    // and every request but /health waits for it.
    let listening!: () => void;
    const opened = new Promise<void>((resolve) => (listening = resolve));
    const bootstrap = options.bootstrap === false ? Promise.resolve() : opened.then(() => bootstrapSuperuser({ repos: database, settings }));
    app = await createApp({ settings, database, auth: createApiAuth(settings, database), closeDatabase: true, logger: options.logger ?? false, captureLogs: settings.enableLogRetrieval, ready: bootstrap, uiDir: options.uiDir });
    await app.listen({ host: settings.host, port: settings.port });
    listening();
    await bootstrap.catch(async (error: unknown) => {
      await app.close();
      throw new Error(`superuser bootstrap failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const url = `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${port}`;

  let closing: Promise<void> | null = null;
  const close = () => (closing ??= app.close());
  if (options.handleSignals ?? true) {
    const onSignal = (signal: NodeJS.Signals) => {
      process.stderr.write(`weft: ${signal} received, closing\n`);
      // Runs are cancelled as closing starts; whatever still holds the process after the grace period
      // (a component ignoring its abort signal, a stuck connection) does not keep it alive.
      setTimeout(() => {
        process.stderr.write(`weft: still closing after ${settings.shutdownGraceSeconds} s (WEFT_SHUTDOWN_GRACE_SECONDS), exiting\n`);
        process.exit(1);
      }, settings.shutdownGraceSeconds * 1000).unref();
      close().then(() => process.exit(0), (error: unknown) => {
        process.stderr.write(`weft: close failed: ${String(error)}\n`);
        process.exit(1);
      });
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  process.stderr.write(`weft: serving the Langflow API on ${url}\n`);
  return { app, url, close };
}
