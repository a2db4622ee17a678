import { Command, Option } from 'commander';

/** The `weft` command line. Every failure ends in one clear line and a non-zero exit. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command();
  program.name('weft').description('Weft: run Langflow flows, fast and safe.').showHelpAfterError();

  program
    .command('run')
    .description('Run a flow JSON file (exported from Langflow or Weft) and print its output')
    .argument('<flow>', 'path to the flow JSON')
    .option('--input <text>', 'input value for the chat/text input')
    .option('--tweaks <json>', 'tweaks as JSON: {"<node id or name>": {"field": value}}')
    .option('--session <id>', 'session id (default: the flow id)')
    .addOption(new Option('--input-type <type>', 'which inputs receive --input').choices(['chat', 'text', 'any']).default('chat'))
    .addOption(new Option('--output-type <type>', 'which outputs to print').choices(['chat', 'text', 'any', 'debug']).default('chat'))
    .option('--json', 'print the whole RunResponse as JSON')
    .option('--trace', "print a one-line summary of the run's trace (spans, time, tokens) on stderr")
    .option('--user <username>', "run as this user of the server's database (LANGFLOW_DATABASE_URL): their variables, default model and MCP servers")
    .action(async (flow: string, options) => {
      // Loaded per command, so `weft serve` never pays for the engine CLI path and vice versa.
      const { runCommand } = await import('./run-command.js');
      process.exitCode = await runCommand(flow, options);
    });

  program
    .command('serve')
    .description('Start the Langflow-compatible HTTP server (LANGFLOW_HOST, LANGFLOW_PORT)')
    .option('--workers <n>', 'server processes sharing the port (LANGFLOW_WORKERS, default 1)')
    .action(async (options: { workers?: string }) => {
      const { serveCommand } = await import('./serve-command.js');
      await serveCommand(options);
    });

  program
    .command('worker')
    .description('Run background jobs from the Redis queue (LANGFLOW_REDIS_URL)')
    .action(async () => {
      const { workerCommand } = await import('./worker-command.js');
      await workerCommand();
    });

  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.stderr.write(`weft: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
