import { defineComponent, type ComponentContext } from '../../engine/component.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { Message } from '../../engine/schema/message.js';
import { htmlLang, htmlLinks, htmlMeta, htmlTitle, htmlToMarkdown, htmlToText } from '../shared/html.js';
import { allowListFrom, maxResponseBytesFrom, safeFetch } from '../shared/safe-fetch.js';

const URL_PATTERN = /^https?:\/\/[^\s/$.?#].[^\s]*$/i;

function normaliseUrl(raw: string): string {
  const url = raw.trim();
  if (!url) return url;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`;
  if (!URL_PATTERN.test(withScheme)) throw new Error(`Invalid URL: ${raw}`);
  return withScheme;
}

function urlList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items
    .flatMap((item) => (typeof item === 'string' ? item.split(/[\n,]/) : item == null ? [] : [String((item as { text?: unknown }).text ?? item)]))
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
}

function headerRecord(value: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  const rows = Array.isArray(value) ? value : value instanceof DataFrame ? value.rows : [];
  for (const row of rows as { key?: unknown; value?: unknown }[]) {
    if (row && typeof row.key === 'string' && row.key && row.value !== undefined && row.value !== null) headers[row.key] = String(row.value);
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof DataFrame)) {
    for (const [k, v] of Object.entries(value)) headers[k] = String(v);
  }
  return headers;
}

interface Page {
  text: string;
  url: string;
  title: string;
  description: string;
  content_type: string;
  language: string;
}

async function crawl(ctx: ComponentContext): Promise<Page[]> {
  return ctx.memo('pages', async () => {
    const p = ctx.params;
    const roots = urlList(p.urls).map(normaliseUrl);
    if (roots.length === 0) throw new Error('No valid URLs provided.');
    const maxDepth = Math.max(1, Math.min(5, Math.trunc(Number(p.max_depth ?? 1)) || 1));
    const timeoutMs = Math.max(1, Number(p.timeout ?? 30) || 30) * 1000;
    const headers = headerRecord(p.headers);
    const format = String(p.format ?? 'Text');
    const allow = allowListFrom(ctx.services);
    const seen = new Set<string>();
    const pages: Page[] = [];
    let frontier = roots.map((url) => ({ url, root: new URL(url) }));
    for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
      const next: typeof frontier = [];
      for (const { url, root } of frontier) {
        if (seen.has(url)) continue;
        seen.add(url);
        try {
          const response = await safeFetch(url, { headers, timeoutMs, signal: ctx.signal, allow, maxBytes: maxResponseBytesFrom(ctx.services) });
          if (p.check_response_status === true && response.status >= 400) throw new Error(`HTTP ${response.status} from ${url}`);
          const contentType = String(response.headers['content-type'] ?? '');
          if (p.filter_text_html !== false && /text\/css/i.test(contentType)) continue;
          const html = response.text();
          const isHtml = /html/i.test(contentType) || /<html|<body|<p\b/i.test(html);
          const text = !isHtml || format === 'HTML' ? html : format === 'Markdown' ? htmlToMarkdown(html) : htmlToText(html);
          pages.push({
            text,
            url: response.url,
            title: isHtml ? htmlTitle(html) : '',
            description: isHtml ? htmlMeta(html, 'description') : '',
            content_type: contentType,
            language: isHtml ? htmlLang(html) : '',
          });
          if (depth < maxDepth && isHtml) {
            for (const link of htmlLinks(html, response.url)) {
              if (p.prevent_outside !== false && new URL(link).host !== root.host) continue;
              if (!seen.has(link)) next.push({ url: link, root });
            }
          }
        } catch (error) {
          if (ctx.signal.aborted) throw error;
          if (p.continue_on_failure === false || depth === 1) throw new Error(`Error loading ${url}: ${(error as Error).message}`);
        }
      }
      frontier = next;
    }
    if (pages.length === 0) throw new Error('No documents were successfully loaded from any URL');
    return pages;
  });
}

export const urlComponent = defineComponent({
  type: 'URLComponent',
  aliases: ['URL'],
  displayName: 'URL',
  description: 'Fetch content from one or more web pages, following links recursively.',
  category: 'data_source',
  icon: 'layout-template',
  inputs: [
    { name: 'urls', displayName: 'URLs', kind: 'text', list: true, default: [], toolMode: true, info: "Enter one or more URLs to crawl recursively, by clicking the '+' button." },
    { name: 'max_depth', displayName: 'Depth', kind: 'int', default: 1 },
    { name: 'prevent_outside', displayName: 'Prevent Outside', kind: 'bool', default: true, advanced: true },
    { name: 'use_async', displayName: 'Use Async', kind: 'bool', default: true, advanced: true },
    { name: 'format', displayName: 'Output Format', kind: 'text', default: 'Text', options: ['Text', 'HTML', 'Markdown'], advanced: true },
    { name: 'timeout', displayName: 'Timeout', kind: 'int', default: 30, advanced: true },
    { name: 'headers', displayName: 'Headers', kind: 'table', default: [{ key: 'User-Agent', value: 'langflow' }], advanced: true },
    { name: 'filter_text_html', displayName: 'Filter Text/HTML', kind: 'bool', default: true, advanced: true },
    { name: 'continue_on_failure', displayName: 'Continue on Failure', kind: 'bool', default: true, advanced: true },
    { name: 'check_response_status', displayName: 'Check Response Status', kind: 'bool', default: false, advanced: true },
    { name: 'autoset_encoding', displayName: 'Autoset Encoding', kind: 'bool', default: true, advanced: true },
  ],
  outputs: [
    { name: 'page_results', displayName: 'Extracted Pages', types: ['DataFrame'], method: 'fetch_content' },
    { name: 'raw_results', displayName: 'Raw Content', types: ['Message'], method: 'fetch_content_as_message' },
  ],
  compute: {
    page_results: async (ctx) => {
      const pages = await crawl(ctx);
      ctx.setStatus(`Fetched ${pages.length} page(s)`);
      return new DataFrame(pages.map((page) => ({ ...page })));
    },
    raw_results: async (ctx) => new Message({ text: (await crawl(ctx)).map((page) => page.text).join('\n\n') }),
  },
});
