import { readFile } from 'node:fs/promises';
import { createRegistry } from '../components/registry.js';
import { FlowRun, type InputType, type OutputType } from '../engine/run.js';
import { pythonJson } from '../engine/events.js';
import { Message } from '../engine/schema/message.js';

export interface RunCommandOptions {
  input?: string;
  tweaks?: string;
  session?: string;
  inputType?: InputType;
  outputType?: OutputType;
  json?: boolean;
}

/** `weft run FLOW.json`: prints the chat output text, or the RunResponse with --json. */
export async function runCommand(path: string, options: RunCommandOptions): Promise<number> {
  const flow = JSON.parse(await readFile(path, 'utf8'));
  const tweaks = options.tweaks ? parseTweaks(options.tweaks) : undefined;
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    const run = new FlowRun({
      flow,
      registry: createRegistry(),
      inputValue: options.input ?? null,
      inputType: options.inputType ?? 'chat',
      outputType: options.outputType ?? 'chat',
      tweaks,
      sessionId: options.session ?? null,
      signal: controller.signal,
    });
    for await (const _event of run.events()) {
      // The CLI prints only the final result.
    }
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
  }
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
