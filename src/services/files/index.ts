import { join } from 'node:path';
import type { Settings } from '../settings.js';
import { LocalFileStorage, type FileStorage } from './storage.js';

export { contentTypeOf, isRenderableImage } from './content-types.js';
export { InvalidFlowPathError, safeFlowPath } from './flow-path.js';
export { FileStorageError, FileTooLargeError, InvalidFileNameError, StoredFileNotFoundError } from './errors.js';
export { assertSafeName, isSafeName, splitExtension, suffixOf, uploadTimestamp } from './names.js';
export { readZipEntries, ZipRefusedError, type ZipEntry, type ZipLimits } from './zip-entries.js';
export { LocalFileStorage, type FileData, type FileStorage, type LocalFileStorageOptions, type SaveOptions } from './storage.js';

/**
 * Flow files (v1, `<flow_id>/<name>`) and user files (v2, `<user_id>/<name>`) live under separate
 * roots of `config_dir`. Langflow keeps both directly in `config_dir`, so a flow created with a
 * client-chosen id equal to a user's id shared that user's folder; separate roots make that impossible.
 */
export const FLOW_FILES_DIR = 'flow_files';
export const USER_FILES_DIR = 'user_files';

type StorageSettings = Pick<Settings, 'configDir' | 'maxFileSizeUpload'>;

function storageUnder(settings: StorageSettings, dir: string): FileStorage {
  return new LocalFileStorage(join(settings.configDir, dir), { maxFileSizeBytes: settings.maxFileSizeUpload * 1024 * 1024 });
}

/** v1 flow files: local disk under `config_dir/flow_files`, files capped at `max_file_size_upload` MB. */
export function createFlowFileStorage(settings: StorageSettings): FileStorage {
  return storageUnder(settings, FLOW_FILES_DIR);
}

/** v2 user files: local disk under `config_dir/user_files`, files capped at `max_file_size_upload` MB. */
export function createUserFileStorage(settings: StorageSettings): FileStorage {
  return storageUnder(settings, USER_FILES_DIR);
}
