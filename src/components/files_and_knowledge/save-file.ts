import { defineComponent } from '../../engine/component.js';
import { Data } from '../../engine/schema/data.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { Message } from '../../engine/schema/message.js';
import { pyStr } from '../shared/python-format.js';

const DATA_FORMATS = ['csv', 'json', 'markdown'];
const MESSAGE_FORMATS = ['txt', 'json', 'markdown'];
const EXTENSION: Record<string, string> = { csv: 'csv', json: 'json', markdown: 'md', txt: 'txt', md: 'md' };

function csvCell(value: unknown): string {
  const text = value === undefined || value === null ? '' : typeof value === 'string' ? value : pyStr(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(rows: Record<string, unknown>[], header: boolean): string {
  const columns = new DataFrame(rows).columns;
  const lines = rows.map((row) => columns.map((c) => csvCell(row[c])).join(','));
  return `${[...(header ? [columns.join(',')] : []), ...lines].join('\n')}\n`;
}

function markdownTable(rows: Record<string, unknown>[]): string {
  const columns = new DataFrame(rows).columns;
  const cell = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'string' ? v : pyStr(v)).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [`| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${columns.map((c) => cell(r[c])).join(' | ')} |`)].join('\n');
}

/** The safe last segment of `file_name`: Weft saves into the user's files, never to a server path. */
function baseName(raw: string): string {
  const name = raw.replace(/\\/g, '/').split('/').filter(Boolean).pop() ?? '';
  if (!name || name === '.' || name === '..') throw new Error('File name is required');
  return name;
}

/**
 * Langflow's Save File, local storage: the input is written as one of the user's files (what Langflow
 * also uploads it as), in the chosen format; it appears under `/api/v2/files` and My Files. Appending
 * concatenates to the file of that name. Excel, AWS S3 and Google Drive are not available.
 */
export const saveToFile = defineComponent({
  type: 'SaveToFile',
  displayName: 'Write File',
  description: 'Save data to your files in the selected format.',
  category: 'files_and_knowledge',
  icon: 'file-text',
  inputs: [
    { name: 'input', displayName: 'File Content', kind: 'handle', inputTypes: ['Data', 'DataFrame', 'Message'], required: true },
    { name: 'file_name', displayName: 'File Name', kind: 'text', default: '', required: true },
    { name: 'append_mode', displayName: 'Append', kind: 'bool', default: false },
    { name: 'storage_location', displayName: 'Storage Location', kind: 'other', default: [{ name: 'Local' }] },
    { name: 'local_format', displayName: 'File Type', kind: 'text', default: null, options: ['csv', 'excel', 'json', 'markdown', 'txt'] },
  ],
  outputs: [{ name: 'message', displayName: 'File Path', types: ['Message'], method: 'save_to_file' }],
  compute: {
    message: async (ctx) => {
      const p = ctx.params;
      const location = Array.isArray(p.storage_location) ? (p.storage_location[0] as { name?: string } | undefined)?.name : (p.storage_location as { name?: string } | undefined)?.name;
      if (location && location !== 'Local') throw new Error(`Saving to ${location} is not available in Weft: choose Local (your files)`);
      const files = ctx.services.userFiles;
      if (!files?.save) throw new Error('No file storage is available to this run');
      const input = Array.isArray(p.input) && p.input.length === 1 ? p.input[0] : p.input;
      const kind = input instanceof DataFrame ? 'DataFrame' : input instanceof Message ? 'Message' : input instanceof Data ? 'Data' : null;
      if (!kind) throw new Error('Unsupported input type: connect a Message, Data or DataFrame');
      const format = String(p.local_format || (kind === 'DataFrame' ? 'csv' : 'json'));
      const allowed = kind === 'Message' ? MESSAGE_FORMATS : DATA_FORMATS;
      if (format === 'excel') throw new Error('Excel files are not available in Weft: choose csv, json or markdown');
      if (!allowed.includes(format)) throw new Error(`Invalid file format '${format}' for ${kind}. Allowed: ${pyStr(allowed)}`);
      let name = baseName(String(p.file_name ?? ''));
      const extension = EXTENSION[format];
      if (!name.toLowerCase().endsWith(`.${extension}`)) name = `${name}.${extension}`;
      // Appending needs a file of that name (Langflow's `path.exists()`); otherwise this is a new file.
      const previous = p.append_mode ? await files.get(name.slice(0, -(extension.length + 1))).catch(() => undefined) : undefined;
      const append = previous !== undefined;
      let content: string;
      if (kind === 'Message') {
        const text = (input as Message).text;
        content = format === 'txt' ? text : format === 'json' ? JSON.stringify({ message: text }, null, 2) : `**Message:**\n\n${text}`;
      } else {
        const rows = kind === 'DataFrame' ? (input as DataFrame).rows : [(input as Data).data];
        content = format === 'csv' ? csv(rows, !append) : format === 'json' ? JSON.stringify(kind === 'DataFrame' ? rows : rows[0], null, 2) : markdownTable(rows);
      }
      let replace = false;
      if (append && format === 'json') {
        // Langflow appends to a JSON file by making it one array of the old and new records.
        const existing = await previous!
          .read()
          .then((bytes) => JSON.parse(new TextDecoder().decode(bytes)) as unknown)
          .catch(() => undefined);
        if (existing !== undefined) {
          const fresh = JSON.parse(content) as unknown;
          const merged = [...(Array.isArray(existing) ? existing : [existing]), ...(Array.isArray(fresh) ? fresh : [fresh])];
          content = JSON.stringify(merged, null, 2);
          replace = true;
        }
      } else if (append && format !== 'csv') content = `${format === 'txt' ? '\n' : '\n\n'}${content}`;
      const saved = await files.save(name, new TextEncoder().encode(content), { append: append && !replace, replace });
      const action = saved.appended || replace ? 'appended to' : 'saved successfully as';
      return new Message({ text: `${kind} ${action} '${name}' at ${saved.path}` });
    },
  },
});
