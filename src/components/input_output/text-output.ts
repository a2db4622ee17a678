import { defineComponent } from '../../engine/component.js';
import { Message } from '../../engine/schema/message.js';

export const textOutput = defineComponent({
  type: 'TextOutput',
  displayName: 'Text Output',
  description: 'Sends text output via API.',
  category: 'input_output',
  icon: 'type',
  role: 'text-output',
  inputs: [{ name: 'input_value', displayName: 'Inputs', kind: 'text', default: '', inputTypes: ['Message'], info: 'Text to be passed as output.' }],
  outputs: [{ name: 'text', displayName: 'Output Text', types: ['Message'], method: 'text_response' }],
  compute: {
    text: (ctx) => {
      const text = String(ctx.params.input_value ?? '');
      ctx.setStatus(text);
      return new Message({ text });
    },
  },
});
