import { randomUUID } from 'node:crypto';
import { defineComponent } from '../../engine/component.js';
import { Message } from '../../engine/schema/message.js';

export const idGenerator = defineComponent({
  type: 'IDGenerator',
  displayName: 'ID Generator',
  description: 'Generates a unique ID.',
  category: 'utilities',
  icon: 'fingerprint',
  inputs: [{ name: 'unique_id', displayName: 'Value', kind: 'text', default: '', info: 'The generated unique ID.' }],
  outputs: [{ name: 'id', displayName: 'ID', types: ['Message'], method: 'generate_id' }],
  compute: {
    id: (ctx) => {
      const id = String(ctx.params.unique_id || randomUUID());
      ctx.setStatus(id);
      return new Message({ text: id });
    },
  },
});
