import { defineComponent } from '../../engine/component.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { extensionOf, FileParseError, MAX_PARSE_BYTES, parseFile, SUPPORTED_EXTENSIONS, tooLargeMessage } from '../shared/file-parsers.js';
import { mapBounded } from '../shared/map-bounded.js';

/** A file found under a server folder the administrator opened to flows. */
export interface ServerFolderFile {
  /** The file's absolute path. */
  path: string;
  size: number;
  read(): Promise<Uint8Array>;
}

export interface ServerFolderOptions {
  recursive: boolean;
  /** Levels below `path` when recursive (0: no limit). */
  depth: number;
  loadHidden: boolean;
}

/**
 * The server's folders a run may read: only a superuser's runs, and only below the roots of
 * `WEFT_DIRECTORY_ROOTS` (symbolic links resolved first). Everything else is refused with the reason.
 */
export interface ServerFolders {
  list(path: string, options: ServerFolderOptions): Promise<ServerFolderFile[]>;
}

declare module '../../engine/component.js' {
  interface EngineServices {
    serverFolders?: ServerFolders;
  }
}

/** Langflow's Directory: every file of a folder (of the given types) as a DataFrame row `{file_path, text}`. */
export const directoryComponent = defineComponent({
  type: 'Directory',
  displayName: 'Directory',
  description: 'Recursively load files from a directory.',
  category: 'files_and_knowledge',
  icon: 'folder',
  inputs: [
    { name: 'path', displayName: 'Path', kind: 'text', default: '.', info: 'A folder below one of the roots the administrator allows (WEFT_DIRECTORY_ROOTS).' },
    { name: 'types', displayName: 'File Types', kind: 'other', default: [], list: true, info: `File types to load (default: all of ${SUPPORTED_EXTENSIONS.join(', ')}).` },
    { name: 'depth', displayName: 'Depth', kind: 'int', default: 0, info: 'Levels to descend when recursive (0: all).' },
    { name: 'max_concurrency', displayName: 'Max Concurrency', kind: 'int', default: 2, advanced: true },
    { name: 'load_hidden', displayName: 'Load Hidden', kind: 'bool', default: false, advanced: true },
    { name: 'recursive', displayName: 'Recursive', kind: 'bool', default: false, advanced: true },
    { name: 'silent_errors', displayName: 'Silent Errors', kind: 'bool', default: false, advanced: true },
    { name: 'use_multithreading', displayName: 'Use Multithreading', kind: 'bool', default: false, advanced: true },
  ],
  outputs: [{ name: 'dataframe', displayName: 'Files', types: ['DataFrame'], method: 'as_dataframe' }],
  compute: {
    dataframe: async (ctx) => {
      const p = ctx.params;
      const folders = ctx.services.serverFolders;
      if (!folders) throw new Error('Reading server folders is not available to this run');
      const wanted = (Array.isArray(p.types) ? p.types : []).map((t) => String(t).replace(/^\./, '').toLowerCase()).filter(Boolean);
      const unknown = wanted.filter((t) => !SUPPORTED_EXTENSIONS.includes(t));
      if (unknown.length > 0) throw new Error(`Invalid file types specified: ${unknown.join(', ')}. Valid types are: ${SUPPORTED_EXTENSIONS.join(', ')}`);
      const types = wanted.length > 0 ? wanted : SUPPORTED_EXTENSIONS;
      const files = (await folders.list(String(p.path || '.'), { recursive: p.recursive === true, depth: Math.max(0, Number(p.depth) || 0), loadHidden: p.load_hidden === true }))
        .filter((f) => types.includes(extensionOf(f.path)));
      const concurrency = p.use_multithreading === true ? Math.max(1, Math.min(8, Number(p.max_concurrency) || 1)) : 1;
      const rows = await mapBounded(files, concurrency, async (file) => {
        try {
          if (file.size > MAX_PARSE_BYTES) throw new FileParseError(file.path, tooLargeMessage(file.path, file.size));
          return { file_path: file.path, text: await parseFile(file.path, await file.read()) };
        } catch (error) {
          if (p.silent_errors !== true) throw error;
          ctx.log(`Error loading ${file.path}: ${error instanceof Error ? error.message : String(error)}`);
          return null;
        }
      });
      return new DataFrame(rows.filter((r): r is { file_path: string; text: string } => r !== null));
    },
  },
});
