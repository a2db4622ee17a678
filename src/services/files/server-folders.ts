import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ServerFolderFile, ServerFolderOptions, ServerFolders } from '../../components/files_and_knowledge/directory.js';
import { ForbiddenError, NotFoundError } from '../../engine/errors.js';
import type { Database } from '../database/index.js';

/** Most files one Directory build lists: a root holding a whole disk never stalls a run. */
const MAX_FILES = 10_000;

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(`..${sep}`));
}

/**
 * Langflow's Directory reads any path of the server for any user. Weft opens server folders only to superusers' runs and
 * only below the roots an administrator lists in `WEFT_DIRECTORY_ROOTS` (docs/security.md); a relative path is taken
 * from the first root. Paths are compared after resolving symbolic links, so a link cannot lead out of a root.
 */
export function createServerFolders(options: { database: Database; userId: string | null; roots: readonly string[] }): ServerFolders {
  const { database, userId, roots } = options;
  return {
    async list(path: string, listing: ServerFolderOptions): Promise<ServerFolderFile[]> {
      if (roots.length === 0) throw new ForbiddenError('The Directory component reads folders of the server: an administrator allows them with WEFT_DIRECTORY_ROOTS');
      const user = userId ? await database.users.getById(userId) : undefined;
      if (!user?.is_superuser) throw new ForbiddenError('Only a superuser may read folders of the server (the Directory component)');
      const realRoots = await Promise.all(roots.map((root) => realpath(resolve(root)).catch(() => resolve(root))));
      const wanted = isAbsolute(path) ? path : join(realRoots[0], path);
      const folder = await realpath(wanted).catch(() => {
        throw new NotFoundError(`Directory not found: ${path}`);
      });
      if (!realRoots.some((root) => inside(root, folder))) throw new ForbiddenError(`${path} is outside the folders WEFT_DIRECTORY_ROOTS allows`);
      if (!(await stat(folder)).isDirectory()) throw new NotFoundError(`Not a directory: ${path}`);
      const files: ServerFolderFile[] = [];
      const walk = async (dir: string, level: number): Promise<void> => {
        for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
          if (files.length >= MAX_FILES) return;
          if (!listing.loadHidden && entry.name.startsWith('.')) continue;
          const full = join(dir, entry.name);
          // Links are followed only when they stay inside a root.
          const real = entry.isSymbolicLink() ? await realpath(full).catch(() => null) : full;
          if (!real || !realRoots.some((root) => inside(root, real))) continue;
          const info = await lstat(real);
          if (info.isDirectory()) {
            if (listing.recursive && (listing.depth === 0 || level < listing.depth)) await walk(real, level + 1);
          } else if (info.isFile()) {
            files.push({ path: real, size: info.size, read: () => readFile(real) });
          }
        }
      };
      await walk(folder, 1);
      return files;
    },
  };
}
