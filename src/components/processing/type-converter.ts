import { parseUntrustedJson } from '../../engine/safe-json.js';
import { defineComponent, type ComponentContext } from '../../engine/component.js';
import { Data } from '../../engine/schema/data.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { Message } from '../../engine/schema/message.js';
import { dataFrameToMarkdown } from '../../engine/schema/convert.js';
import { pyRepr } from '../shared/python-format.js';

type Value = Message | Data | DataFrame;

function inputValue(ctx: ComponentContext): Value {
  let value = ctx.params.input_data;
  if (Array.isArray(value)) value = value[0];
  if (typeof value === 'string') return new Message({ text: value });
  if (value instanceof Message || value instanceof Data || value instanceof DataFrame) return value;
  if (value && typeof value === 'object') return new Data({ ...(value as Record<string, unknown>) });
  throw new Error('Input is required: connect a Message, Data or DataFrame.');
}

function markdownOf(frame: DataFrame): string {
  const rows = frame.rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [key, cell] of Object.entries(row)) {
      out[key] = typeof cell === 'string' ? cell.replace(/^\s*$/, '').replace(/\n+/g, '\n').replace(/\n/g, '<br/>') : cell;
    }
    return out;
  });
  return dataFrameToMarkdown(new DataFrame(rows));
}

export function dataToMessage(data: Data): Message {
  return new Message({ text: data.textKey in data.data ? data.text : pyRepr(data.data) });
}

export function dataToDataFrame(data: Data): DataFrame {
  const values = Object.values(data.data);
  const only = values.length === 1 ? values[0] : undefined;
  if (Array.isArray(only) && only.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item))) {
    return new DataFrame(only.map((item) => ({ ...(item as Record<string, unknown>) })));
  }
  return new DataFrame([{ ...data.data }]);
}

function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

function csvCell(text: string): unknown {
  if (text === '') return null;
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

/** Auto Parse: JSON object → its fields; array of objects or CSV → `{records: [...]}`. */
function parseStructured(data: Data): Data {
  const text = data.text.replace(/^\ufeff/, '').trim();
  try {
    const parsed: unknown = parseUntrustedJson(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return new Data(parsed as Record<string, unknown>);
    if (Array.isArray(parsed) && parsed.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item))) {
      return new Data({ records: parsed });
    }
  } catch {
    // not JSON
  }
  const lines = text.split('\n');
  if (lines.length >= 2 && lines[0].includes(',')) {
    const header = splitCsvLine(lines[0]);
    const records = lines
      .slice(1)
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const cells = splitCsvLine(line);
        return Object.fromEntries(header.map((name, i) => [name, csvCell(cells[i] ?? '')]));
      });
    return new Data({ records });
  }
  return data;
}

function toMessageValue(value: Value): Message {
  if (value instanceof Message) return value;
  if (value instanceof Data) return dataToMessage(value);
  return new Message({ text: markdownOf(value) });
}

function toDataValue(value: Value, autoParse: boolean): Data {
  if (value instanceof Message) {
    const data = new Data({ text: value.text });
    return autoParse ? parseStructured(data) : data;
  }
  if (value instanceof Data) return value;
  return new Data({ results: value.rows.map((row) => ({ ...row })) });
}

function toDataFrameValue(value: Value, autoParse: boolean): DataFrame {
  if (value instanceof DataFrame) return value;
  if (value instanceof Message) return dataToDataFrame(toDataValue(value, autoParse));
  return dataToDataFrame(value);
}

export const typeConverter = defineComponent({
  type: 'TypeConverterComponent',
  displayName: 'Type Convert',
  description: 'Convert between different types (Message, Data, DataFrame)',
  category: 'processing',
  icon: 'repeat',
  inputs: [
    { name: 'input_data', displayName: 'Input', kind: 'handle', inputTypes: ['Message', 'Data', 'DataFrame'], required: true },
    { name: 'auto_parse', displayName: 'Auto Parse', kind: 'bool', default: false, advanced: true },
    { name: 'output_type', displayName: 'Output Type', kind: 'text', default: 'Message', options: ['Message', 'Data', 'DataFrame'] },
  ],
  outputs: [
    { name: 'message_output', displayName: 'Message Output', types: ['Message'], method: 'convert_to_message' },
    { name: 'data_output', displayName: 'Data Output', types: ['Data'], method: 'convert_to_data' },
    { name: 'dataframe_output', displayName: 'DataFrame Output', types: ['DataFrame'], method: 'convert_to_dataframe' },
  ],
  compute: {
    message_output: (ctx) => {
      const result = toMessageValue(inputValue(ctx));
      ctx.setStatus(result);
      return result;
    },
    data_output: (ctx) => {
      const result = toDataValue(inputValue(ctx), ctx.params.auto_parse === true);
      ctx.setStatus(result);
      return result;
    },
    dataframe_output: (ctx) => {
      const result = toDataFrameValue(inputValue(ctx), ctx.params.auto_parse === true);
      ctx.setStatus(result);
      return result;
    },
  },
});
