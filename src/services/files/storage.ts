import { randomUUID } from 'node:crypto';
import { constants, mkdirSync, realpathSync, type ReadStream } from 'node:fs';
import { lstat, mkdir, open, readdir, realpath, rename, rm, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { FileTooLargeError, InvalidFileNameError, StoredFileNotFoundError } from './errors.js';
import { assertSafeName } from './names.js';

/** Bytes to store: a buffer, or a stream of chunks (an upload) that is written as it arrives. */
export type FileData = Uint8Array | AsyncIterable<Uint8Array>;

export interface SaveOptions {
  /** Add to the end of an existing file instead of replacing it (Langflow's v2 `append`). */
  append?: boolean;
}

/**
 * Where file bytes live, addressed as `<folder>/<name>` (a flow id for v1 files, a user id for v2
 * files), as Langflow's `StorageService` does. Both parts must be single plain names (see
 * `assertSafeName`); an implementation must never touch anything outside its own root.
 * Local disk is the only implementation; an S3 one would map `<folder>/<name>` to an object key.
 */
export interface FileStorage {
  /** Langflow's provider name, reported on v2 file records. */
  readonly provider: string;
  /** Writes the file (atomically for a replace) and returns its size in bytes. */
  save(folder: string, name: string, data: FileData, options?: SaveOptions): Promise<number>;
  read(folder: string, name: string): Promise<Buffer>;
  /** A readable stream of the file; throws `StoredFileNotFoundError` before any byte is sent. */
  stream(folder: string, name: string): Promise<ReadStream>;
  size(folder: string, name: string): Promise<number>;
  exists(folder: string, name: string): Promise<boolean>;
  /** File names in the folder (no sub-folders), sorted; empty when the folder does not exist. */
  list(folder: string): Promise<string[]>;
  /** Removes the file; false when there was none. */
  delete(folder: string, name: string): Promise<boolean>;
  /** Removes the folder with every file in it (a deleted flow's or user's files); no error when absent. */
  deleteFolder(folder: string): Promise<void>;
}

export interface LocalFileStorageOptions {
  /** Largest file `save` accepts, in bytes (Langflow's `max_file_size_upload` MB × 2^20). */
  maxFileSizeBytes?: number;
}

function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function isInside(base: string, target: string): boolean {
  const rel = relative(base, target);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
const APPEND_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW;
/** Uploads in progress; never listed. */
const TEMP_PREFIX = '.weft-upload-';
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW;

/**
 * Files on local disk under one root directory (Langflow's `config_dir`).
 *
 * Every access checks the names (`assertSafeName`), resolves the path and verifies it lies inside
 * the root, then verifies the real path of the folder (symlinks resolved) is still inside the real
 * root, and opens files with `O_NOFOLLOW`, so a planted symlink cannot redirect a read or write.
 */
export class LocalFileStorage implements FileStorage {
  readonly provider = 'local';
  readonly root: string;
  private readonly realRoot: string;
  private readonly maxBytes: number;

  constructor(root: string, options: LocalFileStorageOptions = {}) {
    this.root = resolve(root);
    mkdirSync(this.root, { recursive: true, mode: 0o700 });
    this.realRoot = realpathSync(this.root);
    this.maxBytes = options.maxFileSizeBytes ?? Number.POSITIVE_INFINITY;
  }

  /** The absolute path of `<folder>/<name>`, checked lexically. */
  private lexicalPath(folder: string, name?: string): string {
    assertSafeName(folder);
    if (name !== undefined) assertSafeName(name);
    const target = name === undefined ? join(this.realRoot, folder) : join(this.realRoot, folder, name);
    if (!isInside(this.realRoot, target)) throw new InvalidFileNameError(name ?? folder, 'resolves outside the storage folder');
    return target;
  }

  /** The folder's real path if it exists (and is really inside the root), else null. */
  private async realFolder(folder: string): Promise<string | null> {
    const lexical = this.lexicalPath(folder);
    let real: string;
    try {
      real = await realpath(lexical);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    if (!isInside(this.realRoot, real)) throw new InvalidFileNameError(folder, 'resolves outside the storage folder');
    return real;
  }

  /** The file's path in the folder's real directory; the file itself must not be a symlink. */
  private async existingFile(folder: string, name: string): Promise<string> {
    this.lexicalPath(folder, name);
    const dir = await this.realFolder(folder);
    if (dir === null) throw new StoredFileNotFoundError(folder, name);
    const path = join(dir, name);
    let stats;
    try {
      stats = await lstat(path);
    } catch (error) {
      if (isNotFound(error)) throw new StoredFileNotFoundError(folder, name);
      throw error;
    }
    if (stats.isSymbolicLink()) throw new InvalidFileNameError(name, 'is a symbolic link');
    if (!stats.isFile()) throw new StoredFileNotFoundError(folder, name);
    return path;
  }

  private async openForRead(folder: string, name: string): Promise<FileHandle> {
    const path = await this.existingFile(folder, name);
    try {
      return await open(path, READ_FLAGS);
    } catch (error) {
      if (isNotFound(error)) throw new StoredFileNotFoundError(folder, name);
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new InvalidFileNameError(name, 'is a symbolic link');
      throw error;
    }
  }

  async save(folder: string, name: string, data: FileData, options: SaveOptions = {}): Promise<number> {
    this.lexicalPath(folder, name);
    await mkdir(this.lexicalPath(folder), { recursive: true, mode: 0o700 });
    const dir = await this.realFolder(folder);
    if (dir === null) throw new StoredFileNotFoundError(folder, name);
    const finalPath = join(dir, name);
    if (!isInside(this.realRoot, finalPath)) throw new InvalidFileNameError(name, 'resolves outside the storage folder');

    const append = options.append === true;
    const existingSize = append ? await this.size(folder, name).catch((error: unknown) => {
      if (error instanceof StoredFileNotFoundError) return 0;
      throw error;
    }) : 0;
    // A replace goes to a temporary name first and is renamed into place (rename never follows a symlink).
    const writePath = append ? finalPath : join(dir, `${TEMP_PREFIX}${randomUUID()}`);
    let handle: FileHandle;
    try {
      handle = await open(writePath, append ? APPEND_FLAGS : WRITE_FLAGS, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new InvalidFileNameError(name, 'is a symbolic link');
      throw error;
    }
    let written = 0;
    try {
      const chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array> = data instanceof Uint8Array ? [data] : data;
      for await (const chunk of chunks) {
        written += chunk.byteLength;
        if (existingSize + written > this.maxBytes) throw new FileTooLargeError(this.maxBytes);
        await handle.write(chunk);
      }
      await handle.close();
    } catch (error) {
      await handle.close().catch(() => undefined);
      if (!append) await rm(writePath, { force: true });
      throw error;
    }
    if (!append) await rename(writePath, finalPath);
    return existingSize + written;
  }

  async read(folder: string, name: string): Promise<Buffer> {
    const handle = await this.openForRead(folder, name);
    try {
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  async stream(folder: string, name: string): Promise<ReadStream> {
    const handle = await this.openForRead(folder, name);
    return handle.createReadStream();
  }

  async size(folder: string, name: string): Promise<number> {
    const handle = await this.openForRead(folder, name);
    try {
      return (await handle.stat()).size;
    } finally {
      await handle.close();
    }
  }

  async exists(folder: string, name: string): Promise<boolean> {
    try {
      await this.existingFile(folder, name);
      return true;
    } catch (error) {
      if (error instanceof StoredFileNotFoundError) return false;
      throw error;
    }
  }

  async list(folder: string): Promise<string[]> {
    const dir = await this.realFolder(folder);
    if (dir === null) return [];
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && !entry.name.startsWith(TEMP_PREFIX))
      .map((entry) => entry.name)
      .sort();
  }

  async delete(folder: string, name: string): Promise<boolean> {
    let path: string;
    try {
      path = await this.existingFile(folder, name);
    } catch (error) {
      if (error instanceof StoredFileNotFoundError) return false;
      throw error;
    }
    try {
      await rm(path);
    } catch (error) {
      // Removed in between by a concurrent delete (two "delete all" requests at once answered 500).
      if (isNotFound(error)) return false;
      throw error;
    }
    return true;
  }

  async deleteFolder(folder: string): Promise<void> {
    const dir = await this.realFolder(folder);
    // realFolder has checked the real path lies inside the root; never remove the root itself.
    if (dir === null || dir === this.realRoot) return;
    await rm(dir, { recursive: true, force: true });
  }
}
