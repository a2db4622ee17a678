import { WeftError, type ErrorCode } from '../../engine/errors.js';

/**
 * File storage errors: WeftErrors whose `detail` is Langflow's wording, so routes can let them
 * propagate to the API's error handler.
 */
export class FileStorageError extends WeftError {
  declare readonly detail: string;

  constructor(code: ErrorCode, detail: string, message: string = detail) {
    super(code, message, { detail });
  }
}

/** A file name or folder that could reach outside its folder, or is not a single plain name. */
export class InvalidFileNameError extends FileStorageError {
  constructor(readonly rejected: string, reason: string) {
    // The caller is told only "Invalid file name"; the message (for the logs) says which and why.
    super('invalid_request', 'Invalid file name', `Invalid file name ${JSON.stringify(rejected)}: ${reason}`);
  }
}

/** More bytes than `max_file_size_upload` allows (Langflow's 413 wording). */
export class FileTooLargeError extends FileStorageError {
  constructor(readonly limitBytes: number) {
    super('too_large', `File size is larger than the maximum file size ${formatMegabytes(limitBytes)}MB.`);
  }
}

export class StoredFileNotFoundError extends FileStorageError {
  constructor(readonly folder: string, readonly fileName: string) {
    super('not_found', `File not found: ${fileName}`);
  }
}

function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return Number.isInteger(mb) ? String(mb) : mb.toFixed(2);
}
