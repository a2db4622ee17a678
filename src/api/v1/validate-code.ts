import { scanPython } from './python-syntax.js';

/**
 * `/api/v1/validate/code` without running Python. Langflow parses the code with `ast.parse` (a
 * SyntaxError is the one function error, and nothing else is checked), then imports the module of
 * every top-level `import` statement (an unresolvable one gives "No module named 'x'"; `from`
 * imports are not imported) and defines each top-level function. Weft never imports or executes
 * user code: it scans the source once (`python-syntax.ts`, linear in the input: the regular
 * expressions of an earlier version backtracked, a 314-byte body held the event loop for 14 s) and
 * resolves modules against the top-level packages a Langflow installation ships (the standard
 * library, Langflow's own packages and its dependencies).
 */


/** Top-level modules importable in Langflow's environment (Python's standard library and Langflow's dependencies). */
const KNOWN_MODULES = new Set([
  // Python standard library (the commonly imported part).
  '__future__', 'abc', 'argparse', 'array', 'ast', 'asyncio', 'base64', 'binascii', 'bisect', 'builtins', 'calendar', 'cmath',
  'codecs', 'collections', 'colorsys', 'concurrent', 'contextlib', 'contextvars', 'copy', 'csv', 'ctypes', 'dataclasses',
  'datetime', 'decimal', 'difflib', 'email', 'enum', 'errno', 'fnmatch', 'fractions', 'functools', 'gc', 'getpass', 'glob',
  'gzip', 'hashlib', 'heapq', 'hmac', 'html', 'http', 'importlib', 'inspect', 'io', 'ipaddress', 'itertools', 'json', 'keyword',
  'locale', 'logging', 'lzma', 'math', 'mimetypes', 'multiprocessing', 'numbers', 'operator', 'os', 'pathlib', 'pickle', 'platform',
  'pprint', 'queue', 'random', 're', 'secrets', 'select', 'shlex', 'shutil', 'signal', 'socket', 'sqlite3', 'ssl', 'stat',
  'statistics', 'string', 'struct', 'subprocess', 'sys', 'tarfile', 'tempfile', 'textwrap', 'threading', 'time', 'timeit',
  'traceback', 'types', 'typing', 'unicodedata', 'unittest', 'urllib', 'uuid', 'warnings', 'weakref', 'xml', 'zipfile', 'zlib', 'zoneinfo',
  // Langflow and the packages its environment installs.
  'langflow', 'lfx', 'langchain', 'langchain_core', 'langchain_community', 'langchain_openai', 'langchain_anthropic',
  'langchain_google_genai', 'langchain_groq', 'langchain_mistralai', 'langchain_ollama', 'langchain_text_splitters',
  'pydantic', 'pydantic_core', 'typing_extensions', 'requests', 'httpx', 'aiohttp', 'openai', 'anthropic', 'numpy', 'pandas',
  'yaml', 'bs4', 'lxml', 'jinja2', 'tiktoken', 'sqlalchemy', 'sqlmodel', 'fastapi', 'starlette', 'loguru', 'orjson', 'dotenv',
  'tenacity', 'nest_asyncio', 'emoji', 'markdown', 'chardet', 'certifi', 'dateutil', 'pytz', 'PIL',
]);

export interface CodeValidation {
  imports: { errors: string[] };
  function: { errors: string[] };
}

const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNamePart = (c: number) => isNameStart(c) || (c >= 48 && c <= 57);
const isBlank = (c: number) => c === 32 || c === 9;

/** Reads `[A-Za-z_]\w*` at `at` (character codes: these run once per character of the statement). */
function identifierEnd(text: string, at: number): number {
  if (at >= text.length || !isNameStart(text.charCodeAt(at))) return at;
  let end = at + 1;
  while (end < text.length && isNamePart(text.charCodeAt(end))) end++;
  return end;
}

function skipSpaces(text: string, at: number): number {
  while (at < text.length && isBlank(text.charCodeAt(at))) at++;
  return at;
}

/** A dotted module name (`a.b.c`) at `at`: where it ends, or -1. */
function dottedNameEnd(text: string, at: number): number {
  let end = identifierEnd(text, at);
  if (end === at) return -1;
  while (text[end] === '.') {
    const next = identifierEnd(text, end + 1);
    if (next === end + 1) return -1;
    end = next;
  }
  return end;
}

/** `a.b [as c], d` from `at` to `end` → the names before `as`, or null when the list is malformed. */
function importedNames(text: string, at = 0, end = text.length): string[] | null {
  const names: string[] = [];
  for (;;) {
    at = skipSpaces(text, at);
    const nameEnd = dottedNameEnd(text, at);
    if (nameEnd < 0 || nameEnd > end) return null;
    names.push(text.slice(at, nameEnd));
    at = skipSpaces(text, nameEnd);
    if (text.startsWith('as', at) && isBlank(text.charCodeAt(at + 2))) {
      const alias = skipSpaces(text, at + 2);
      const aliasEnd = identifierEnd(text, alias);
      if (aliasEnd === alias || aliasEnd > end) return null;
      at = skipSpaces(text, aliasEnd);
    }
    if (at >= end) return names;
    if (text[at] !== ',') return null;
    at++;
  }
}

/** `from <module> import <names>`: well formed? (Langflow checks nothing else of a `from` import.) */
function wellFormedFrom(statement: string): boolean {
  let at = skipSpaces(statement, 'from'.length);
  let dots = 0;
  while (statement[at] === '.') {
    at++;
    dots++;
  }
  const nameEnd = dottedNameEnd(statement, at);
  if (nameEnd < 0 && dots === 0) return false;
  at = nameEnd < 0 ? at : nameEnd;
  const afterName = skipSpaces(statement, at);
  if (afterName === at || !statement.startsWith('import', afterName)) return false;
  const names = statement.slice(afterName + 'import'.length).trim();
  if (names === '*') return true;
  // `(a, b,)`: the parenthesised form may end with a comma.
  const inner = names.startsWith('(') && names.endsWith(')') ? names.slice(1, -1).trim().replace(/,$/, '') : names;
  return importedNames(inner) !== null;
}

function wellFormedImport(statement: string): boolean {
  if (statement.startsWith('from')) return wellFormedFrom(statement);
  return importedNames(statement, 'import'.length) !== null;
}

function unknownModule(module: string): string | null {
  const top = module.split('.')[0];
  return KNOWN_MODULES.has(top) ? null : `No module named '${top === module ? module : top}'`;
}

/** Validates Python source as Langflow's `validate_code` reports it, without importing or running anything. */
export function validatePythonCode(code: string): CodeValidation {
  const scan = scanPython(code, wellFormedImport);
  if (scan.error) return { imports: { errors: [] }, function: { errors: [scan.error] } };
  const imports: string[] = [];
  for (const line of scan.lines) {
    if (line.indent !== 0) continue;
    for (const statement of line.imports) {
      if (!/^import\s/.test(statement)) continue;
      for (const module of importedNames(statement, 'import'.length) ?? []) {
        const error = unknownModule(module);
        if (error) imports.push(error);
      }
    }
  }
  return { imports: { errors: imports }, function: { errors: [] } };
}
