import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { WeftError } from '../../engine/errors.js';
import { parseUntrustedJson } from '../../engine/safe-json.js';
import type { CustomComponentSettings } from '../settings.js';
import { compile, CompileError } from './compile.js';
import type { FailureKind, FetchRequest, FromWorker, RunAnswer, RunRequest, SandboxLimits } from './protocol.js';

/**
 * Runs custom component code in QuickJS compiled to WebAssembly, on worker threads (worker.ts). The host
 * passes parameters in and reads values out as JSON text: no host object, function or prototype is
 * ever shared with the sandbox. Each call has the memory, time and output limits of the settings.
 */

/** A custom component refused, or its call failed (a limit, its own error): the message names the component. */
export class CustomComponentError extends WeftError {
  constructor(
    message: string,
    readonly failure: FailureKind | 'disabled' | 'compile' = 'error',
  ) {
    super('invalid_request', message);
  }
}

export interface SandboxCall {
  code: string;
  /** The owner: pre-warmed sandboxes are never handed to anyone else. */
  owner: string;
  /** Display name, for messages. */
  component: string;
  output: string;
  params: unknown;
  info: unknown;
}

export interface SandboxResult {
  value: unknown;
  logs: string[];
  micros: number;
  warm: boolean;
}

export interface FetchedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The host's outbound client for `fetch` inside a sandbox (the SSRF-guarded one), when granted. */
export type SandboxFetcher = (url: string, init: { method?: string; headers?: Record<string, string>; body?: string }, signal: AbortSignal) => Promise<FetchedResponse>;

interface Job {
  request: RunRequest;
  component: string;
  resolve(answer: RunAnswer): void;
  reject(error: Error): void;
  aborts: AbortController;
}

interface Thread {
  worker: Worker;
  job: Job | null;
  watchdog: NodeJS.Timeout | null;
}

/** Extra time the host allows a thread past a call's deadline before it terminates the thread. */
const WATCHDOG_GRACE_MS = 2000;
const WORKER_STACK_MB = 8;

function workerUrl(): URL {
  const compiled = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return compiled;
  return new URL('./sandbox-worker.mjs', import.meta.url);
}

export class Sandbox {
  private readonly threads: Thread[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    readonly settings: CustomComponentSettings,
    private readonly fetcher?: SandboxFetcher,
  ) {}

  get limits(): SandboxLimits {
    const s = this.settings;
    return { memoryBytes: s.memoryMb * 1024 * 1024, timeoutMs: s.timeoutMs, maxOutputBytes: s.maxOutputBytes, fetch: s.fetch && this.fetcher !== undefined };
  }

  assertEnabled(): void {
    if (!this.settings.enabled) throw new CustomComponentError('Custom components are disabled on this server (WEFT_CUSTOM_COMPONENTS=false)', 'disabled');
  }

  /** The declaration object the code's default export describes (everything but `compute`; `computeNames` lists those). */
  async declaration(code: string, owner: string, component = 'custom component'): Promise<Record<string, unknown>> {
    const answer = await this.call(code, owner, component, null, null, null, false);
    const parsed: unknown = JSON.parse(answer.value);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CustomComponentError(`Custom component "${component}": the declaration is not an object`);
    return parsed as Record<string, unknown>;
  }

