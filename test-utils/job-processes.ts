/**
 * Child processes for the scale-out tests: `node dist/test-utils/job-processes.js api|worker`.
 * Configured by the same LANGFLOW_* environment as `weft serve` / `weft worker`; the registry adds
 * the job test components. An API process prints `listening <port>` once it accepts requests.
 */
import { createApiAuth } from '../src/api/auth.js';
import { createApp } from '../src/api/app.js';
import { runWorker } from '../src/cli/worker-command.js';
import { openDatabase } from '../src/services/database/index.js';
import { loadSettings } from '../src/services/settings.js';
import { jobTestRegistry } from './job-components.js';

const mode = process.argv[2];
if (mode === 'worker') {
  await runWorker(jobTestRegistry());
} else if (mode === 'api') {
  const settings = loadSettings();
  const database = await openDatabase(settings);
  const app = await createApp({ settings, database, auth: createApiAuth(settings, database), registry: jobTestRegistry() });
  await app.listen({ host: '127.0.0.1', port: settings.port });
  const address = app.server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : settings.port}\n`);
  const stop = async () => {
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
} else {
  process.stderr.write('usage: job-processes.js api|worker\n');
  process.exit(2);
}
