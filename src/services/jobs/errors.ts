/**
 * Errors the job and event services raise; the API maps them to HTTP statuses.
 */

/** Redis (queue or event bus) cannot be reached. The API answers 503 QUEUE_SERVICE_UNAVAILABLE. */
export class QueueUnavailableError extends Error {
  readonly code = 'QUEUE_SERVICE_UNAVAILABLE';
  /** `{status, detail}`: the API's error handler answers with these. */
  readonly status = 503;
  readonly detail: { error: string; code: string; message: string };
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`The job queue service is unavailable: ${reason}`, options);
    this.name = 'QueueUnavailableError';
    this.detail = { error: 'Queue service unavailable', code: this.code, message: this.message };
  }
}

/** Too many jobs are waiting in this process (in-process mode). The API answers 503 SERVICE_BUSY. */
export class QueueBusyError extends Error {
  readonly code = 'SERVICE_BUSY';
  readonly status = 503;
  readonly detail: { error: string; code: string; message: string };
  constructor(limit: number) {
    super(`The server is busy: ${limit} jobs are already waiting`);
    this.name = 'QueueBusyError';
    this.detail = { error: 'Service busy', code: this.code, message: this.message };
  }
}

/** A job id that is unknown or expired. The API answers 404. */
export class JobNotFoundError extends Error {
  readonly code = 'JOB_NOT_FOUND';
  constructor(readonly jobId: string) {
    super(`Job ${jobId} not found`);
    this.name = 'JobNotFoundError';
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