  async run(call: SandboxCall): Promise<SandboxResult> {
    let params: string;
    let info: string;
    try {
      params = JSON.stringify(call.params ?? {});
      info = JSON.stringify(call.info ?? {});
    } catch (error) {
      throw new CustomComponentError(`Custom component "${call.component}": its parameters are not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    const answer = await this.call(call.code, call.owner, call.component, call.output, params, info, this.settings.warm > 0);
    let value: unknown;
    try {
      value = parseUntrustedJson(answer.value);
    } catch (error) {
      throw new CustomComponentError(`Custom component "${call.component}" returned an unusable value (${error instanceof Error ? error.message : String(error)})`);
    }
    return { value, logs: answer.logs, micros: answer.micros, warm: answer.warm };
  }

  private async call(code: string, owner: string, component: string, output: string | null, params: string | null, info: string | null, prewarm: boolean): Promise<RunAnswer> {
    this.assertEnabled();
    if (this.closed) throw new CustomComponentError('The sandbox is shut down', 'disabled');
    let script: string;
    let hash: string;
    try {
      ({ script, hash } = await compile(code));
    } catch (error) {
      if (error instanceof CompileError) throw new CustomComponentError(`Custom component "${component}" does not compile: ${error.message}`, 'compile');
      throw error;
    }
    const request: RunRequest = {
      type: 'run', id: this.nextId++, key: `${owner}\u0000${hash}`, script, output, params: params ?? '{}', info: info ?? '{}', limits: this.limits, prewarm,
    };
    const answer = await new Promise<RunAnswer>((resolve, reject) => {
      this.queue.push({ request, component, resolve, reject, aborts: new AbortController() });
      this.dispatch();
    });
    if (!answer.ok) throw new CustomComponentError(this.failureMessage(component, answer.failure ?? 'error', answer.value), answer.failure ?? 'error');
    return answer;
  }

  failureMessage(component: string, kind: FailureKind, detail: string): string {
    const s = this.settings;
    const name = `Custom component "${component}"`;
    switch (kind) {
      case 'memory': return `${name} exceeded its memory limit (${s.memoryMb} MB)`;
      case 'time': return `${name} exceeded its time limit (${s.timeoutMs / 1000} s)`;
      case 'stack': return `${name} exceeded its stack limit (unbounded recursion?)`;
      case 'output': return `${name} returned more than the output limit (${s.maxOutputBytes} bytes): ${detail}`;
      case 'never_settles': return `${name} returned a promise that never settles (nothing is left that could resolve it)`;
      default: return `${name} failed: ${detail}`;
    }
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let thread = this.threads.find((t) => t.job === null);
      if (!thread && this.threads.length < this.settings.threads) thread = this.spawn();
      if (!thread) return;
      const job = this.queue.shift()!;
      this.start(thread, job);
    }
  }

  private start(thread: Thread, job: Job): void {
    thread.job = job;
    thread.watchdog = setTimeout(() => this.kill(thread), job.request.limits.timeoutMs + WATCHDOG_GRACE_MS);
    thread.watchdog.unref();
    thread.worker.postMessage(job.request);
  }

  private spawn(): Thread {
    const worker = new Worker(workerUrl(), {
      env: {},
      workerData: { warm: this.settings.warm },
      resourceLimits: { stackSizeMb: WORKER_STACK_MB, maxOldGenerationSizeMb: 256 },
    });
    worker.unref();
    const thread: Thread = { worker, job: null, watchdog: null };
    worker.on('message', (message: FromWorker) => this.onMessage(thread, message));
    worker.on('error', (error) => this.lost(thread, error));
    worker.on('exit', () => this.lost(thread, new Error('the sandbox thread stopped')));
    this.threads.push(thread);
    return thread;
  }

  private onMessage(thread: Thread, message: FromWorker): void {
    if (message.type === 'fetch') return void this.answerFetch(thread, message);
    if (message.type !== 'answer') return;
    const job = thread.job;
    if (!job || job.request.id !== message.id) return;
    this.finish(thread);
    job.resolve(message);
    this.dispatch();
  }

  private finish(thread: Thread): void {
    if (thread.watchdog) clearTimeout(thread.watchdog);
    thread.watchdog = null;
    thread.job?.aborts.abort();
    thread.job = null;
  }

  private async answerFetch(thread: Thread, message: FetchRequest): Promise<void> {
    const job = thread.job;
    if (!job || job.request.id !== message.id) return;
    let answer: { ok: boolean; value: string };
    try {
      if (!this.fetcher || !job.request.limits.fetch) throw new Error('fetch is not enabled for custom components (WEFT_CUSTOM_COMPONENTS_FETCH)');
      const init = JSON.parse(message.init) as { method?: string; headers?: Record<string, string>; body?: string };
      const response = await this.fetcher(message.url, init, job.aborts.signal);
      answer = { ok: true, value: JSON.stringify(response) };
    } catch (error) {
      answer = { ok: false, value: error instanceof Error ? error.message : String(error) };
    }
    if (thread.job === job) thread.worker.postMessage({ type: 'fetch-answer', id: message.id, fetchId: message.fetchId, ...answer });
  }

  /** A thread past its deadline (QuickJS did not reach an interrupt check): it is terminated and replaced. */
  private kill(thread: Thread): void {
    const job = thread.job;
    this.remove(thread);
    void thread.worker.terminate();
    if (job) job.resolve({ type: 'answer', id: job.request.id, ok: false, value: 'terminated', failure: 'time', logs: [], micros: 0, warm: false });
    this.dispatch();
  }

  private lost(thread: Thread, error: Error): void {
    if (!this.threads.includes(thread)) return;
    const job = thread.job;
    this.remove(thread);
    if (job) job.reject(new CustomComponentError(`Custom component "${job.component}": the sandbox stopped (${error.message})`));
    this.dispatch();
  }

  private remove(thread: Thread): void {
    this.finish(thread);
    const index = this.threads.indexOf(thread);
    if (index >= 0) this.threads.splice(index, 1);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new CustomComponentError('The sandbox is shut down', 'disabled'));
    const threads = this.threads.splice(0);
    await Promise.all(threads.map(async (thread) => {
      const job = thread.job;
      this.finish(thread);
      job?.reject(new CustomComponentError('The sandbox is shut down', 'disabled'));
      await thread.worker.terminate();
    }));
  }
}
