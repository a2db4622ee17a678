import { defineComponent, type ComponentContext } from '../../engine/component.js';
import { Data } from '../../engine/schema/data.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { Message } from '../../engine/schema/message.js';
import { extensionOf, FileParseError, MAX_PARSE_BYTES, parseDelimited, parseFile, SUPPORTED_EXTENSIONS, tooLargeMessage, unsupportedMessage } from '../shared/file-parsers.js';
import { mapBounded } from '../shared/map-bounded.js';

/** One of the run's user's stored files. */
export interface StoredFile {
  /** The file's name with its extension (what decides how it is parsed). */
  name: string;
  size: number;
  read(): Promise<Uint8Array>;
}

/**
 * The run's user's files, by the reference a flow saves: a v2 user file's path (`<user id>/<name>`) or
 * id, or a v1 flow file (`<flow id>/<name>`) of one of the user's flows. Anything else, and anyone
 * else's file, is "not found".
 */
export interface UserFileSource {
  get(reference: string): Promise<StoredFile>;
  /**
   * Saves `bytes` as one of the user's v2 files named `name` (a plain name with its extension): a new
   * file (`name (1).ext` when taken), or appended to (`append`) or replacing (`replace`) the file of that
   * name. Returns its path.
   */
  save?(name: string, bytes: Uint8Array, options?: { append?: boolean; replace?: boolean }): Promise<{ path: string; appended: boolean }>;
}

declare module '../../engine/component.js' {
  interface EngineServices {
    userFiles?: UserFileSource;
  }
}

/** Most files read at once when `use_multithreading` is on. */
const MAX_CONCURRENCY = 8;

function references(ctx: ComponentContext): string[] {
  const p = ctx.params;
  const refs: string[] = [];
  const add = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(add);
    else if (value instanceof Message) add(value.text);
    else if (value instanceof Data) {
      const path = value.data.file_path;
      if (typeof path === 'string' && path) refs.push(path);
      else if (!p.ignore_unspecified_files) throw new Error("Data object is missing 'file_path' property.");
    } else if (typeof value === 'string' && value.trim()) refs.push(value.trim());
  };
  // The Server File Path input supersedes Files, as in Langflow.
  if (ctx.isConnected('file_path') && p.file_path) add(p.file_path);
  else add(p.path);
  if (refs.length === 0 && typeof p.file_path_str === 'string') add(p.file_path_str);
  return refs;
}

interface Loaded {
  reference: string;
  name: string;
  text: string;
}

/** Reads and parses every referenced file once per build (bounded parallelism), in the order given. */
function loadAll(ctx: ComponentContext): Promise<Loaded[]> {
  return ctx.memo('file-load', async () => {
    const p = ctx.params;
    const source = ctx.services.userFiles;
    if (!source) throw new Error('No file storage is available to this run');
    const refs = references(ctx);
    if (refs.length === 0) throw new Error('No files selected: choose a file in Files, or connect a Server File Path');
    const silent = Boolean(p.silent_errors);
    const concurrency = p.use_multithreading === false ? 1 : Math.max(1, Math.min(MAX_CONCURRENCY, Number(p.concurrency_multithreading) || 1));
    const skipped: string[] = [];
    const loaded = await mapBounded(refs, concurrency, async (reference): Promise<Loaded | null> => {
      try {
        const file = await source.get(reference);
        if (!SUPPORTED_EXTENSIONS.includes(extensionOf(file.name))) {
          if (p.ignore_unsupported_extensions !== false) {
            skipped.push(file.name);
            ctx.log(`Skipping ${file.name}: ${unsupportedMessage(file.name)}`);
            return null;
          }
          throw new FileParseError(file.name, unsupportedMessage(file.name));
        }
        if (file.size > MAX_PARSE_BYTES) throw new FileParseError(file.name, tooLargeMessage(file.name, file.size));
        return { reference, name: file.name, text: await parseFile(file.name, await file.read()) };
      } catch (error) {
        if (!silent) throw error;
        ctx.log(`Error loading ${reference}: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      }
    });
    const files = loaded.filter((f): f is Loaded => f !== null);
    if (files.length === 0 && skipped.length > 0 && !silent) throw new Error(unsupportedMessage(skipped[0]));
    return files;
  });
}

export const fileComponent = defineComponent({
  type: 'File',
  displayName: 'Read File',
  description: 'Loads content from one or more files.',
  category: 'files_and_knowledge',
  icon: 'file-text',
  inputs: [
    { name: 'path', displayName: 'Files', kind: 'file', default: [], list: true, toolMode: true, info: `Supported file extensions: ${SUPPORTED_EXTENSIONS.join(', ')}` },
    { name: 'file_path', displayName: 'Server File Path', kind: 'handle', inputTypes: ['Data', 'Message'], list: true, advanced: true },
    { name: 'file_path_str', displayName: 'File Path', kind: 'text', default: '', advanced: true },
    { name: 'separator', displayName: 'Separator', kind: 'text', default: '\n\n', advanced: true, info: 'Specify the separator to use between multiple outputs in Message format.' },
    { name: 'silent_errors', displayName: 'Silent Errors', kind: 'bool', default: false, advanced: true, info: 'If true, errors will not raise an exception.' },
    { name: 'delete_server_file_after_processing', displayName: 'Delete Server File After Processing', kind: 'bool', default: true, advanced: true, info: "Weft never deletes a user's stored files while reading them." },
    { name: 'ignore_unsupported_extensions', displayName: 'Ignore Unsupported Extensions', kind: 'bool', default: true, advanced: true },
    { name: 'ignore_unspecified_files', displayName: 'Ignore Unspecified Files', kind: 'bool', default: false, advanced: true },
    { name: 'use_multithreading', displayName: '[Deprecated] Use Multithreading', kind: 'bool', default: true, advanced: true },
    { name: 'concurrency_multithreading', displayName: 'Processing Concurrency', kind: 'int', default: 1, advanced: true, info: `Files read at once (at most ${MAX_CONCURRENCY}).` },
    { name: 'advanced_mode', displayName: 'Advanced Parser', kind: 'bool', default: false, info: 'Docling is not available in Weft: files are read with the standard parsers.' },
    { name: 'markdown', displayName: 'Markdown Export', kind: 'bool', default: false, advanced: true },
  ],
  outputs: [
    { name: 'message', displayName: 'Raw Content', types: ['Message'], method: 'load_files_message' },
    { name: 'dataframe', displayName: 'Files', types: ['DataFrame'], method: 'load_files' },
    { name: 'path', displayName: 'File Path', types: ['Message'], method: 'load_files_path' },
  ],
  compute: {
    message: async (ctx) => {
      const files = await loadAll(ctx);
      const separator = String(ctx.params.separator || '\n\n');
      return new Message({ text: files.map((f) => f.text).join(separator) });
    },
    dataframe: async (ctx) => {
      const files = await loadAll(ctx);
      // One CSV/TSV file gives its rows (Langflow's structured content); otherwise one row per file.
      if (files.length === 1 && ['csv', 'tsv'].includes(extensionOf(files[0].name))) {
        return new DataFrame(parseDelimited(files[0].text, extensionOf(files[0].name) === 'tsv' ? '\t' : ','));
      }
      return new DataFrame(files.map((f) => ({ file_path: f.reference, text: f.text })));
    },
    path: async (ctx) => new Message({ text: (await loadAll(ctx)).map((f) => f.reference).join('\n') }),
  },
});
