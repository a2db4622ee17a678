import { Data } from './data.js';
import { DataFrame } from './dataframe.js';
import { Message } from './message.js';

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return JSON.stringify(value);
}

/** A DataFrame as a Markdown table, as Langflow renders it in chat. */
export function dataFrameToMarkdown(frame: DataFrame): string {
  const columns = frame.columns;
  if (columns.length === 0) return '';
  const header = `| ${columns.join(' | ')} |`;
  const rule = `|${columns.map(() => ':---').join('|')}|`;
  const rows = frame.rows.map((row) => `| ${columns.map((c) => cellText(row[c])).join(' | ')} |`);
  return [header, rule, ...rows].join('\n');
}

export function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Message) return value.text;
  if (value instanceof Data) return value.text;
  if (value instanceof DataFrame) return dataFrameToMarkdown(value);
  if (Array.isArray(value)) return value.map(toText).join('\n');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function toMessage(value: unknown): Message {
  if (value instanceof Message) return value;
  if (value instanceof Data) {
    const record = value.data;
    const looksLikeMessage = typeof record.sender === 'string' || typeof record.session_id === 'string';
    return looksLikeMessage ? new Message({ ...(record as object), text: value.text }) : new Message({ text: value.text });
  }
  return new Message({ text: toText(value) });
}

export function toData(value: unknown): Data {
  if (value instanceof Data) return value;
  if (value instanceof Message) return value.toData();
  if (value instanceof DataFrame) {
    if (value.rows.length === 1) return new Data({ ...value.rows[0] });
    return new Data({ results: value.rows });
  }
  if (typeof value === 'string') return new Data({ text: value });
  if (Array.isArray(value)) return new Data({ results: value.map((v) => plain(v)) });
  if (value && typeof value === 'object') return new Data({ ...(value as Record<string, unknown>) });
  return new Data({ text: toText(value) });
}

export function toDataFrame(value: unknown): DataFrame {
  if (value instanceof DataFrame) return value;
  if (value instanceof Data) return new DataFrame([{ ...value.data }]);
  if (value instanceof Message) return new DataFrame([value.toRecord()]);
  if (Array.isArray(value)) {
    return new DataFrame(
      value.flatMap((item) => {
        if (item instanceof DataFrame) return item.rows;
        if (item instanceof Data) return [{ ...item.data }];
        if (item instanceof Message) return [item.toRecord()];
        if (item && typeof item === 'object') return [{ ...(item as Record<string, unknown>) }];
        return [{ text: toText(item) }];
      }),
    );
  }
  if (value && typeof value === 'object') return new DataFrame([{ ...(value as Record<string, unknown>) }]);
  if (value === null || value === undefined || value === '') return new DataFrame([]);
  return new DataFrame([{ text: toText(value) }]);
}

/** The JSON form Langflow's serializer gives a value in run results. */
export function plain(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (value instanceof Message || value instanceof Data || value instanceof DataFrame) return value.toJSON();
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') {
    const maybe = value as { toJSON?: () => unknown };
    if (typeof maybe.toJSON === 'function') return maybe.toJSON();
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'function') out[k] = plain(v);
    }
    return out;
  }
  if (typeof value === 'function') return null;
  return value;
}
