import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

/**
 * Real API and worker processes (`node dist/test-utils/job-processes.js api|worker`) sharing
 * one database and one Redis key prefix, for the scale-out tests and the jobs benchmark.
 */
export interface Proc {
  kind: 'api' | 'worker';
  child: ChildProcess;
  /** API processes: the port they listen on. */
  port: number;
  url: string;
  output: string[];
  exited: Promise<number | null>;
}

const SCRIPT = join(repoRoot, 'dist', 'test-utils', 'job-processes.js');

export class JobCluster {
  readonly procs: Proc[] = [];
  readonly configDir = mkdtempSync(join(tmpdir(), 'weft-cluster-'));

  constructor(readonly env: Record<string, string>) {}

  private baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LANGFLOW_')));
    return { ...inherited, LANGFLOW_CONFIG_DIR: this.configDir, LANGFLOW_PORT: '0', ...this.env, ...extra, NODE_ENV: 'test' };
  }

  async spawn(kind: 'api' | 'worker', extra: Record<string, string> = {}): Promise<Proc> {
    const child = spawn(process.execPath, [SCRIPT, kind], { env: this.baseEnv(extra), stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const ready = new Promise<number>((resolve, reject) => {
      let buffer = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        output.push(chunk.toString());
        const listening = /listening (\d+)/.exec(buffer);
        if (kind === 'api' && listening) resolve(Number(listening[1]));
        if (kind === 'worker' && buffer.includes('weft worker ready')) resolve(0);
      });
      child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      void exited.then((code) => reject(new Error(`${kind} exited (${code}) before it was ready:\n${output.join('')}`)));
    });
    const port = await ready;
    const proc: Proc = { kind, child, port, url: `http://127.0.0.1:${port}`, output, exited };
    this.procs.push(proc);
    return proc;
  }

  /** SIGTERM everything still running and wait for it to exit. */
  async stop(): Promise<void> {
    await Promise.all(
      this.procs.map(async (proc) => {
        if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGTERM');
        const timer = setTimeout(() => proc.child.kill('SIGKILL'), 15_000);
        await proc.exited;
        clearTimeout(timer);
      }),
    );
    rmSync(this.configDir, { recursive: true, force: true });
  }
}
