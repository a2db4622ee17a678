import { defineComponent } from '../../engine/component.js';
import { Message } from '../../engine/schema/message.js';

export const combineText = defineComponent({
  type: 'CombineText',
  displayName: 'Combine Text',
  description: 'Concatenate two text sources into a single text chunk using a specified delimiter.',
  category: 'processing',
  icon: 'merge',
  inputs: [
    { name: 'text1', displayName: 'First Text', kind: 'text', default: '', inputTypes: ['Message'] },
    { name: 'text2', displayName: 'Second Text', kind: 'text', default: '', inputTypes: ['Message'] },
    { name: 'delimiter', displayName: 'Delimiter', kind: 'text', default: ' ', inputTypes: ['Message'] },
  ],
  outputs: [{ name: 'combined_text', displayName: 'Combined Text', types: ['Message'], method: 'combine_texts' }],
  compute: {
    combined_text: (ctx) => {
      const p = ctx.params;
      const text = [String(p.text1 ?? ''), String(p.text2 ?? '')].join(String(p.delimiter ?? ''));
      ctx.setStatus(text);
      return new Message({ text });
    },
  },
});
