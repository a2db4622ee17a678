import { defineComponent } from '../../engine/component.js';
import { storeMessage } from '../shared/memory.js';

export const storeMessageComponent = defineComponent({
  type: 'StoreMessage',
  displayName: 'Message Store',
  description: 'Stores a chat message or text into Langflow tables or an external memory.',
  category: 'processing',
  icon: 'message-square-text',
  inputs: [
    { name: 'message', displayName: 'Message', kind: 'text', default: '', inputTypes: ['Message'], required: true },
    { name: 'memory', displayName: 'External Memory', kind: 'handle', inputTypes: ['Memory'], advanced: true },
    { name: 'sender', displayName: 'Sender', kind: 'text', default: '', inputTypes: ['Message'], advanced: true },
    { name: 'sender_name', displayName: 'Sender Name', kind: 'text', default: '', inputTypes: ['Message'], advanced: true },
    { name: 'session_id', displayName: 'Session ID', kind: 'text', default: '', inputTypes: ['Message'], advanced: true },
    { name: 'context_id', displayName: 'Context ID', kind: 'text', default: '', inputTypes: ['Message'], advanced: true },
  ],
  outputs: [{ name: 'stored_messages', displayName: 'Stored Messages', types: ['Message'], method: 'store_message' }],
  compute: {
    stored_messages: (ctx) => {
      if (ctx.params.memory) throw new Error('External memories are not supported by Weft yet; leave External Memory empty.');
      return storeMessage(ctx, ctx.params.message);
    },
  },
});
