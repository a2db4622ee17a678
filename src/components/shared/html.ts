const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (match, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return ENTITIES[lower] ?? match;
  });
}

function withoutInvisible(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|noscript|template|svg|head)\b[\s\S]*?<\/\1\s*>/gi, '');
}

/** Visible text of an HTML page, one block per line (like BeautifulSoup's get_text with newlines). */
export function htmlToText(html: string): string {
  const text = withoutInvisible(html)
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|tr|section|article|header|footer|pre|blockquote|ul|ol|table)\s*>/gi, '\n')
    .replace(/<[^>]+>/g, '');
  return decodeEntities(text)
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v\r]+/g, ' ').trim())
    .filter((line) => line.length > 0)
    .join('\n');
}

/** A plain Markdown rendering: headings, links, list items, emphasis, paragraphs. */
export function htmlToMarkdown(html: string): string {
  const md = withoutInvisible(html)
    .replace(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1\s*>/gi, (_, level: string, inner: string) => `\n${'#'.repeat(Number(level))} ${inner.replace(/<[^>]+>/g, '').trim()}\n`)
    .replace(/<a\b[^>]*href\s*=\s*["']([^"']*)["'][^>]*>([\s\S]*?)<\/a\s*>/gi, (_, href: string, inner: string) => `[${inner.replace(/<[^>]+>/g, '').trim()}](${href})`)
    .replace(/<li[^>]*>/gi, '\n- ')
    .replace(/<(strong|b)\b[^>]*>([\s\S]*?)<\/\1\s*>/gi, '**$2**')
    .replace(/<(em|i)\b[^>]*>([\s\S]*?)<\/\1\s*>/gi, '*$2*')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|section|article|ul|ol|table|tr|blockquote|pre)\s*>/gi, '\n\n')
    .replace(/<[^>]+>/g, '');
  return decodeEntities(md)
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function htmlTitle(html: string): string {
  const match = /<title[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html);
  return match ? decodeEntities(match[1].trim()) : '';
}

export function htmlMeta(html: string, name: string): string {
  for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
    const key = /\b(?:name|property)\s*=\s*["']([^"']*)["']/i.exec(tag)?.[1];
    if (key?.toLowerCase() !== name) continue;
    return decodeEntities(/\bcontent\s*=\s*["']([^"']*)["']/i.exec(tag)?.[1] ?? '');
  }
  return '';
}

export function htmlLang(html: string): string {
  return /<html\b[^>]*\blang\s*=\s*["']([^"']*)["']/i.exec(html)?.[1] ?? '';
}

export function htmlLinks(html: string, base: string): string[] {
  const links: string[] = [];
  for (const match of html.matchAll(/<a\b[^>]*href\s*=\s*["']([^"'#][^"']*)["']/gi)) {
    try {
      const url = new URL(decodeEntities(match[1]), base);
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
