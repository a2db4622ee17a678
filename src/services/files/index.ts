import type { Settings } from '../settings.js';
import { LocalFileStorage, type FileStorage } from './storage.js';

export { contentTypeOf, isRenderableImage } from './content-types.js';
export { FileStorageError, FileTooLargeError, InvalidFileNameError, StoredFileNotFoundError } from './errors.js';
export { assertSafeName, isSafeName, splitExtension, suffixOf, uploadTimestamp } from './names.js';
export { LocalFileStorage, type FileData, type FileStorage, type LocalFileStorageOptions, type SaveOptions } from './storage.js';

/** The storage the settings select: local disk under `config_dir`, files capped at `max_file_size_upload` MB. */
export function createFileStorage(settings: Pick<Settings, 'configDir' | 'maxFileSizeUpload'>): FileStorage {
  return new LocalFileStorage(settings.configDir, { maxFileSizeBytes: settings.maxFileSizeUpload * 1024 * 1024 });
}
