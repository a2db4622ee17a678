import { defineComponent } from '../../engine/component.js';
import { Data } from '../../engine/schema/data.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { Message } from '../../engine/schema/message.js';
import { pyStr } from '../shared/python-format.js';
import { splitText, type KeepSeparator } from '../shared/text-splitter.js';

interface Doc {
  text: string;
  metadata: Record<string, unknown>;
}

function toDoc(record: Record<string, unknown>, textKey: string, defaultValue: string): Doc {
  const { [textKey]: text = defaultValue, ...metadata } = record;
  return { text: typeof text === 'string' ? text : pyStr(text), metadata };
}

function documents(input: unknown, textKey: string): Doc[] {
  if (input instanceof DataFrame) {
    if (input.rows.length === 0) throw new Error('DataFrame is empty');
    return input.rows.map((row) => toDoc(row, textKey, ''));
  }
  if (input instanceof Message) return [toDoc(input.toRecord(), 'text', '')];
  if (input instanceof Data) return [toDoc(input.data, textKey, input.defaultValue)];
  if (Array.isArray(input) && input.length > 0) {
    const docs = input.flatMap((item) => (item instanceof Message ? [toDoc(item.toRecord(), 'text', '')] : item instanceof Data ? [toDoc(item.data, item.textKey, item.defaultValue)] : []));
    if (docs.length === 0) throw new Error('No valid Data inputs found in list');
    return docs;
  }
  throw new Error('No data inputs provided');
}

function separatorOf(raw: string): string {
  if (raw === '/n') return '\n';
  if (raw === '/t') return '\t';
  return raw.replace(/\\n/g, '\n');
}

function keepSeparatorOf(raw: unknown): KeepSeparator {
  if (typeof raw === 'boolean') return raw;
  const text = String(raw ?? 'False');
  if (text.toLowerCase() === 'false') return false;
  if (text.toLowerCase() === 'true') return true;
  return text;
}

export const splitTextComponent = defineComponent({
  type: 'SplitText',
  displayName: 'Split Text',
  description: 'Split text into chunks based on specified criteria.',
  category: 'processing',
  icon: 'scissors-line-dashed',
  inputs: [
    { name: 'data_inputs', displayName: 'Input', kind: 'handle', inputTypes: ['Data', 'DataFrame', 'Message'], required: true },
    { name: 'chunk_overlap', displayName: 'Chunk Overlap', kind: 'int', default: 200 },
    { name: 'chunk_size', displayName: 'Chunk Size', kind: 'int', default: 1000 },
    { name: 'separator', displayName: 'Separator', kind: 'text', default: '\n', inputTypes: ['Message'] },
    { name: 'text_key', displayName: 'Text Key', kind: 'text', default: 'text', inputTypes: ['Message'], advanced: true },
    { name: 'keep_separator', displayName: 'Keep Separator', kind: 'text', default: 'False', options: ['False', 'True', 'Start', 'End'], advanced: true },
  ],
  outputs: [{ name: 'dataframe', displayName: 'Chunks', types: ['DataFrame'], method: 'split_text' }],
  compute: {
    dataframe: (ctx) => {
      const p = ctx.params;
      const docs = documents(p.data_inputs, String(p.text_key || 'text'));
      const options = {
        chunkSize: Number(p.chunk_size ?? 1000),
        chunkOverlap: Number(p.chunk_overlap ?? 200),
        separator: separatorOf(String(p.separator ?? '')),
        keepSeparator: keepSeparatorOf(p.keep_separator),
      };
      const rows: Record<string, unknown>[] = [];
      try {
        for (const doc of docs) for (const chunk of splitText(doc.text, options)) rows.push({ ...structuredClone(doc.metadata), text: chunk });
      } catch (error) {
        throw new Error(`Error splitting text: ${error instanceof Error ? error.message : String(error)}`);
      }
      return new DataFrame(rows);
    },
  },
});
