import { trimEndChar } from '../../engine/trim.js';
/**
 * A small, safe arithmetic evaluator (no eval): numbers, + - * / % ** , parentheses and unary
 * signs, with Python's precedence (`**` binds tighter than a unary minus on its left and is
 * right-associative) and Python's float semantics (`%` takes the divisor's sign).
 */
export class ArithmeticError extends Error {
  constructor(
    message: string,
    readonly kind: 'syntax' | 'unsupported' | 'zero-division' | 'overflow',
  ) {
    super(message);
    this.name = 'ArithmeticError';
  }
}

type Token = { type: 'num'; value: number } | { type: 'op'; value: string } | { type: 'name'; value: string };

const SYNTAX = 'invalid syntax (<unknown>, line 1)';

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s+|(\d[\d_]*\.?[\d_]*(?:[eE][+-]?\d+)?|\.\d[\d_]*(?:[eE][+-]?\d+)?)|(\*\*|\/\/|[-+*/%()])|([A-Za-z_]\w*)|(.)/gy;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    if (match[1] !== undefined) tokens.push({ type: 'num', value: Number(match[1].replace(/_/g, '')) });
    else if (match[2] !== undefined) tokens.push({ type: 'op', value: match[2] });
    else if (match[3] !== undefined) tokens.push({ type: 'name', value: match[3] });
    else if (match[4] !== undefined) throw new ArithmeticError(SYNTAX, 'syntax');
    if (pattern.lastIndex >= text.length) break;
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): number {
    if (this.tokens.length === 0) throw new ArithmeticError(SYNTAX, 'syntax');
    const value = this.sum();
    if (this.pos < this.tokens.length) throw new ArithmeticError(SYNTAX, 'syntax');
    return value;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isOp(...ops: string[]): string | null {
    const token = this.peek();
    return token?.type === 'op' && ops.includes(token.value) ? token.value : null;
  }

  private sum(): number {
    let value = this.product();
    for (let op = this.isOp('+', '-'); op; op = this.isOp('+', '-')) {
      this.pos++;
      const right = this.product();
      value = op === '+' ? value + right : value - right;
    }
    return value;
  }

  private product(): number {
    let value = this.unary();
    for (let op = this.isOp('*', '/', '%', '//'); op; op = this.isOp('*', '/', '%', '//')) {
      this.pos++;
      const right = this.unary();
      if (op === '*') value *= right;
      else if (op === '//') throw new ArithmeticError('Unsupported binary operator: FloorDiv', 'unsupported');
      else if (right === 0) throw new ArithmeticError(op === '/' ? 'float division by zero' : 'float modulo', 'zero-division');
      else if (op === '/') value /= right;
      else value = value - right * Math.floor(value / right);
    }
    return value;
  }

  private unary(): number {
    const op = this.isOp('+', '-');
    if (op) {
      this.pos++;
      const value = this.unary();
      return op === '-' ? -value : value;
    }
    return this.power();
  }

  private power(): number {
    const base = this.atom();
    if (this.isOp('**')) {
      this.pos++;
      const exponent = this.unary();
      if (base === 0 && exponent < 0) throw new ArithmeticError('0.0 cannot be raised to a negative power', 'zero-division');
      const result = base ** exponent;
      if (Number.isNaN(result)) throw new ArithmeticError("float() argument must be a string or a real number, not 'complex'", 'unsupported');
      if (!Number.isFinite(result)) throw new ArithmeticError("(34, 'Numerical result out of range')", 'overflow');
      return result;
    }
    return base;
  }

  private atom(): number {
    const token = this.peek();
    if (!token) throw new ArithmeticError(SYNTAX, 'syntax');
    this.pos++;
    if (token.type === 'num') return token.value;
    if (token.type === 'name') {
      const call = this.isOp('(') !== null;
      throw new ArithmeticError(`Unsupported operation or expression type: ${call ? 'Call' : 'Name'}`, 'unsupported');
    }
    if (token.value === '(') {
      const value = this.sum();
      if (!this.isOp(')')) throw new ArithmeticError(SYNTAX, 'syntax');
      this.pos++;
      return value;
    }
    throw new ArithmeticError(SYNTAX, 'syntax');
  }
}

export function evaluateArithmetic(expression: string): number {
  const value = new Parser(tokenize(expression.trim())).parse();
  if (!Number.isFinite(value)) throw new ArithmeticError("(34, 'Numerical result out of range')", 'overflow');
  return value;
}

/** Python's `f"{x:.6f}".rstrip("0").rstrip(".")`. */
export function formatResult(value: number): string {
  const fixed = Math.abs(value) >= 1e21 ? BigInt(Math.trunc(value)).toString() + '.000000' : value.toFixed(6);
  const trimmed = trimEndChar(trimEndChar(fixed, '0'), '.');
  return trimmed === '-0' ? '-0' : trimmed;
}
