/**
 * LangChain's CharacterTextSplitter (split on a literal separator, then merge pieces up to
 * `chunkSize` characters with `chunkOverlap` characters of context), as Langflow's Split Text uses it.
 */
export type KeepSeparator = boolean | string;

export interface SplitterOptions {
  chunkSize: number;
  chunkOverlap: number;
  separator: string;
  keepSeparator: KeepSeparator;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function splitWithSeparator(text: string, separator: string, keep: KeepSeparator): string[] {
  let splits: string[];
  if (!separator) splits = [...text];
  else if (keep) {
    const parts = text.split(new RegExp(`(${escapeRegExp(separator)})`));
    if (keep === 'end') {
      // LangChain compares with lowercase "end" only; Langflow passes "End", which keeps at the start.
      splits = [];
      for (let i = 0; i + 1 < parts.length; i += 2) splits.push(parts[i] + parts[i + 1]);
      splits.push(parts[parts.length - 1]);
    } else {
      splits = [parts[0]];
      for (let i = 1; i + 1 < parts.length; i += 2) splits.push(parts[i] + parts[i + 1]);
    }
  } else splits = text.split(separator);
  return splits.filter((s) => s !== '');
}

function join(pieces: string[], separator: string): string | null {
  const text = pieces.join(separator).trim();
  return text === '' ? null : text;
}

function mergeSplits(splits: string[], separator: string, size: number, overlap: number): string[] {
  const sepLen = separator.length;
  const chunks: string[] = [];
  let current: string[] = [];
  let total = 0;
  for (const piece of splits) {
    const len = piece.length;
    if (total + len + (current.length > 0 ? sepLen : 0) > size) {
      if (current.length > 0) {
        const chunk = join(current, separator);
        if (chunk !== null) chunks.push(chunk);
        while (total > overlap || (total + len + (current.length > 0 ? sepLen : 0) > size && total > 0)) {
          total -= current[0].length + (current.length > 1 ? sepLen : 0);
          current = current.slice(1);
        }
      }
    }
    current.push(piece);
    total += len + (current.length > 1 ? sepLen : 0);
  }
  const last = join(current, separator);
  if (last !== null) chunks.push(last);
  return chunks;
}

export function splitText(text: string, options: SplitterOptions): string[] {
  const { chunkSize, chunkOverlap, separator, keepSeparator } = options;
  if (chunkOverlap > chunkSize) {
    throw new Error(`Got a larger chunk overlap (${chunkOverlap}) than chunk size (${chunkSize}), should be smaller.`);
  }
  const splits = splitWithSeparator(text, separator, keepSeparator);
  return mergeSplits(splits, keepSeparator ? '' : separator, chunkSize, chunkOverlap);
}
