import { isUnsafeKey, parseUntrustedJson } from '../../engine/safe-json.js';
import { defineComponent, type ComponentContext } from '../../engine/component.js';
import { Data } from '../../engine/schema/data.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { allowListFrom, maxResponseBytesFrom, safeFetch } from '../shared/safe-fetch.js';

interface ParsedCurl {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
}

function shellWords(command: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | null = null;
  let started = false;
  const text = command.replace(/\\\r?\n/g, ' ');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (/\s/.test(c)) {
      if (started) words.push(current);
      current = '';
      started = false;
    } else if (c === '\\' && i + 1 < text.length) {
      current += text[++i];
      started = true;
    } else {
      current += c;
      started = true;
    }
  }
  if (started) words.push(current);
  return words;
}

/** The parts of a `curl` command the API Request component uses. */
export function parseCurl(command: string): ParsedCurl {
  const words = shellWords(command.trim());
  if (words[0] !== 'curl') throw new Error('The cURL command must start with "curl"');
  const parsed: ParsedCurl = { url: '', method: '', headers: {}, body: null };
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    if (word === '-X' || word === '--request') parsed.method = words[++i] ?? '';
    else if (word === '-H' || word === '--header') {
      const header = words[++i] ?? '';
      const at = header.indexOf(':');
      if (at > 0) parsed.headers[header.slice(0, at).trim()] = header.slice(at + 1).trim();
    } else if (['-d', '--data', '--data-raw', '--data-binary', '--json'].includes(word)) {
      parsed.body = words[++i] ?? '';
      if (word === '--json') parsed.headers['Content-Type'] ??= 'application/json';
    } else if (word === '--url') parsed.url = words[++i] ?? '';
    else if (!word.startsWith('-') && !parsed.url) parsed.url = word;
  }
  parsed.method = (parsed.method || (parsed.body !== null ? 'POST' : 'GET')).toUpperCase();
  return parsed;
}

function keyValues(value: unknown): Record<string, unknown> {
  if (value instanceof Data) return { ...value.data };
  const rows = Array.isArray(value) ? value : value instanceof DataFrame ? value.rows : null;
  if (rows) {
    const out: Record<string, unknown> = {};
    for (const row of rows as { key?: unknown; value?: unknown }[]) {
      if (row && typeof row.key === 'string' && row.key && !isUnsafeKey(row.key)) out[row.key] = row.value;
    }
    return out;
  }
  if (typeof value === 'string' && value.trim()) {
    try {
      const parsed = parseUntrustedJson(value) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  if (value && typeof value === 'object') return { ...(value as Record<string, unknown>) };
  return {};
}

async function request(ctx: ComponentContext): Promise<Data> {
  const p = ctx.params;
  let url = String(p.url_input ?? '').trim();
  let method = String(p.method || 'GET').toUpperCase();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(keyValues(p.headers))) if (v !== null && v !== undefined) headers[k] = String(v);
  let body: string | null = null;
  const bodyValues = keyValues(p.body);
  if (Object.keys(bodyValues).length > 0) body = JSON.stringify(bodyValues);
  if (p.mode === 'cURL' || (!url && typeof p.curl_input === 'string' && p.curl_input.trim())) {
    const curl = parseCurl(String(p.curl_input ?? ''));
    url = curl.url;
    method = curl.method;
    Object.assign(headers, curl.headers);
    if (curl.body !== null) body = curl.body;
  }
  if (!url) throw new Error('URL is required');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = `https://${url}`;
  const target = new URL(url);
  for (const [k, v] of Object.entries(keyValues(p.query_params))) if (v !== null && v !== undefined) target.searchParams.append(k, String(v));
  if (body !== null && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  const timeout = Number(p.timeout ?? 30);
  const response = await safeFetch(target.href, {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' ? null : body,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout * 1000 : 30000,
    followRedirects: p.follow_redirects !== false,
    signal: ctx.signal,
    allow: allowListFrom(ctx.services),
    maxBytes: maxResponseBytesFrom(ctx.services),
  });
  const text = response.text();
  let result: unknown = text;
  if (/json/i.test(String(response.headers['content-type'] ?? ''))) {
    try {
      result = parseUntrustedJson(text);
    } catch {
      result = text;
    }
  }
  const data: Record<string, unknown> = { source: target.href, status_code: response.status, result };
  if (p.include_httpx_metadata === true) {
    data.response_headers = response.headers;
    data.redirection_history = response.redirects;
  }
  ctx.setStatus(data);
  return new Data(data);
}

export const apiRequest = defineComponent({
  type: 'APIRequest',
  displayName: 'API Request',
  description: 'Make HTTP requests using URL or cURL commands.',
  category: 'data_source',
  icon: 'Globe',
  inputs: [
    { name: 'url_input', displayName: 'URL', kind: 'text', default: '', toolMode: true, info: 'Enter the URL for the request.' },
    { name: 'curl_input', displayName: 'cURL', kind: 'text', default: '', multiline: true, advanced: true, toolMode: true, info: 'Paste a curl command to populate the fields.' },
    { name: 'method', displayName: 'Method', kind: 'text', default: 'GET', options: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] },
    { name: 'mode', displayName: 'Mode', kind: 'text', default: 'URL', options: ['URL', 'cURL'] },
    { name: 'query_params', displayName: 'Query Parameters', kind: 'other', default: {}, advanced: true },
    { name: 'body', displayName: 'Body', kind: 'table', default: [], advanced: true },
    { name: 'headers', displayName: 'Headers', kind: 'table', default: [{ key: 'User-Agent', value: 'Langflow/1.0' }], advanced: true },
    { name: 'timeout', displayName: 'Timeout', kind: 'int', default: 30, advanced: true },
    { name: 'follow_redirects', displayName: 'Follow Redirects', kind: 'bool', default: false, advanced: true },
    { name: 'save_to_file', displayName: 'Save to File', kind: 'bool', default: false, advanced: true },
    { name: 'include_httpx_metadata', displayName: 'Include HTTPx Metadata', kind: 'bool', default: false, advanced: true },
  ],
  outputs: [{ name: 'data', displayName: 'API Response', types: ['Data'], method: 'make_api_request' }],
  compute: { data: (ctx) => request(ctx) },
});
