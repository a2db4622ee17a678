import { defineComponent, type ComponentContext } from '../../engine/component.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { pyStr } from '../shared/python-format.js';
import { selectedOperation } from './data-operations.js';

type Row = Record<string, unknown>;

function frames(ctx: ComponentContext): DataFrame[] {
  const value = ctx.params.df;
  const items = Array.isArray(value) ? value : value ? [value] : [];
  return items.filter((v): v is DataFrame => v instanceof DataFrame);
}

function requireColumn(frame: DataFrame, column: string): void {
  if (!frame.columns.includes(column)) throw new Error(`'${column}'`);
}

function numeric(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/** Equality as pandas compares a column with the text filter value (numbers compare numerically). */
function equalsFilter(cell: unknown, wanted: string, numericColumn: boolean): boolean {
  if (numericColumn && typeof cell === 'number') {
    const n = numeric(wanted);
    return n !== null ? cell === n : false;
  }
  return cell === wanted;
}

function compareCells(a: unknown, b: unknown): number {
  const missingA = a === null || a === undefined;
  const missingB = b === null || b === undefined;
  if (missingA || missingB) return missingA === missingB ? 0 : missingA ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = pyStr(a);
  const y = pyStr(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function filterRows(ctx: ComponentContext, frame: DataFrame): DataFrame {
  const column = String(ctx.params.column_name ?? '');
  requireColumn(frame, column);
  const wanted = String(ctx.params.filter_value ?? '');
  const operator = String(ctx.params.filter_operator || 'equals');
  const numericColumn = frame.rows.every((row) => row[column] === null || row[column] === undefined || typeof row[column] === 'number');
  const asText = (cell: unknown) => (cell === null || cell === undefined ? null : pyStr(cell));
  const tests: Record<string, (cell: unknown) => boolean> = {
    equals: (cell) => equalsFilter(cell, wanted, numericColumn),
    'not equals': (cell) => !equalsFilter(cell, wanted, numericColumn),
    contains: (cell) => asText(cell)?.includes(wanted) ?? false,
    'not contains': (cell) => !(asText(cell)?.includes(wanted) ?? false),
    'starts with': (cell) => asText(cell)?.startsWith(wanted) ?? false,
    'ends with': (cell) => asText(cell)?.endsWith(wanted) ?? false,
    'greater than': (cell) => {
      const n = numeric(wanted);
      return n !== null && typeof cell === 'number' ? cell > n : pyStr(cell) > wanted;
    },
    'less than': (cell) => {
      const n = numeric(wanted);
      return n !== null && typeof cell === 'number' ? cell < n : pyStr(cell) < wanted;
    },
  };
  const test = tests[operator] ?? tests.equals;
  return new DataFrame(frame.rows.filter((row) => test(row[column])));
}

function dropDuplicates(frame: DataFrame, column: string): DataFrame {
  const seen = new Set<string>();
  return new DataFrame(
    frame.rows.filter((row) => {
      const key = column ? JSON.stringify(row[column] ?? null) : JSON.stringify(frame.columns.map((c) => row[c] ?? null));
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  );
}

const OPERATIONS: Record<string, (ctx: ComponentContext, frame: DataFrame) => DataFrame> = {
  Filter: filterRows,
  Sort: (ctx, frame) => {
    const column = String(ctx.params.column_name ?? '');
    requireColumn(frame, column);
    const direction = ctx.params.ascending === false ? -1 : 1;
    // Stable sort; missing values last either way, as pandas does.
    return new DataFrame(
      [...frame.rows].sort((a, b) => {
        const missingA = a[column] === null || a[column] === undefined;
        const missingB = b[column] === null || b[column] === undefined;
        if (missingA || missingB) return compareCells(a[column], b[column]);
        return direction * compareCells(a[column], b[column]);
      }),
    );
  },
  'Drop Column': (ctx, frame) => {
    const column = String(ctx.params.column_name ?? '');
    requireColumn(frame, column);
    return new DataFrame(frame.rows.map(({ [column]: _dropped, ...rest }) => rest));
  },
  'Rename Column': (ctx, frame) => {
    const from = String(ctx.params.column_name ?? '');
    const to = String(ctx.params.new_column_name ?? '');
    return new DataFrame(frame.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k === from ? to : k, v]))));
  },
  'Add Column': (ctx, frame) => {
    const name = String(ctx.params.new_column_name ?? '');
    return new DataFrame(frame.rows.map((row) => ({ ...row, [name]: ctx.params.new_column_value ?? '' })));
  },
  'Select Columns': (ctx, frame) => {
    const raw = ctx.params.columns_to_select;
    const columns = (Array.isArray(raw) ? raw : raw ? [raw] : []).map((c) => String(c).trim());
    const missing = columns.filter((c) => !frame.columns.includes(c));
    if (missing.length > 0) throw new Error(`"None of [Index([${missing.map((c) => `'${c}'`).join(', ')}], dtype='object')] are in the [columns]"`);
    return new DataFrame(frame.rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null]))));
  },
  Head: (ctx, frame) => new DataFrame(headTail(frame.rows, Number(ctx.params.num_rows ?? 5), 'head')),
  Tail: (ctx, frame) => new DataFrame(headTail(frame.rows, Number(ctx.params.num_rows ?? 5), 'tail')),
  'Replace Value': (ctx, frame) => {
    const column = String(ctx.params.column_name ?? '');
    requireColumn(frame, column);
    const from = String(ctx.params.replace_value ?? '');
    const to = ctx.params.replacement_value ?? '';
    return new DataFrame(frame.rows.map((row) => (row[column] === from ? { ...row, [column]: to } : { ...row })));
  },
  'Drop Duplicates': (ctx, frame) => dropDuplicates(frame, String(ctx.params.column_name ?? '')),
};

