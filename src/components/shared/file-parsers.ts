/**
 * Text out of a user's file, by extension, as Langflow's File component reads it (its
 * `parse_text_file_to_data`, pypdf for PDF, python-docx for DOCX). PDF goes through `unpdf` (pdf.js),
 * DOCX through `mammoth`; both are loaded on first use. Every failure is a `FileParseError` naming the file.
 */

export const TEXT_EXTENSIONS = ['txt', 'md', 'mdx', 'csv', 'tsv', 'json', 'jsonl', 'yaml', 'yml', 'xml', 'html', 'htm', 'py', 'sh', 'sql', 'js', 'ts', 'tsx'];
export const SUPPORTED_EXTENSIONS = [...TEXT_EXTENSIONS, 'pdf', 'docx'];

/** Largest file the File component parses (parsing holds the file and its text in memory). */
export const MAX_PARSE_BYTES = 100 * 1024 * 1024;

export class FileParseError extends Error {
  constructor(
    readonly fileName: string,
    message: string,
  ) {
    super(message);
    this.name = 'FileParseError';
  }
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

export function unsupportedMessage(name: string): string {
  const ext = extensionOf(name);
  return `Unsupported file type${ext ? ` .${ext}` : ''} for ${name}: supported types are ${SUPPORTED_EXTENSIONS.join(', ')}`;
}

function decodeText(name: string, bytes: Uint8Array): string {
  if (bytes.includes(0)) throw new FileParseError(name, `${name} is not a text file (it contains NUL bytes)`);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    // Langflow falls back to other encodings; Latin-1 reads any byte sequence.
    return new TextDecoder('latin1').decode(bytes);
  }
}

function detail(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 300);
}

async function pdfText(name: string, bytes: Uint8Array): Promise<string> {
  const { getDocumentProxy, extractText } = await import('unpdf');
  let pdf;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (error) {
    throw new FileParseError(name, `Could not read the PDF ${name}: ${detail(error)}`);
  }
  try {
    const { text } = await extractText(pdf, { mergePages: false });
    return text.join('\n\n');
  } catch (error) {
    throw new FileParseError(name, `Could not read the PDF ${name}: ${detail(error)}`);
  } finally {
    await (pdf as unknown as { destroy?: () => Promise<void> }).destroy?.().catch(() => undefined);
  }
}

async function docxText(name: string, bytes: Uint8Array): Promise<string> {
  const mammoth = (await import('mammoth')).default;
  try {
    const result = await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
    return result.value.replace(/\n{3,}/g, '\n\n').trim();
  } catch (error) {
    throw new FileParseError(name, `Could not read the Word document ${name}: ${detail(error)}`);
  }
}

function checkJson(name: string, text: string, lines: boolean): string {
  try {
    if (!lines) return JSON.stringify(JSON.parse(text), null, 4);
    text.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      try {
        JSON.parse(line);
      } catch (error) {
        throw new Error(`line ${i + 1}: ${detail(error)}`);
      }
    });
    return text;
  } catch (error) {
    throw new FileParseError(name, `Invalid JSON in ${name}: ${detail(error)}`);
  }
}

/** The text of `bytes` read as the file `name`; empty files and unsupported types are errors. */
export async function parseFile(name: string, bytes: Uint8Array): Promise<string> {
  const ext = extensionOf(name);
  if (!SUPPORTED_EXTENSIONS.includes(ext)) throw new FileParseError(name, unsupportedMessage(name));
  if (bytes.byteLength === 0) throw new FileParseError(name, `${name} is empty`);
  if (bytes.byteLength > MAX_PARSE_BYTES) throw new FileParseError(name, tooLargeMessage(name, bytes.byteLength));
  let text: string;
  if (ext === 'pdf') text = await pdfText(name, bytes);
  else if (ext === 'docx') text = await docxText(name, bytes);
  else {
    text = decodeText(name, bytes);
    if (ext === 'json') text = checkJson(name, text, false);
    else if (ext === 'jsonl') text = checkJson(name, text, true);
  }
  if (!text.trim()) throw new FileParseError(name, `${name} has no text${ext === 'pdf' ? ' (a scanned PDF needs OCR, which Weft does not do)' : ''}`);
  return text;
}

export function tooLargeMessage(name: string, size: number): string {
  return `${name} is too large to parse: ${(size / 1024 / 1024).toFixed(1)} MB, the limit is ${MAX_PARSE_BYTES / 1024 / 1024} MB`;
}

/** Parses CSV/TSV into rows keyed by the header (RFC 4180 quoting). */
export function parseDelimited(text: string, delimiter: string): Record<string, string>[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delimiter) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [header, ...rows] = records.filter((r) => r.length > 1 || r[0] !== '');
  if (!header) return [];
  return rows.map((row) => Object.fromEntries(header.map((key, i) => [key, row[i] ?? ''])));
}
