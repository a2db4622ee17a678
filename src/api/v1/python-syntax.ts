/**
 * The syntax errors `ast.parse` reports, found without Python: Langflow's `/validate/code` answers a
 * SyntaxError as `str(error)`, e.g. "expected ':' (<unknown>, line 4)", and checks nothing else.
 * One linear pass over the source, as CPython's tokenizer makes it: strings, comments, brackets,
 * line continuations and the indentation stack, plus the statement-level checks whose messages
 * clients see most (a compound statement without its colon, a block without a body, a def without
 * its parenthesis). Malformed code these checks cannot name is CPython's generic "invalid syntax",
 * which a tokenizer error further on replaces, as in CPython. Messages are those of Python 3.11.
 */

/** One logical line, for the import checks. */
export interface LogicalLine {
  firstLine: number;
  /** Indentation column (tabs to multiples of 8); 0 at the top level. */
  indent: number;
  /** Its `import`/`from` statements (split at `;` outside brackets), comments dropped, whitespace runs as one space. */
  imports: string[];
}

export interface PythonScan {
  lines: LogicalLine[];
  /** `str(SyntaxError)` as `ast.parse` raises it, or null when the source parses. */
  error: string | null;
}

const STRING_PREFIXES = new Set(['r', 'u', 'b', 'f', 'br', 'rb', 'fr', 'rf']);
const COMPOUND = new Set(['def', 'class', 'if', 'elif', 'else', 'for', 'while', 'try', 'except', 'finally', 'with']);
const OPENERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const NAME = /[\p{L}_][\p{L}\p{N}_]*/uy;

// Character codes rather than one-character regular expressions: this loop runs once per character.
const isDigitCode = (c: number) => c >= 48 && c <= 57;
const isWordCode = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || isDigitCode(c);

/** What CPython names the statement whose block is missing ("after 'if' statement on line 3"). */
function blockOwner(keyword: string): string {
  if (keyword === 'def') return 'function definition';
  if (keyword === 'class') return 'class definition';
  return `'${keyword}' statement`;
}

/** `import a.b [as c], d` or `from x import y`: is the statement well formed? */
export type ImportCheck = (statement: string) => boolean;

export function scanPython(code: string, importIsWellFormed: ImportCheck): PythonScan {
  return new Scanner(code, importIsWellFormed).run();
}

class Scanner {
  private i = 0;
  private line = 1;
  private readonly lineCount: number;
  private readonly lines: LogicalLine[] = [];
  private error: { message: string; line: number } | null = null;
  /** Line of a generic "invalid syntax": only tokenizer errors are still looked for, as CPython does. */
  private generic: number | null = null;
  private readonly indentCols = [0];
  /** The same indentation with tabs as one column: CPython's TabError compares both. */
  private readonly indentAlts = [0];
  private pendingBlock: { owner: string; line: number } | null = null;
  private readonly bracketChars: string[] = [];
  private readonly bracketLines: number[] = [];
  // The logical line being read.
  private inLine = false;
  /** Source ranges of its statements (split at `;` outside brackets): text is only cut out where needed. */
  private segments: [number, number][] = [];
  private segmentStart = 0;
  private firstLine = 0;
  private lastLine = 0;
  private indent = 0;
  private topColon = false;
  /** The last character read that was not whitespace, and whether whitespace came after it. */
  private previous = '';
  private spaceSincePrevious = false;

  constructor(
    private readonly code: string,
    private readonly importIsWellFormed: ImportCheck,
  ) {
    const newlines = code.split('\n').length - 1;
    this.lineCount = code.endsWith('\n') ? newlines : newlines + 1;
  }

