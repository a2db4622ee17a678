import { readFile } from 'node:fs/promises';
import { createRegistry } from '../components/registry.js';
import { FlowRun, type InputType, type OutputType, type RunFlowOptions } from '../engine/run.js';
import { pythonJson } from '../engine/events.js';
import type { ComponentRegistry } from '../engine/registry.js';
import { Message } from '../engine/schema/message.js';
import { openDatabase, type Database } from '../services/database/index.js';
import { RunHost, settingsServices } from '../services/runs/host.js';
import { finishedTrace } from '../services/runs/trace-record.js';
import { Trace } from '../engine/tracing.js';
import { loadSettings, readSettings } from '../services/settings.js';

export interface RunCommandOptions {
  input?: string;
  tweaks?: string;
  session?: string;
  inputType?: InputType;
  outputType?: OutputType;
  json?: boolean;
  /** Run as this user of the server's database, on the same run host as the server. */
  user?: string;
  /** Print a one-line summary of the run's trace on stderr. */
  trace?: boolean;
}

/** `weft run FLOW.json`: prints the chat output text, or the RunResponse with --json. */
export async function runCommand(path: string, options: RunCommandOptions): Promise<number> {
  const flow = JSON.parse(await readFile(path, 'utf8'));
  const tweaks = options.tweaks ? parseTweaks(options.tweaks) : undefined;
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  const registry = createRegistry();
  const request = {
    inputValue: options.input ?? null,
    inputType: options.inputType ?? 'chat',
    outputType: options.outputType ?? 'chat',
    tweaks,
    sessionId: options.session ?? null,
    signal: controller.signal,
  } satisfies Partial<RunFlowOptions>;
  const hosted = options.user ? await userHost(options.user, registry) : null;
  try {
    const run = hosted
      ? hosted.host.createFlowRun({ ...request, flow, userId: hosted.userId, traced: options.trace })
      : // No database, nothing created on disk: the settings alone (allowed hosts, environment fallback, providers' keys).
        new FlowRun({ ...request, flow, registry, services: settingsServices(readSettings()), trace: options.trace ? new Trace() : undefined });
    // Nothing is recorded: the file's flow need not be one of the database's flows.
    for await (const _event of run.events()) {
      // The CLI prints only the final result.
    }
    if (options.trace) process.stderr.write(traceSummary(run) + '\n');
    if (run.error) throw run.error;
    const response = run.result!;
    if (options.json) {
      process.stdout.write(pythonJson(response) + '\n');
      return 0;
    }
    const texts = response.outputs.flatMap((o) => o.outputs).map((r) => outputText(Object.values(r.results)[0]));
    process.stdout.write(texts.join('\n') + '\n');
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    await hosted?.database.close();
  }
}

/** The server's run host over its database, acting as `username`. */
async function userHost(username: string, registry: ComponentRegistry): Promise<{ host: RunHost; userId: string; database: Database }> {
  const settings = loadSettings();
  const database = await openDatabase(settings);
  const user = await database.users.getByUsername(username).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  if (!user) {
    await database.close();
    throw new Error(`--user: no user named "${username}" in ${settings.databaseUrl}`);
  }
  const log = (message: string, error: unknown) => process.stderr.write(`weft run: ${message}: ${error instanceof Error ? error.message : String(error)}\n`);
  return { host: new RunHost({ database, settings, registry, log }), userId: user.id, database };
}


/** `trace <id>: ok, 6 spans, 35 ms, 61 tokens (2 model calls, 1 tool call)`. */
export function traceSummary(run: FlowRun): string {
  const trace = finishedTrace(run);
  if (!trace) return 'trace: none';
  const count = (type: string) => trace.spans.filter((s) => s.type === type && s.parentId !== null).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const estimated = trace.spans.some((s) => s.tokenUsage?.estimated) ? ' (estimated)' : '';
  return `trace ${trace.id}: ${trace.status}, ${plural(trace.spans.length, 'span')}, ${trace.latencyMs} ms, ${plural(trace.totalTokens, 'token')}${estimated} (${plural(count('llm'), 'model call')}, ${plural(count('tool'), 'tool call')})`;
}

function parseTweaks(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Reported below with the same message as a non-object.
  }
  throw new Error('--tweaks must be a JSON object, e.g. {"ChatInput-abc12": {"input_value": "hi"}}');
}

function outputText(value: unknown): string {
  if (value && typeof value === 'object' && 'text' in value) return String((value as { text: unknown }).text);
  if (value instanceof Message) return value.text;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
