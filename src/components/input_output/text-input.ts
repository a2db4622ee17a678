import { defineComponent } from '../../engine/component.js';
import { Message } from '../../engine/schema/message.js';

export const textInput = defineComponent({
  type: 'TextInput',
  displayName: 'Text Input',
  description: 'Get user text inputs.',
  category: 'input_output',
  icon: 'type',
  role: 'text-input',
  inputs: [{ name: 'input_value', displayName: 'Text', kind: 'text', default: '', multiline: true, info: 'Text to be passed as input.' }],
  outputs: [{ name: 'text', displayName: 'Output Text', types: ['Message'], method: 'text_response' }],
  compute: {
    text: (ctx) => new Message({ text: String(ctx.params.input_value ?? '') }),
  },
});
