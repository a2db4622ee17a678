import type { EventBus, EventInput } from '../events/types.js';

/** What started a job; decides the shape of its `end` event and what is recorded. */
export type JobKind = 'build' | 'webhook' | 'workflow';

export type JobStatus = 'queued' | 'in_progress' | 'completed' | 'failed' | 'cancelled';

export const FINISHED_STATUSES: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'cancelled']);

/** Everything a worker needs to run a flow; it travels through the queue as JSON. */
export interface RunJobSpec {
  kind: JobKind;
  flowId: string;
  /** The user the run acts as (flow owner for webhooks and public flows). */
  userId: string | null;
  inputs: {
    inputValue?: string | null;
    inputType?: 'chat' | 'text' | 'any';
    outputType?: 'chat' | 'text' | 'any' | 'debug';
    /** Vertices (ids or names) that receive `inputValue`. */
    inputComponents?: string[];
    sessionId?: string | null;
    tweaks?: Record<string, unknown> | null;
    files?: string[];
    /** Request-scoped variables (X-LANGFLOW-GLOBAL-VAR-*, v2 `globals`). */
    requestVariables?: Record<string, string>;
  };
  options: {
    /** Unsaved graph from the editor (`data`), used instead of the stored flow. */
    data?: Record<string, unknown> | null;
    startComponentId?: string | null;
    stopComponentId?: string | null;
    /** Record vertex builds (Langflow `log_builds`, default true). */
    logBuilds?: boolean;
    flowName?: string | null;
    /** Flow id the run is recorded under, when it differs (public flows: uuid5 of client + flow). */
    runFlowId?: string | null;
    /** v2: only these vertices' outputs in the result. */
    outputIds?: string[];
    stream?: boolean;
    /** A public flow's build: its events may be read by callers other than the owner. */
    public?: boolean;
  };
}

export interface JobInfo {
  id: string;
  kind: JobKind;
  flowId: string;
  userId: string | null;
  /** Readable by callers other than `userId` (public flow builds). */
  public: boolean;
  status: JobStatus;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** The run's result (RunResponse) once completed. */
  result: unknown;
  error: string | null;
}

/** Host-side work of one job: run the flow, emitting Langflow events; resolve with the result. */
export interface JobContext {
  jobId: string;
  signal: AbortSignal;
  /** Appends an event to the job's stream (awaited, so order is kept). */
  emit(event: EventInput): Promise<void>;
}

export interface JobOutcome {
  status: 'completed' | 'failed' | 'cancelled';
  result?: unknown;
  error?: string;
}

export type JobExecutor = (spec: RunJobSpec, ctx: JobContext) => Promise<JobOutcome>;

export interface SubmitOptions {
  /** Caller-chosen job id (a uuid); generated when absent. */
  jobId?: string;
}

/** Submit run jobs, ask their status, cancel them. Events go through `events`. */
export interface JobQueue {
  readonly mode: 'in-process' | 'redis';
  readonly events: EventBus;
  submit(spec: RunJobSpec, options?: SubmitOptions): Promise<JobInfo>;
  /** null when unknown or expired. */
  status(jobId: string): Promise<JobInfo | null>;
  /**
   * Cancels a queued or running job wherever it runs. Resolves true when the job is (or already
   * was) finished, false when it could not be stopped within the wait; null when the job is unknown.
   */
  cancel(jobId: string, options?: { waitMs?: number }): Promise<boolean | null>;
  /** Resolves with the job once it is finished, or null on timeout / unknown job. */
  waitUntilFinished(jobId: string, timeoutMs: number): Promise<JobInfo | null>;
  /** Fails with QueueUnavailableError when the queue's backing service is down. */
  ping(): Promise<void>;
  /** Jobs waiting and running (this process's queue, or the whole deployment's with Redis). */
  depth(): Promise<{ queued: number; running: number }>;
  close(): Promise<void>;
}

export function newJobInfo(id: string, spec: RunJobSpec): JobInfo {
  return {
    id,
    kind: spec.kind,
    flowId: spec.flowId,
    userId: spec.userId,
    public: spec.options.public ?? false,
    status: 'queued',
    createdAt: new Date().toISOString(),
    startedAt: null,
    finishedAt: null,
    result: null,
    error: null,
  };
}
