import { defineComponent } from '../../engine/component.js';
import { Data } from '../../engine/schema/data.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { Message } from '../../engine/schema/message.js';
import { pyFormat } from '../shared/python-format.js';
import { safeConvert } from '../shared/stringify.js';

function formatRows(frame: DataFrame, pattern: string): string[] {
  const columns = frame.columns;
  return frame.rows.map((row) => {
    // pandas fills cells a row lacks with NaN.
    const values: Record<string, unknown> = {};
    for (const column of columns) values[column] = column in row ? row[column] : Number.NaN;
    return pyFormat(pattern, values);
  });
}

function parse(input: unknown, pattern: string): string[] {
  if (Array.isArray(input)) {
    if (input.length === 1) return parse(input[0], pattern);
    throw new Error('List of Data objects is not supported.');
  }
  if (input instanceof DataFrame) return formatRows(input, pattern);
  const data = input instanceof Message ? input.toData() : input;
  if (data instanceof Data) return [pyFormat(pattern, data.data, () => data.defaultValue || '')];
  const kind = input === null || input === undefined ? 'NoneType' : typeof input;
  throw new Error(`Unsupported input type: ${kind}. Expected DataFrame or Data.`);
}

export const parser = defineComponent({
  type: 'ParserComponent',
  aliases: ['parser'],
  displayName: 'Parser',
  description: 'Extracts text using a template.',
  category: 'processing',
  icon: 'braces',
  inputs: [
    { name: 'input_data', displayName: 'Data or DataFrame', kind: 'handle', inputTypes: ['DataFrame', 'Data', 'Message'], required: true },
    { name: 'mode', displayName: 'Mode', kind: 'text', default: 'Parser', options: ['Parser', 'Stringify'] },
    { name: 'pattern', displayName: 'Template', kind: 'text', default: 'Text: {text}', multiline: true, required: true },
    { name: 'sep', displayName: 'Separator', kind: 'text', default: '\n', advanced: true },
    { name: 'clean_data', displayName: 'Clean Data', kind: 'bool', default: true, advanced: true },
  ],
  outputs: [{ name: 'parsed_text', displayName: 'Parsed Text', types: ['Message'], method: 'parse_combined_text' }],
  compute: {
    parsed_text: (ctx) => {
      const p = ctx.params;
      if (p.mode === 'Stringify') {
        const input = p.input_data;
        const text = Array.isArray(input) ? input.map((item) => safeConvert(item, p.clean_data === true)).join('\n') : safeConvert(input ?? false);
        const message = new Message({ text });
        ctx.setStatus(message);
        return message;
      }
      const text = parse(p.input_data, String(p.pattern ?? '')).join(String(p.sep ?? ''));
      ctx.setStatus(text);
      return new Message({ text });
    },
  },
});
