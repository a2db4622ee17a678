import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { compile, CompileError, MAX_SOURCE_BYTES } from './compile.js';
import type { TypecheckProblem } from './typecheck-worker.js';

/**
 * `/api/v1/validate/code` for Weft components: syntax and import errors from esbuild, then type errors
 * from the TypeScript compiler on a thread of its own (typecheck-worker.ts). Nothing is executed.
 */

export interface CodeProblem {
  line: number;
  column: number;
  message: string;
  /** `syntax` (esbuild: the code does not parse, or imports something other than 'weft') or `type` (tsc). */
  kind: 'syntax' | 'type';
}

const CHECK_TIMEOUT_MS = 15_000;

function workerUrl(): URL {
  const compiled = new URL('./typecheck-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return compiled;
  return new URL('./typecheck-worker.mjs', import.meta.url);
}

type Waiter = { resolve(problems: TypecheckProblem[]): void; reject(error: Error): void; timer: NodeJS.Timeout };

export class CodeChecker {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();
  /** One check at a time: a check is CPU work on one thread. */
  private chain: Promise<unknown> = Promise.resolve();

  async check(code: string): Promise<CodeProblem[]> {
    if (Buffer.byteLength(code) > MAX_SOURCE_BYTES) return [{ line: 1, column: 0, message: `the code is larger than ${MAX_SOURCE_BYTES / 1024} KiB`, kind: 'syntax' }];
    try {
      await compile(code);
    } catch (error) {
      if (error instanceof CompileError) return error.problems.map((p) => ({ ...p, kind: 'syntax' as const }));
      throw error;
    }
    const run = this.chain.then(() => this.typecheck(code));
    this.chain = run.catch(() => undefined);
    const problems = await run;
    return problems.map((p) => ({ line: p.line, column: p.column, message: p.message, kind: 'type' as const }));
  }

  private typecheck(code: string): Promise<TypecheckProblem[]> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        this.stopWorker();
        reject(new Error('the type check took too long'));
      }, CHECK_TIMEOUT_MS);
      timer.unref();
      this.waiting.set(id, { resolve, reject, timer });
      worker.postMessage({ id, code });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerUrl(), { env: {}, resourceLimits: { maxOldGenerationSizeMb: 512 } });
    worker.unref();
    worker.on('message', (message: { id: number; ok: boolean; problems?: TypecheckProblem[]; error?: string }) => {
      const waiter = this.waiting.get(message.id);
      if (!waiter) return;
      this.waiting.delete(message.id);
      clearTimeout(waiter.timer);
      if (message.ok) waiter.resolve(message.problems ?? []);
      else waiter.reject(new Error(message.error ?? 'the type check failed'));
    });
    const lost = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const [id, waiter] of this.waiting) {
        clearTimeout(waiter.timer);
        waiter.reject(error);
        this.waiting.delete(id);
      }
    };
    worker.on('error', lost);
    worker.on('exit', () => lost(new Error('the type checker stopped')));
    this.worker = worker;
    return worker;
  }

  private stopWorker(): void {
    const worker = this.worker;
    this.worker = null;
    void worker?.terminate();
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }
}
