/** A piece of an HTML page: a run of text or one tag (`raw` is its source, `<` to `>`). */
export type HtmlTag = { kind: 'open' | 'close'; name: string; raw: string };
export type HtmlToken = { kind: 'text'; text: string } | HtmlTag;

/** Elements whose content is never visible text. */
const INVISIBLE = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head']);

/**
 * `indexOf` that remembers its last answer per needle. The tokenizer's searches move forward only, so a search
 * starting before the last hit (or after a miss) reuses it: a page of 100,000 `<` without `>` costs one scan,
 * not 100,000 (what made the lazy-regex conversion quadratic).
 */
function forwardFinder(source: string): (needle: string, from: number) => number {
  const last = new Map<string, { from: number; at: number }>();
  return (needle, from) => {
    const known = last.get(needle);
    if (known && from >= known.from && (known.at < 0 || from <= known.at)) return known.at;
    const at = source.indexOf(needle, from);
    last.set(needle, { from, at });
    return at;
  };
}

function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/**
 * Splits HTML into text and tags in one linear pass. A tag is `<`, at least one character, and the next `>`
 * (what the former `<[^>]+>` stripped); `<!-- … -->` comments are dropped, and with `dropInvisible` so are
 * `<script>`, `<style>`, `<head>`, … up to their closing tag. Unclosed comments and invisible elements are
 * ordinary tags; a `<` with no `>` after it is text.
 */
export function tokenizeHtml(html: string, dropInvisible: boolean): HtmlToken[] {
  // The URL component asks for a page's text, title, description, language and links in turn: tokenize it once.
  const cached = lastTokenized[dropInvisible ? 1 : 0];
  if (cached?.html === html) return cached.tokens;
  const tokens = tokenize(html, dropInvisible);
  lastTokenized[dropInvisible ? 1 : 0] = { html, tokens };
  return tokens;
}

const lastTokenized: ({ html: string; tokens: HtmlToken[] } | undefined)[] = [undefined, undefined];

function tokenize(html: string, dropInvisible: boolean): HtmlToken[] {
  const lower = html.toLowerCase();
  const find = forwardFinder(lower);
  const tokens: HtmlToken[] = [];
  let textStart = 0;
  let cursor = 0;
  const flushText = (end: number) => {
    if (end > textStart) tokens.push({ kind: 'text', text: html.slice(textStart, end) });
  };
  const closingTagEnd = (name: string, from: number): number => {
    for (let at = find(`</${name}`, from); at >= 0; at = find(`</${name}`, at + 1)) {
      let end = at + 2 + name.length;
      while (end < lower.length && isSpace(lower.charCodeAt(end))) end++;
      if (lower[end] === '>') return end + 1;
    }
    return -1;
  };

  for (let lt = html.indexOf('<', cursor); lt >= 0; lt = html.indexOf('<', cursor)) {
    if (lower.startsWith('<!--', lt)) {
      const commentEnd = find('-->', lt + 4);
      if (commentEnd >= 0) {
        flushText(lt);
        cursor = textStart = commentEnd + 3;
        continue;
      }
    }
    const closing = html[lt + 1] === '/';
    const nameStart = lt + (closing ? 2 : 1);
    let nameEnd = nameStart;
    while (nameEnd < html.length && isWordChar(html.charCodeAt(nameEnd))) nameEnd++;
    const name = lower.slice(nameStart, nameEnd);
    if (dropInvisible && !closing && INVISIBLE.has(name)) {
      const elementEnd = closingTagEnd(name, nameEnd);
      if (elementEnd >= 0) {
        flushText(lt);
        cursor = textStart = elementEnd;
        continue;
      }
    }
    const gt = find('>', lt + 1);
    if (gt < 0) break; // no `>` anywhere after: the rest is text
    if (gt === lt + 1) {
      cursor = lt + 1; // `<>` is text
      continue;
    }
    flushText(lt);
    tokens.push({ kind: closing ? 'close' : 'open', name, raw: html.slice(lt, gt + 1) });
    cursor = textStart = gt + 1;
  }
  flushText(html.length);
  return tokens;
}

/** For each opening tag, the index of the first closing tag of the same name after it (-1 when there is none). */
export function nextClosingTags(tokens: HtmlToken[]): Int32Array {
  const next = new Int32Array(tokens.length).fill(-1);
  const latestClose = new Map<string, number>();
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i];
    if (token.kind === 'close') latestClose.set(token.name, i);
    else if (token.kind === 'open') next[i] = latestClose.get(token.name) ?? -1;
  }
  return next;
}

/** The text between two token indexes (tags left out). */
export function textBetween(tokens: HtmlToken[], start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) {
    const token = tokens[i];
    if (token.kind === 'text') text += token.text;
  }
  return text;
}

/** The source between two token indexes (tags included, comments already gone). */
export function sourceBetween(tokens: HtmlToken[], start: number, end: number): string {
  let source = '';
  for (let i = start; i < end; i++) {
    const token = tokens[i];
    source += token.kind === 'text' ? token.text : token.raw;
  }
  return source;
}

/** The value of the last `attribute="…"` in a tag's source (the former greedy `[^>]*attr=` found the last). */
export function lastAttribute(raw: string, pattern: RegExp): string | undefined {
  let value: string | undefined;
  for (const match of raw.matchAll(pattern)) value = match[1];
  return value;
}
