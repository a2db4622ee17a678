/** Messages between the host (sandbox.ts) and its worker threads (worker.ts). Everything crosses as JSON text. */

export interface SandboxLimits {
  memoryBytes: number;
  timeoutMs: number;
  maxOutputBytes: number;
  /** `fetch` inside the sandbox, answered by the host through the SSRF-guarded client. */
  fetch: boolean;
}

/** Why a call failed: the limit it hit, or the component's own error. */
export type FailureKind = 'memory' | 'time' | 'stack' | 'output' | 'never_settles' | 'error' | 'invalid';

export interface RunRequest {
  type: 'run';
  id: number;
  /** Owner and code hash: a pre-warmed sandbox is only ever handed to the same owner's same code. */
  key: string;
  script: string;
  /** An output name, or `null` to read the declaration. */
  output: string | null;
  params: string;
  info: string;
  limits: SandboxLimits;
  /** After answering, prepare a sandbox for the next call of this key. */
  prewarm: boolean;
}

export interface FetchAnswer {
  type: 'fetch-answer';
  id: number;
  fetchId: number;
  ok: boolean;
  /** JSON of `{status, headers, body}`, or the error message. */
  value: string;
}

export type ToWorker = RunRequest | FetchAnswer | { type: 'stop' };

export interface RunAnswer {
  type: 'answer';
  id: number;
  ok: boolean;
  /** The returned value as JSON, or the error message. */
  value: string;
  failure?: FailureKind;
  logs: string[];
  /** Microseconds spent in the sandbox (creating it, when no warm one was ready, included). */
  micros: number;
  warm: boolean;
}

export interface FetchRequest {
  type: 'fetch';
  id: number;
  fetchId: number;
  url: string;
  init: string;
}

export type FromWorker = RunAnswer | FetchRequest | { type: 'ready' };
