import { Data } from '../../engine/schema/data.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { Message } from '../../engine/schema/message.js';
import { dataFrameToMarkdown } from '../../engine/schema/convert.js';
import { pyStr } from './python-format.js';

/** Langflow's `clean_string`: blank lines emptied, runs of 3+ newlines collapsed. */
export function cleanString(text: string): string {
  return text.replace(/^[ \t\r\f\v]*$/gm, '').replace(/\n{3,}/g, '\n\n');
}

function cleanFrame(frame: DataFrame): DataFrame {
  const rows = frame.rows
    .filter((row) => Object.values(row).some((v) => v !== null && v !== undefined))
    .map((row) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(row)) {
        out[key] = typeof value === 'string' ? value.replace(/^\s*$/, '').replace(/\n+/g, '\n') : value;
      }
      return out;
    });
  return new DataFrame(rows);
}

/** Langflow's `safe_convert`: any value as display text (Data as a JSON block, DataFrame as Markdown). */
export function safeConvert(value: unknown, cleanData = false): string {
  if (typeof value === 'string') return cleanString(value);
  if (value instanceof Message) return value.text;
  if (value instanceof Data) return cleanString('```json\n' + JSON.stringify(value.data, null, 4) + '\n```');
  if (value instanceof DataFrame) {
    const frame = cleanData ? cleanFrame(value) : value;
    const rows = frame.rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (const [key, cell] of Object.entries(row)) out[key] = typeof cell === 'string' ? cell.replace(/\n/g, '<br/>') : cell;
      return out;
    });
    return dataFrameToMarkdown(new DataFrame(rows));
  }
  return cleanString(pyStr(value));
}
