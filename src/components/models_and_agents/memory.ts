import { defineComponent, type ComponentContext } from '../../engine/component.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { Message } from '../../engine/schema/message.js';
import { storeMessage } from '../shared/memory.js';
import { pyFormat } from '../shared/python-format.js';

async function retrieve(ctx: ComponentContext): Promise<Message[]> {
  return ctx.memo('messages', async () => {
    const p = ctx.params;
    if (p.memory) throw new Error('External memories are not supported by Weft yet; leave External Memory empty.');
    const n = typeof p.n_messages === 'number' ? p.n_messages : 100;
    if (n === 0) return [];
    const senderType = String(p.sender_type || 'Machine and User');
    const stored = await ctx.services.messages.list({
      sessionId: String(p.session_id || ctx.run.sessionId),
      sender: senderType === 'Machine and User' ? undefined : senderType,
      senderName: p.sender_name ? String(p.sender_name) : undefined,
      contextId: p.context_id ? String(p.context_id) : undefined,
      order: p.order === 'Descending' ? 'DESC' : 'ASC',
      limit: 10000,
    });
    // Langflow keeps the last n of the ordered list (so Descending keeps the oldest n).
    return n > 0 ? stored.slice(-n) : stored;
  });
}

function isStore(ctx: ComponentContext): boolean {
  return ctx.params.mode === 'Store';
}

export const memory = defineComponent({
  type: 'Memory',
  displayName: 'Message History',
  description: 'Stores or retrieves stored chat messages from Langflow tables or an external memory.',
  category: 'models_and_agents',
  icon: 'message-square-more',
  inputs: [
    { name: 'mode', displayName: 'Mode', kind: 'text', default: 'Retrieve', options: ['Retrieve', 'Store'] },
    { name: 'message', displayName: 'Message', kind: 'text', default: '', inputTypes: ['Message'], toolMode: true },
    { name: 'memory', displayName: 'External Memory', kind: 'handle', inputTypes: ['Memory'], advanced: true },
    { name: 'sender_type', displayName: 'Sender Type', kind: 'text', default: 'Machine and User', options: ['Machine', 'User', 'Machine and User'], advanced: true },
    { name: 'sender', displayName: 'Sender', kind: 'text', default: '', inputTypes: ['Message'], advanced: true },
    { name: 'sender_name', displayName: 'Sender Name', kind: 'text', default: '', inputTypes: ['Message'], advanced: true },
    { name: 'n_messages', displayName: 'Number of Messages', kind: 'int', default: 100, advanced: true },
    { name: 'session_id', displayName: 'Session ID', kind: 'text', default: '', inputTypes: ['Message'], advanced: true },
    { name: 'context_id', displayName: 'Context ID', kind: 'text', default: '', inputTypes: ['Message'], advanced: true },
    { name: 'order', displayName: 'Order', kind: 'text', default: 'Ascending', options: ['Ascending', 'Descending'], advanced: true },
    { name: 'template', displayName: 'Template', kind: 'text', default: '{sender_name}: {text}', multiline: true, advanced: true },
  ],
  outputs: [
    { name: 'messages_text', displayName: 'Message', types: ['Message'], method: 'retrieve_messages_as_text' },
    { name: 'dataframe', displayName: 'Dataframe', types: ['DataFrame'], method: 'retrieve_messages_dataframe' },
    { name: 'stored_messages', displayName: 'Stored Messages', types: ['Message'], method: 'store_message' },
  ],
  compute: {
    messages_text: async (ctx) => {
      if (isStore(ctx)) return null;
      const template = String(ctx.params.template ?? '');
      const lines = (await retrieve(ctx)).map((m) => {
        const record = m.toRecord();
        return pyFormat(template, { ...record, data: record });
      });
      return new Message({ text: lines.join('\n') });
    },
    dataframe: async (ctx) => (isStore(ctx) ? null : new DataFrame((await retrieve(ctx)).map((m) => m.toRecord()))),
    stored_messages: async (ctx) => (isStore(ctx) ? storeMessage(ctx, ctx.params.message) : null),
  },
});
