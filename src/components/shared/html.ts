import { lastAttribute, nextClosingTags, sourceBetween, textBetween, tokenizeHtml, type HtmlTag, type HtmlToken } from './html-tokens.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (match, name: string) => {
    const lower = name.toLowerCase();
    const codePoint = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : lower.startsWith('#') ? parseInt(lower.slice(1), 10) : -1;
    if (codePoint >= 0) return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : match;
    return ENTITIES[lower] ?? match;
  });
}

const TEXT_BLOCKS = new Set(['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'tr', 'section', 'article', 'header', 'footer', 'pre', 'blockquote', 'ul', 'ol', 'table']);
const MARKDOWN_BLOCKS = new Set(['p', 'div', 'section', 'article', 'ul', 'ol', 'table', 'tr', 'blockquote', 'pre']);
const HEADING = /^h([1-6])$/;
const HREF = /href\s*=\s*["']([^"']*)["']/gi;

// Collapsing only runs that change (not every single space) keeps pages of a million short words fast.
// The conversions below work on tokens (html-tokens.ts), in linear time: the lazy `<a …>[\s\S]*?</a>` regex
// pairs they replace were quadratic on pages with many unclosed tags, and held the event loop for minutes.

/** Visible text of an HTML page, one block per line (like BeautifulSoup's get_text with newlines). */
export function htmlToText(html: string): string {
  let text = '';
  for (const token of tokenizeHtml(html, true)) {
    if (token.kind === 'text') text += token.text;
    else if (token.kind === 'open' && token.name === 'br') text += '\n';
    else if (token.kind === 'close' && TEXT_BLOCKS.has(token.name)) text += '\n';
  }
  return decodeEntities(text)
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v\r]{2,}|[\t\f\v\r]/g, ' ').trim())
    .filter((line) => line.length > 0)
    .join('\n');
}

/**
 * Replaces each element `render` accepts (it returns undefined for the others), from its opening tag to the first
 * closing tag of its name, by text; like a global regex, matching resumes after that closing tag.
 */
function replaceElements(tokens: HtmlToken[], render: (open: HtmlTag) => ((inner: string) => string) | undefined): HtmlToken[] {
  const next = nextClosingTags(tokens);
  const result: HtmlToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const close = next[i];
    const renderInner = token.kind === 'open' && close > i ? render(token) : undefined;
    if (renderInner) {
      result.push({ kind: 'text', text: renderInner(textBetween(tokens, i + 1, close)) });
      i = close;
    } else {
      result.push(token);
    }
  }
  return result;
}

/** A plain Markdown rendering: headings, links, list items, emphasis, paragraphs. */
export function htmlToMarkdown(html: string): string {
  // Headings first, then links (a heading inside a link becomes part of the link's text), as before.
  const withHeadings = replaceElements(tokenizeHtml(html, true), (open) => {
    const level = HEADING.exec(open.name)?.[1];
    return level ? (inner) => `\n${'#'.repeat(Number(level))} ${inner.trim()}\n` : undefined;
  });
  const tokens = replaceElements(withHeadings, (open) => {
    const href = open.name === 'a' ? lastAttribute(open.raw, HREF) : undefined;
    return href === undefined ? undefined : (inner) => `[${inner.trim()}](${href})`;
  });
  // Bold and italic pair an opening tag with the first closing tag of its name; tags inside a pair stay unpaired.
  const next = nextClosingTags(tokens);
  const closeMarks = new Map<number, string>();
  const pairedUntil = { '**': -1, '*': -1 };
  let md = '';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'text') {
      md += token.text;
    } else if (token.kind === 'open') {
      const mark = token.name === 'strong' || token.name === 'b' ? '**' : token.name === 'em' || token.name === 'i' ? '*' : undefined;
      if (mark && next[i] > i && i > pairedUntil[mark]) {
        md += mark;
        closeMarks.set(next[i], mark);
        pairedUntil[mark] = next[i];
      } else if (token.name === 'li') {
        md += '\n- ';
      } else if (token.name === 'br') {
        md += '\n';
      }
    } else {
      md += closeMarks.get(i) ?? (MARKDOWN_BLOCKS.has(token.name) ? '\n\n' : '');
    }
  }
  return decodeEntities(md)
    .split('\n')
    .map((line) => line.replace(/[ \t]{2,}|\t/g, ' ').trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function htmlTitle(html: string): string {
  const tokens = tokenizeHtml(html, false);
  const next = nextClosingTags(tokens);
  const open = tokens.findIndex((token, i) => token.kind === 'open' && token.name === 'title' && next[i] > i);
  return open < 0 ? '' : decodeEntities(sourceBetween(tokens, open + 1, next[open]).trim());
}

function openTags(html: string, name: string): string[] {
  return tokenizeHtml(html, false).flatMap((token) => (token.kind === 'open' && token.name === name ? [token.raw] : []));
}

export function htmlMeta(html: string, name: string): string {
  for (const tag of openTags(html, 'meta')) {
    const key = /\b(?:name|property)\s*=\s*["']([^"']*)["']/i.exec(tag)?.[1];
    if (key?.toLowerCase() !== name) continue;
    return decodeEntities(/\bcontent\s*=\s*["']([^"']*)["']/i.exec(tag)?.[1] ?? '');
  }
  return '';
}

export function htmlLang(html: string): string {
  for (const tag of openTags(html, 'html')) {
    const lang = /\blang\s*=\s*["']([^"']*)["']/i.exec(tag)?.[1];
    if (lang !== undefined) return lang;
  }
  return '';
}

export function htmlLinks(html: string, base: string): string[] {
  const links: string[] = [];
  for (const tag of openTags(html, 'a')) {
    const href = lastAttribute(tag, HREF);
    if (href === undefined || href === '' || href.startsWith('#')) continue;
    try {
      const url = new URL(decodeEntities(href), base);
      if (url.protocol === 'http:' || url.protocol === 'https:') {
        url.hash = '';
        links.push(url.href);
      }
    } catch {
      // not a URL
    }
  }
  return links;
}
