import { isTerminal, type EventBus, type EventInput } from '../events/types.js';
import type { JobExecutor, JobOutcome, RunJobSpec } from './types.js';

export interface Finished {
  outcome: JobOutcome;
  /** The job's last event (`end` or `error`), appended by whoever records the outcome. */
  terminal: EventInput;
}

/**
 * Runs one job: non-terminal events go to the bus as they come; the terminal event is held back
 * and returned with the outcome, so the caller can record status and terminal event together.
 */
export async function executeJob(executor: JobExecutor, spec: RunJobSpec, jobId: string, bus: EventBus, signal: AbortSignal): Promise<Finished> {
  let terminal: EventInput | null = null;
  const ctx = {
    jobId,
    signal,
    emit: async (event: EventInput) => {
      if (terminal) return;
      if (isTerminal(event)) terminal = event;
      else await bus.append(jobId, event);
    },
  };
  let outcome: JobOutcome;
  try {
    outcome = await executor(spec, ctx);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    outcome = signal.aborted ? { status: 'cancelled', error: 'The run was cancelled' } : { status: 'failed', error: message };
  }
  if (signal.aborted && outcome.status !== 'completed') outcome = { ...outcome, status: 'cancelled', error: outcome.error ?? 'The run was cancelled' };
  return { outcome, terminal: terminal ?? terminalFor(outcome) };
}

export function terminalFor(outcome: JobOutcome): EventInput {
  if (outcome.status === 'completed') return { event: 'end', data: {} };
  return { event: 'error', data: { error: outcome.error ?? 'The run failed', cancelled: outcome.status === 'cancelled' } };
}

export const CANCELLED_MESSAGE = 'The run was cancelled';
