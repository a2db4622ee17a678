import { UnavailableError } from '../../engine/errors.js';

/**
 * Errors the job and event services raise: `unavailable` WeftErrors whose detail is Langflow's
 * `{error, code, message}` object.
 */

/** Redis (queue or event bus) cannot be reached (QUEUE_SERVICE_UNAVAILABLE). */
export class QueueUnavailableError extends UnavailableError {
  constructor(reason: string, options?: { cause?: unknown }) {
    const message = `The job queue service is unavailable: ${reason}`;
    super(message, { cause: options?.cause, detail: { error: 'Queue service unavailable', code: 'QUEUE_SERVICE_UNAVAILABLE', message } });
  }
}

/** Too many jobs are waiting in this process (in-process mode; SERVICE_BUSY). */
export class QueueBusyError extends UnavailableError {
  constructor(limit: number) {
    const message = `The server is busy: ${limit} jobs are already waiting`;
    super(message, { detail: { error: 'Service busy', code: 'SERVICE_BUSY', message } });
  }
}

/** Runs `work`, turning a hang or a connection failure into QueueUnavailableError. */
export async function withDeadline<T>(what: string, ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work(), deadline]);
  } catch (error) {
    if (error instanceof QueueUnavailableError) throw error;
    if (isConnectionError(error)) throw new QueueUnavailableError(`${what}: ${(error as Error).message}`, { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** ioredis' errors when it is not connected, times out, or the socket breaks. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const text = `${error.name} ${error.message} ${(error as { code?: string }).code ?? ''}`;
  return /Stream isn't writeable|enableOfflineQueue|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|Command timed out|MaxRetriesPerRequest|connect ETIMEDOUT|Reached the max retries|NR_CLOSED|Connection is in|not connected/i.test(text);
}
