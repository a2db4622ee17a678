import { basename } from 'node:path';
import type { StoredFile, UserFileSource } from '../../components/files_and_knowledge/file.js';
import type { Database } from '../database/index.js';
import type { Settings } from '../settings.js';
import { StoredFileNotFoundError } from './errors.js';
import { createFlowFileStorage, createUserFileStorage } from './index.js';
import { assertSafeName, isSafeName, splitExtension } from './names.js';
import type { FileStorage } from './storage.js';
import { NotFoundError } from '../../engine/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Another user's file and a missing one answer alike: nothing tells a caller which ids exist. */
class NotYoursOrMissing extends NotFoundError {
  constructor(reference: string) {
    super(`File not found: ${reference.slice(0, 200)}`);
  }
}

/**
 * The files a run's components may read: only its user's. A reference is a v2 user file (`<user
 * id>/<name>` as its record's path, its id, or its name) or a v1 flow file (`<flow id>/<name>`) of a
 * flow the user owns. Paths are never joined onto the disk: they are split into a folder and a name,
 * each checked as one plain name, and read through the file storage (which refuses symlinks).
 */
export function createRunFileSource(options: { database: Database; settings: Settings; userId: string | null }): UserFileSource {
  const { database, settings, userId } = options;
  let userStorage: FileStorage | undefined;
  let flowStorage: FileStorage | undefined;
  const users = () => (userStorage ??= createUserFileStorage(settings));
  const flows = () => (flowStorage ??= createFlowFileStorage(settings));

  const open = async (storage: FileStorage, folder: string, name: string, displayName: string, reference: string): Promise<StoredFile> => {
    try {
      const size = await storage.size(folder, name);
      return { name: displayName, size, read: async () => storage.read(folder, name) };
    } catch (error) {
      if (error instanceof StoredFileNotFoundError) throw new NotYoursOrMissing(reference);
      throw error;
    }
  };

  return {
    async get(reference: string): Promise<StoredFile> {
      if (!userId) throw new Error('Reading files needs a user: run the flow as a signed-in user or with an API key');
      const ref = reference.replace(/\\/g, '/').replace(/^\/+/, '');
      const parts = ref.split('/');
      if (parts.length === 1) {
        const record = UUID.test(ref) ? await database.files.getForUser(ref, userId) : await database.files.getByName(userId, ref);
        if (!record) throw new NotYoursOrMissing(reference);
        return this.get(record.path);
      }
      if (parts.length !== 2 || !isSafeName(parts[0]) || !isSafeName(parts[1])) throw new NotYoursOrMissing(reference);
      const [folder, name] = parts;
      if (folder === userId) return open(users(), folder, name, basename(name), reference);
      if (UUID.test(folder) && (await database.flows.getForUser(folder, userId).catch(() => undefined))) return open(flows(), folder, name, name, reference);
      throw new NotYoursOrMissing(reference);
    },

    async save(name: string, bytes: Uint8Array, options: { append?: boolean; replace?: boolean } = {}): Promise<{ path: string; appended: boolean }> {
      if (!userId) throw new Error('Saving files needs a user: run the flow as a signed-in user or with an API key');
      assertSafeName(name);
      const [root, extension] = splitExtension(name);
      const storage = users();
      const existing = await database.files.getByName(userId, root);
      if ((options.append || options.replace) && existing) {
        const disk = existing.path.split('/')[1] ?? '';
        const size = await storage.save(userId, assertSafeName(disk), bytes, { append: !options.replace });
        await database.files.update(existing.id, userId, { size });
        return { path: existing.path, appended: true };
      }
      const free = await database.files.availableName(userId, root);
      const disk = assertSafeName(extension ? `${free}.${extension}` : free);
      const size = await storage.save(userId, disk, bytes);
      try {
        await database.files.create(userId, { name: free, path: `${userId}/${disk}`, size });
      } catch (error) {
        await storage.delete(userId, disk).catch(() => undefined);
        throw error;
      }
      return { path: `${userId}/${disk}`, appended: false };
    },
  };
}
