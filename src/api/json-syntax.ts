/**
 * Where and why a JSON text is malformed, in the words and positions of CPython's `json` module
 * (its C scanner), because FastAPI reports malformed bodies as `{"loc": ["body", pos], "ctx":
 * {"error": msg}}` with Python's `JSONDecodeError.pos` and `.msg`. Only called on text that
 * `JSON.parse` refused, and after `nestingTooDeepAt`, so the recursion here is bounded.
 */

export interface JsonSyntaxError {
  position: number;
  message: string;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const SIMPLE_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX = /^[0-9a-fA-F]{4}$/;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;

class Malformed extends Error {
  constructor(
    readonly position: number,
    message: string,
  ) {
    super(message);
  }
}

class Scanner {
  constructor(private readonly text: string) {}

  skipWhitespace(index: number): number {
    let i = index;
    while (i < this.text.length && WHITESPACE.has(this.text[i])) i += 1;
    return i;
  }

  /** One value starting at `index`; returns the index after it. */
  value(index: number): number {
    const { text } = this;
    const c = text[index];
    if (c === '"') return this.string(index + 1);
    if (c === '{') return this.object(index + 1);
    if (c === '[') return this.array(index + 1);
    for (const literal of ['null', 'true', 'false']) if (text.startsWith(literal, index)) return index + literal.length;
    // Python also takes NaN and Infinity; JavaScript does not, so they are reported where they stand.
    NUMBER.lastIndex = index;
    const number = index < text.length ? NUMBER.exec(text) : null;
    if (number === null) throw new Malformed(index, 'Expecting value');
    return index + number[0].length;
  }

  private string(start: number): number {
    const { text } = this;
    const begin = start - 1;
    let i = start;
    for (;;) {
      while (i < text.length && text[i] !== '"' && text[i] !== '\\') {
        if (text.charCodeAt(i) <= 0x1f) throw new Malformed(i, 'Invalid control character at');
        i += 1;
      }
      if (i >= text.length) throw new Malformed(begin, 'Unterminated string starting at');
      if (text[i] === '"') return i + 1;
      // A backslash escape.
      if (i + 1 === text.length) throw new Malformed(begin, 'Unterminated string starting at');
      const escape = text[i + 1];
      if (escape === 'u') {
        if (i + 6 >= text.length) throw new Malformed(i + 1, 'Invalid \\uXXXX escape');
        if (!HEX.test(text.slice(i + 2, i + 6))) throw new Malformed(i + 1, 'Invalid \\uXXXX escape');
        i += 6;
      } else if (SIMPLE_ESCAPES.has(escape)) {
        i += 2;
      } else {
        throw new Malformed(i, 'Invalid \\escape');
      }
    }
  }

  private object(start: number): number {
    const { text } = this;
    let i = this.skipWhitespace(start);
    if (text[i] === '}') return i + 1;
    for (;;) {
      if (text[i] !== '"') throw new Malformed(i, 'Expecting property name enclosed in double quotes');
      i = this.skipWhitespace(this.string(i + 1));
      if (text[i] !== ':') throw new Malformed(i, "Expecting ':' delimiter");
      i = this.skipWhitespace(this.value(this.skipWhitespace(i + 1)));
      if (text[i] === '}') return i + 1;
      if (text[i] !== ',') throw new Malformed(i, "Expecting ',' delimiter");
      i = this.skipWhitespace(i + 1);
    }
  }

  private array(start: number): number {
    const { text } = this;
    let i = this.skipWhitespace(start);
    if (text[i] === ']') return i + 1;
    for (;;) {
      i = this.skipWhitespace(this.value(i));
      if (text[i] === ']') return i + 1;
      if (text[i] !== ',') throw new Malformed(i, "Expecting ',' delimiter");
      i = this.skipWhitespace(i + 1);
    }
  }
}

/** Python's verdict on `text` (`json.loads`), or null when Python would accept it. */
export function pythonJsonError(text: string): JsonSyntaxError | null {
  const scanner = new Scanner(text);
  try {
    const end = scanner.skipWhitespace(scanner.value(scanner.skipWhitespace(0)));
    if (end !== text.length) return { position: end, message: 'Extra data' };
    return null;
  } catch (error) {
    if (error instanceof Malformed) return { position: error.position, message: error.message };
    throw error;
  }
}

/**
 * The index of the first `[`/`{` nested deeper than `maxDepth` (outside strings), or -1. Linear,
 * without recursion, so it is safe on any input; deeper documents are refused before anything
 * (parsers, validators, the engine) walks them recursively.
 */
export function nestingTooDeepAt(text: string, maxDepth: number): number {
  if (text.length <= maxDepth) return -1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > maxDepth) return i;
    } else if (c === 0x5d || c === 0x7d) {
      depth -= 1;
    }
  }
  return -1;
}