  run(): PythonScan {
    const { code } = this;
    let lineStart = true;
    while (this.i < code.length && !this.error) {
      if (lineStart && !this.inLine) {
        lineStart = false;
        if (!this.startLogicalLine()) continue;
      }
      const ch = code[this.i];
      if (ch === '\n') {
        if (this.bracketChars.length > 0) this.space();
        else if (this.inLine) this.endLogicalLine(this.i);
        this.i++;
        this.line++;
        lineStart = this.bracketChars.length === 0;
      } else if (ch === '#') {
        while (this.i < code.length && code[this.i] !== '\n') this.i++;
      } else if (ch === '\\') {
        if (code[this.i + 1] === '\n' || (code[this.i + 1] === '\r' && code[this.i + 2] === '\n')) {
          this.i += code[this.i + 1] === '\n' ? 2 : 3;
          this.line++;
          this.space();
        } else {
          this.tokenizerError('unexpected character after line continuation character', this.line);
        }
      } else if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f') {
        this.i++;
        this.space();
      } else if (ch === '"' || ch === "'") {
        this.readString();
      } else if (isWordCode(code.charCodeAt(this.i)) && !isDigitCode(code.charCodeAt(this.i))) {
        this.readName();
      } else {
        this.readOperator(ch);
      }
    }
    return this.finish();
  }

  /** At the start of a physical line: measures its indentation; false when it is blank or a comment. */
  private startLogicalLine(): boolean {
    const { code } = this;
    let col = 0;
    let alt = 0;
    for (; this.i < code.length; this.i++) {
      const ch = code[this.i];
      if (ch === ' ') {
        col++;
        alt++;
      } else if (ch === '\t') {
        col = (Math.floor(col / 8) + 1) * 8;
        alt++;
      } else if (ch === '\f') {
        col = 0;
        alt = 0;
      } else break;
    }
    const next = code[this.i];
    if (next === undefined || next === '\n' || next === '#' || (next === '\r' && code[this.i + 1] === '\n')) return false;
    this.checkIndent(col, alt);
    this.inLine = true;
    this.segmentStart = this.i;
    this.firstLine = this.line;
    this.lastLine = this.line;
    this.indent = col;
    return true;
  }

  private checkIndent(col: number, alt: number): void {
    const top = this.indentCols.length - 1;
    if (this.generic === null) {
      if (this.pendingBlock && col <= this.indentCols[top]) {
        const { owner, line } = this.pendingBlock;
        return this.parserError(`expected an indented block after ${owner} on line ${line}`, this.line);
      }
      if (!this.pendingBlock && col > this.indentCols[top]) return this.parserError('unexpected indent', this.line);
    }
    this.pendingBlock = null;
    if (col > this.indentCols[top]) {
      if (alt <= this.indentAlts[top]) return this.tokenizerError('inconsistent use of tabs and spaces in indentation', this.line);
      this.indentCols.push(col);
      this.indentAlts.push(alt);
      return;
    }
    while (col < this.indentCols[this.indentCols.length - 1]) {
      this.indentCols.pop();
      this.indentAlts.pop();
    }
    const level = this.indentCols.length - 1;
    if (col !== this.indentCols[level]) return this.tokenizerError('unindent does not match any outer indentation level', this.line);
    if (alt !== this.indentAlts[level]) this.tokenizerError('inconsistent use of tabs and spaces in indentation', this.line);
  }

  private space(): void {
    this.spaceSincePrevious = true;
  }

  /** Something other than whitespace was read; `last` is its last character. */
  private mark(last: string): void {
    this.lastLine = this.line;
    this.previous = last;
    this.spaceSincePrevious = false;
  }

  /**
   * Operator pairs no Python statement contains (`(:`, `(,`, `,,`, `= =`, `;` inside brackets):
   * CPython's parser stops there with a generic "invalid syntax".
   */
  private impossiblePair(ch: string): boolean {
    const before = this.previous;
    if (ch === ',') return before === '(' || before === '[' || before === '{' || before === ',';
    if (ch === ':') return before === '(' || before === '{';
    if (ch === '=') return before === '(' || before === '[' || before === '{' || (before === '=' && this.spaceSincePrevious);
    return ch === ';' && this.bracketChars.length > 0;
  }

  private readString(): void {
    const { code } = this;
    const quote = code[this.i];
    const startLine = this.line;
    const tripleQuote = quote.repeat(3);
    const triple = code.startsWith(tripleQuote, this.i);
    this.i += triple ? 3 : 1;
    for (;;) {
      if (this.i >= code.length) {
        const kind = triple ? 'unterminated triple-quoted string literal' : 'unterminated string literal';
        return this.tokenizerError(`${kind} (detected at line ${triple ? this.lineCount : this.line})`, startLine);
      }
      const ch = code[this.i];
      if (ch === '\\') {
        if (code[this.i + 1] === '\n') this.line++;
        this.i += 2;
      } else if (ch === '\n') {
        if (!triple) return this.tokenizerError(`unterminated string literal (detected at line ${this.line})`, startLine);
        this.line++;
        this.i++;
      } else if (ch === quote && (!triple || code.startsWith(tripleQuote, this.i))) {
        this.i += triple ? 3 : 1;
        return this.mark(quote);
      } else {
        this.i++;
      }
    }
  }

  private readName(): void {
    const { code } = this;
    const start = this.i;
    while (this.i < code.length && isWordCode(code.charCodeAt(this.i))) this.i++;
    const next = code[this.i];
    if ((next === '"' || next === "'") && this.i - start <= 2 && STRING_PREFIXES.has(code.slice(start, this.i).toLowerCase())) return this.readString();
    this.mark(code[this.i - 1]);
  }

  private readOperator(ch: string): void {
    this.i++;
    if (this.generic === null && this.inLine && this.impossiblePair(ch)) this.genericError(this.line);
    if (ch === '(' || ch === '[' || ch === '{') {
      this.bracketChars.push(ch);
      this.bracketLines.push(this.line);
    } else if (ch === ')' || ch === ']' || ch === '}') {
      const open = this.bracketChars.pop();
      const openLine = this.bracketLines.pop();
      if (open === undefined) return this.tokenizerError(`unmatched '${ch}'`, this.line);
      if (open !== OPENERS[ch]) {
        const where = openLine !== this.line ? ` on line ${openLine}` : '';
        return this.tokenizerError(`closing parenthesis '${ch}' does not match opening parenthesis '${open}'${where}`, this.line);
      }
    } else if (this.bracketChars.length === 0 && ch === ':') {
      this.topColon = true;
    } else if (this.bracketChars.length === 0 && ch === ';') {
      this.segments.push([this.segmentStart, this.i - 1]);
      this.segmentStart = this.i;
    }
    this.mark(ch);
  }

  private endLogicalLine(end: number): void {
    this.segments.push([this.segmentStart, end]);
    const opensBlock = this.previous === ':';
    if (this.generic === null) this.checkStatement(opensBlock);
    const imports = this.segments.filter(([start]) => ['import', 'from'].includes(this.nameAt(this.skipBlanks(start)).name)).map(([start, stop]) => this.statementText(start, stop));
    if (this.generic === null) {
      for (const statement of imports) if (!this.importIsWellFormed(statement)) this.genericError(this.firstLine);
    }
    this.lines.push({ firstLine: this.firstLine, indent: this.indent, imports });
    this.inLine = false;
    this.segments = [];
    this.topColon = false;
    this.previous = '';
  }

  /** The name at `at` (empty when there is none) and where it ends. */
  private nameAt(at: number): { name: string; end: number } {
    NAME.lastIndex = at;
    const match = NAME.exec(this.code);
    return match ? { name: match[0], end: at + match[0].length } : { name: '', end: at };
  }

  /** Skips spaces, tabs and backslash line continuations. */
  private skipBlanks(at: number): number {
    const { code } = this;
    for (;;) {
      if (code[at] === ' ' || code[at] === '\t' || code[at] === '\f') at++;
      else if (code[at] === '\\' && code[at + 1] === '\n') at += 2;
      else return at;
    }
  }

  /** A statement's text with comments dropped and whitespace runs (newlines included) as one space. */
  private statementText(start: number, end: number): string {
    // Most statements have no comment, continuation or run of whitespace: skip the passes they need not.
    let text = this.code.slice(start, end);
    if (text.includes('#')) text = text.replace(/#[^\n]*/g, '');
    if (text.includes('\\')) text = text.replace(/\\\n/g, ' ');
    if (/\s\s|[^\S ]/.test(text)) text = text.replace(/\s+/g, ' ');
    return text.trim();
  }

  private checkStatement(opensBlock: boolean): void {
    let head = this.nameAt(this.skipBlanks(this.segments[0][0]));
    if (head.name === 'async') {
      const next = this.nameAt(this.skipBlanks(head.end));
      if (next.name === 'def' || next.name === 'for' || next.name === 'with') head = next;
    }
    const keyword = head.name;
    if (keyword === 'def' || keyword === 'class') {
      const name = this.nameAt(this.skipBlanks(head.end));
      if (!name.name) return this.genericError(this.firstLine);
      const after = this.code[this.skipBlanks(name.end)];
      if (keyword === 'def' && after !== '(' && after !== '[') return this.parserError("expected '('", this.firstLine);
    }
    if (COMPOUND.has(keyword) && !this.topColon) return this.parserError("expected ':'", this.lastLine);
    if (opensBlock) this.pendingBlock = { owner: blockOwner(keyword), line: this.firstLine };
  }

  private finish(): PythonScan {
    if (!this.error && this.generic === null && this.bracketChars.length > 0) {
      const last = this.bracketChars.length - 1;
      this.parserError(`'${this.bracketChars[last]}' was never closed`, this.bracketLines[last]);
    }
    if (!this.error && this.inLine && this.bracketChars.length === 0) this.endLogicalLine(this.code.length);
    if (!this.error && this.generic === null && this.pendingBlock) {
      const { owner, line } = this.pendingBlock;
      this.parserError(`expected an indented block after ${owner} on line ${line}`, this.lineCount);
    }
    const error = this.error ?? (this.generic !== null ? { message: 'invalid syntax', line: this.generic } : null);
    return { lines: this.lines, error: error ? `${error.message} (<unknown>, line ${error.line})` : null };
  }

  /** Errors of CPython's tokenizer: they end the scan, and replace a pending generic "invalid syntax". */
  private tokenizerError(message: string, line: number): void {
    this.error = { message, line };
  }

  /** Errors of CPython's parser: none is looked for once a generic "invalid syntax" is pending. */
  private parserError(message: string, line: number): void {
    if (this.generic === null) this.error = { message, line };
  }

  private genericError(line: number): void {
    this.generic ??= line;
  }
}
