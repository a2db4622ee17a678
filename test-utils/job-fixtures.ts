import { createApiKey } from '../src/services/auth/api-keys.js';
import type { Database } from '../src/services/database/index.js';
import { FlowBuilder } from './flow-builder.js';

/** Flows, users and HTTP helpers shared by the job tests and the jobs benchmark. */

export interface TestUser {
  id: string;
  apiKey: string;
}

let users = 0;

export async function createTestUser(database: Database, name = 'jobs'): Promise<TestUser> {
  const user = await database.users.create({ username: `${name}-${process.pid}-${++users}-${Math.random().toString(36).slice(2, 8)}`, passwordHash: 'x', isActive: true, isSuperuser: false });
  const key = await createApiKey(database, user.id, 'test');
  return { id: user.id, apiKey: key.api_key };
}

/** ChatInput → ChatOutput. */
export function echoFlowData(store = false): Record<string, unknown> {
  const flow = new FlowBuilder('echo');
  const input = flow.node('ChatInput', { should_store_message: store });
  const output = flow.node('ChatOutput', { should_store_message: store });
  flow.connect(input, 'message', output, 'input_value');
  return flow.build().data as unknown as Record<string, unknown>;
}

/** ChatInput → TestHold → ChatOutput: runs until cancelled (or until `releaseFile` exists). */
export function holdFlowData(releaseFile = ''): Record<string, unknown> {
  const flow = new FlowBuilder('hold');
  const input = flow.node('ChatInput', { should_store_message: false });
  const hold = flow.node('TestHold', { release_file: releaseFile });
  const output = flow.node('ChatOutput', { should_store_message: false });
  flow.connect(input, 'message', hold, 'input_value').connect(hold, 'out', output, 'input_value');
  return flow.build().data as unknown as Record<string, unknown>;
}

/** ChatInput → `size` Prompts in a chain → ChatOutput: many end_vertex events in a fixed order. */
export function chainFlowData(size: number): Record<string, unknown> {
  const flow = new FlowBuilder('chain');
  let previous = flow.node('ChatInput', { should_store_message: false });
  let output = 'message';
  for (let i = 0; i < size; i++) {
    const prompt = flow.node('Prompt', { template: `{v}.${i}`, v: '' });
    flow.connect(previous, output, prompt, 'v');
    previous = prompt;
    output = 'prompt';
  }
  const chatOutput = flow.node('ChatOutput', { should_store_message: false });
  flow.connect(previous, output, chatOutput, 'input_value');
  return flow.build().data as unknown as Record<string, unknown>;
}

/** Webhook → ChatOutput (stores the payload's `text` as a message). */
export function webhookFlowData(): Record<string, unknown> {
  const flow = new FlowBuilder('webhook');
  const hook = flow.node('Webhook', { data: '' });
  const output = flow.node('ChatOutput', { should_store_message: true, data_template: '{text}' });
  flow.connect(hook, 'output_data', output, 'input_value', ['Data']);
  return flow.build().data as unknown as Record<string, unknown>;
}

export async function createTestFlow(database: Database, user: TestUser, data: Record<string, unknown>, extra: { access_type?: 'PUBLIC' | 'PRIVATE'; name?: string } = {}) {
  return database.flows.create(user.id, { name: extra.name ?? `flow-${Math.random().toString(36).slice(2, 8)}`, data, access_type: extra.access_type });
}

export interface ParsedEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Splits Langflow's NDJSON framing (`{...}\n\n` records) and checks the Python spacing. */
export function parseNdjson(body: string): ParsedEvent[] {
  return body
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      if (!line.startsWith('{"event": "')) throw new Error(`not Langflow framing: ${line.slice(0, 80)}`);
      return JSON.parse(line) as ParsedEvent;
    });
}

export function vertexIdsOf(flowData: Record<string, unknown>): string[] {
  return (flowData.nodes as { id: string }[]).map((n) => n.id);
}

/** Polls `probe` until it returns a truthy value or the deadline passes (no fixed sleeps). */
export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 20_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
