import { defineComponent, type ComponentContext } from '../../engine/component.js';
import { Data } from '../../engine/schema/data.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { Message } from '../../engine/schema/message.js';

interface LoopState {
  items: Data[];
  index: number;
  aggregated: Data[];
  lastFeedback: unknown;
}

interface Pass {
  item: Data | null;
  done: boolean;
}

function toItems(value: unknown): Data[] {
  if (value === null || value === undefined || value === '') return [];
  if (value instanceof DataFrame) return value.toData();
  if (value instanceof Message) return [new Data({ text: value.text })];
  if (value instanceof Data) return [value];
  if (Array.isArray(value)) return value.flatMap(toItems);
  throw new Error("The 'data' input must be a DataFrame, a list of Data/Message objects, or a single Data/Message object.");
}

function asData(value: unknown): Data | null {
  if (value instanceof Message) return new Data({ text: value.text });
  if (value instanceof Data) return value;
  if (value instanceof DataFrame) return new Data({ results: value.rows });
  if (value && typeof value === 'object' && !Array.isArray(value)) return new Data({ ...(value as Record<string, unknown>) });
  return null;
}

/**
 * One pass of the loop, computed once per build: collects the value the body fed back for the
 * previous item, then either hands out the next item or reports that the items are exhausted.
 */
function step(ctx: ComponentContext): Promise<Pass> {
  return ctx.memo('pass', () => {
    let state = ctx.vertexState.get('loop') as LoopState | undefined;
    if (!state) {
      state = { items: toItems(ctx.params.data), index: 0, aggregated: [], lastFeedback: undefined };
      ctx.vertexState.set('loop', state);
    }
    const feedback = ctx.loopFeedback('item');
    if (state.index > 0 && feedback !== undefined && feedback !== state.lastFeedback) {
      state.lastFeedback = feedback;
      const data = asData(feedback);
      if (data) state.aggregated.push(data);
    }
    if (state.index >= state.items.length) {
      ctx.stop('item');
      return { item: null, done: true };
    }
    const item = state.items[state.index++];
    ctx.stop('done');
    return { item, done: false };
  });
}

export const loop = defineComponent({
  type: 'LoopComponent',
  displayName: 'Loop',
  description: 'Iterates over a list of Data objects, outputting one item at a time and aggregating results from loop inputs.',
  category: 'flow_controls',
  icon: 'infinity',
  cycleDriver: true,
  inputs: [{ name: 'data', displayName: 'Inputs', kind: 'handle', inputTypes: ['DataFrame', 'Data', 'Message'], info: 'The initial DataFrame to iterate over.' }],
  outputs: [
    { name: 'item', displayName: 'Item', types: ['Data'], method: 'item_output', allowsLoop: true, groupOutputs: true },
    { name: 'done', displayName: 'Done', types: ['DataFrame'], method: 'done_output', groupOutputs: true },
  ],
  compute: {
    item: async (ctx) => (await step(ctx)).item ?? new Data({ text: '' }),
    done: async (ctx) => {
      const pass = await step(ctx);
      if (!pass.done) return new DataFrame([]);
      const state = ctx.vertexState.get('loop') as LoopState;
      const frame = DataFrame.fromData(state.aggregated);
      ctx.setStatus(frame);
      return frame;
    },
  },
});