/** pandas head/tail: a negative n drops from the other end. */
function headTail(rows: Row[], n: number, end: 'head' | 'tail'): Row[] {
  if (end === 'head') return n >= 0 ? rows.slice(0, n) : rows.slice(0, Math.max(rows.length + n, 0));
  if (n === 0) return [];
  return n > 0 ? rows.slice(-n) : rows.slice(-n);
}

export const dataFrameOperations = defineComponent({
  type: 'DataFrameOperations',
  displayName: 'DataFrame Operations',
  description: 'Perform various operations on a DataFrame.',
  category: 'processing',
  icon: 'table',
  inputs: [
    { name: 'df', displayName: 'DataFrame', kind: 'dataframe', inputTypes: ['DataFrame'], list: true, required: true },
    { name: 'operation', displayName: 'Operation', kind: 'other', default: [], options: ['Concatenate', ...Object.keys(OPERATIONS)] },
    { name: 'column_name', displayName: 'Column Name', kind: 'text', default: '' },
    { name: 'filter_value', displayName: 'Filter Value', kind: 'text', default: '', inputTypes: ['Message'] },
    { name: 'filter_operator', displayName: 'Filter Operator', kind: 'text', default: 'equals' },
    { name: 'ascending', displayName: 'Sort Ascending', kind: 'bool', default: true },
    { name: 'new_column_name', displayName: 'New Column Name', kind: 'text', default: '' },
    { name: 'new_column_value', displayName: 'New Column Value', kind: 'text', default: '', inputTypes: ['Message'] },
    { name: 'columns_to_select', displayName: 'Columns to Select', kind: 'text', list: true, default: [] },
    { name: 'num_rows', displayName: 'Number of Rows', kind: 'int', default: 5 },
    { name: 'replace_value', displayName: 'Value to Replace', kind: 'text', default: '', inputTypes: ['Message'] },
    { name: 'replacement_value', displayName: 'Replacement Value', kind: 'text', default: '', inputTypes: ['Message'] },
  ],
  outputs: [{ name: 'output', displayName: 'DataFrame', types: ['DataFrame'], method: 'perform_operation' }],
  compute: {
    output: (ctx) => {
      const operation = selectedOperation(ctx.params.operation)[0] ?? '';
      const inputs = frames(ctx);
      if (operation === 'Concatenate') return new DataFrame(inputs.flatMap((f) => f.rows.map((row) => ({ ...row }))));
      const frame = new DataFrame((inputs[0]?.rows ?? []).map((row) => ({ ...row })));
      if (!operation) return frame;
      const apply = OPERATIONS[operation];
      if (!apply) throw new Error(`Unsupported operation: ${operation}`);
      return apply(ctx, frame);
    },
  },
});
