/**
 * File storage errors. Each carries `status` and `detail`, which the API's error handler turns into
 * FastAPI's `{"detail": ...}` body with that status, so routes can let them propagate.
 */
export class FileStorageError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

/** A file name or folder that could reach outside its folder, or is not a single plain name. */
export class InvalidFileNameError extends FileStorageError {
  constructor(readonly rejected: string, reason: string) {
    super(400, 'Invalid file name');
    this.message = `Invalid file name ${JSON.stringify(rejected)}: ${reason}`;
  }
}

/** More bytes than `max_file_size_upload` allows (Langflow's 413 wording). */
export class FileTooLargeError extends FileStorageError {
  constructor(readonly limitBytes: number) {
    super(413, `File size is larger than the maximum file size ${formatMegabytes(limitBytes)}MB.`);
  }
}

export class StoredFileNotFoundError extends FileStorageError {
  constructor(readonly folder: string, readonly fileName: string) {
    super(404, `File not found: ${fileName}`);
  }
}

function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return Number.isInteger(mb) ? String(mb) : mb.toFixed(2);
}
