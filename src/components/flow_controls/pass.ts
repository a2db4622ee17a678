import { defineComponent } from '../../engine/component.js';
import { Message } from '../../engine/schema/message.js';

export const pass = defineComponent({
  type: 'Pass',
  displayName: 'Pass',
  description: 'Forwards the input message, unchanged.',
  category: 'flow_controls',
  icon: 'arrow-right',
  inputs: [
    { name: 'input_message', displayName: 'Input Message', kind: 'message', inputTypes: ['Message'], required: true },
    { name: 'ignored_message', displayName: 'Ignored Message', kind: 'message', inputTypes: ['Message'], advanced: true },
  ],
  outputs: [{ name: 'output_message', displayName: 'Output Message', types: ['Message'], method: 'pass_message' }],
  compute: {
    output_message: (ctx) => {
      const message = (ctx.params.input_message as Message | null) ?? new Message();
      ctx.setStatus(message);
      return message;
    },
  },
});
