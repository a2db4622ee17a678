import { defineComponent, type ComponentContext } from '../../engine/component.js';
import { Data } from '../../engine/schema/data.js';
import { pyStr } from '../shared/python-format.js';

function parseBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return ['true', '1', 'yes', 'y', 'on'].includes(value.toLowerCase());
  return Boolean(value);
}

function compare(itemValue: string, compareValue: string, operator: string): boolean {
  switch (operator) {
    case 'equals':
      return itemValue === compareValue;
    case 'not equals':
      return itemValue !== compareValue;
    case 'contains':
      return itemValue.includes(compareValue);
    case 'starts with':
      return itemValue.startsWith(compareValue);
    case 'ends with':
      return itemValue.endsWith(compareValue);
    default:
      return false;
  }
}

function matches(ctx: ComponentContext, item: Data): boolean {
  const key = String(ctx.params.key_name ?? '');
  const operator = String(ctx.params.operator || 'equals');
  const value = item.data[key];
  const met = operator === 'boolean validator' ? parseBoolean(value) : compare(pyStr(value), String(ctx.params.compare_value ?? ''), operator);
  const description = operator === 'boolean validator' ? `Boolean validation of '${key}'` : `${key} ${operator} ${String(ctx.params.compare_value ?? '')}`;
  ctx.setStatus(`Condition ${met ? 'met' : 'not met'}: ${description}`);
  return met;
}

function valid(ctx: ComponentContext, item: unknown): item is Data {
  const key = String(ctx.params.key_name ?? '');
  if (!(item instanceof Data)) {
    ctx.setStatus('Input is not a Data object');
    return false;
  }
  if (!(key in item.data)) {
    ctx.setStatus(`Key '${key}' not found in Data`);
    return false;
  }
  return true;
}

/** Both outputs carry the same value; the branch not taken is stopped. */
function processData(ctx: ComponentContext): Promise<unknown> {
  return ctx.memo('result', () => {
    const input = ctx.params.data_input;
    const items = Array.isArray(input) ? input : [input];
    if (items.length !== 1) {
      const yes: Data[] = [];
      const no: Data[] = [];
      for (const item of items) if (valid(ctx, item)) (matches(ctx, item) ? yes : no).push(item);
      ctx.stop(yes.length > 0 ? 'false_output' : 'true_output');
      return yes.length > 0 ? yes : no;
    }
    const item = items[0];
    if (!valid(ctx, item)) {
      // Langflow stops neither branch here: both outputs carry the error.
      return new Data({ error: String(ctx.params.key_name ?? '') === '' || !(item instanceof Data) ? 'Input is not a Data object' : `Key '${String(ctx.params.key_name)}' not found in Data` });
    }
    ctx.stop(matches(ctx, item) ? 'false_output' : 'true_output');
    return item;
  });
}

export const dataConditionalRouter = defineComponent({
  type: 'DataConditionalRouter',
  displayName: 'Condition',
  description: 'Route Data object(s) based on a condition applied to a specified key, including boolean validation.',
  category: 'flow_controls',
  icon: 'split',
  inputs: [
    { name: 'data_input', displayName: 'Data Input', kind: 'data', inputTypes: ['Data'], list: true },
    { name: 'key_name', displayName: 'Key Name', kind: 'text', default: '', inputTypes: ['Message'] },
    { name: 'operator', displayName: 'Operator', kind: 'text', default: 'equals', options: ['equals', 'not equals', 'contains', 'starts with', 'ends with', 'boolean validator'] },
    { name: 'compare_value', displayName: 'Match Text', kind: 'text', default: '', inputTypes: ['Message'] },
  ],
  outputs: [
    { name: 'true_output', displayName: 'True Output', types: ['Data'], method: 'process_data' },
    { name: 'false_output', displayName: 'False Output', types: ['Data'], method: 'process_data' },
  ],
  compute: {
    true_output: processData,
    false_output: processData,
  },
});
