import { InvalidFileNameError } from './errors.js';

/** Longest name most file systems accept, in UTF-8 bytes. */
const MAX_NAME_BYTES = 255;
/** How many rounds of percent-decoding are inspected (`%252e%252e%252f` is three layers deep). */
const DECODE_ROUNDS = 4;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const WINDOWS_DRIVE = /^[a-zA-Z]:/;

function problemWith(candidate: string): string | null {
  if (candidate.length === 0) return 'empty';
  if (candidate.includes('\0')) return 'contains NUL';
  if (CONTROL.test(candidate)) return 'contains a control character';
  if (candidate.includes('/')) return candidate.startsWith('/') ? 'is an absolute path' : 'contains a slash';
  if (candidate.includes('\\')) return 'contains a backslash';
  if (WINDOWS_DRIVE.test(candidate)) return 'is an absolute path';
  if (candidate === '.' || candidate === '..') return 'is a relative path segment';
  return null;
}

function decodeOnce(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // Not valid percent-encoding (e.g. "100%.txt"): the name is meant literally.
    return text;
  }
}

/**
 * Checks that `name` is one plain path segment: not empty, no `/` or `\`, no NUL or control
 * characters, not `.`/`..`, not absolute, and still none of these after percent-decoding (so
 * `..%2Fsecret_key` and `%2e%2e` are refused even when a layer of decoding happens elsewhere).
 * Returns the name unchanged; throws `InvalidFileNameError` otherwise.
 */
export function assertSafeName(name: string): string {
  if (typeof name !== 'string') throw new InvalidFileNameError(String(name), 'not a string');
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) throw new InvalidFileNameError(name, 'too long');
  let candidate = name;
  for (let round = 0; round < DECODE_ROUNDS; round += 1) {
    const problem = problemWith(candidate);
    if (problem) throw new InvalidFileNameError(name, round === 0 ? problem : `${problem} once percent-decoded`);
    const decoded = decodeOnce(candidate);
    if (decoded === candidate) return name;
    candidate = decoded;
  }
  throw new InvalidFileNameError(name, 'too many layers of percent-encoding');
}

export function isSafeName(name: string): boolean {
  try {
    assertSafeName(name);
    return true;
  } catch {
    return false;
  }
}

/** `report.final.pdf` → [`report.final`, `pdf`]; `README` → [`README`, ``] (Python's `rsplit('.', 1)`). */
export function splitExtension(fileName: string): [root: string, extension: string] {
  const dot = fileName.lastIndexOf('.');
  if (dot < 0) return [fileName, ''];
  return [fileName.slice(0, dot), fileName.slice(dot + 1)];
}

/** The extension with its dot (`.pdf`), or '' — Python's `Path(name).suffix`. */
export function suffixOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 && dot < fileName.length - 1 ? fileName.slice(dot) : '';
}

/** Langflow's v1 upload prefix: local time `YYYY-MM-DD_HH-MM-SS`. */
export function uploadTimestamp(date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}_${pad(date.getHours())}-${pad(date.getMinutes())}-${pad(date.getSeconds())}`;
}
