import { defineComponent } from '../../engine/component.js';
import { Message } from '../../engine/schema/message.js';
import { sendMessage } from '../shared/messages.js';

export const chatInput = defineComponent({
  type: 'ChatInput',
  displayName: 'Chat Input',
  description: 'Get chat inputs from the Playground.',
  category: 'input_output',
  icon: 'MessagesSquare',
  role: 'chat-input',
  inputs: [
    { name: 'input_value', displayName: 'Input Text', kind: 'text', default: '', multiline: true, info: 'Message to be passed as input.' },
    { name: 'should_store_message', displayName: 'Store Messages', kind: 'bool', default: true, advanced: true },
    { name: 'sender', displayName: 'Sender Type', kind: 'text', default: 'User', options: ['Machine', 'User'], advanced: true },
    { name: 'sender_name', displayName: 'Sender Name', kind: 'text', default: 'User', inputTypes: ['Message'], advanced: true },
    { name: 'session_id', displayName: 'Session ID', kind: 'text', default: '', inputTypes: ['Message'], advanced: true },
    { name: 'context_id', displayName: 'Context ID', kind: 'text', default: '', inputTypes: ['Message'], advanced: true },
    { name: 'files', displayName: 'Files', kind: 'file', default: [], list: true, advanced: true },
  ],
  outputs: [{ name: 'message', displayName: 'Chat Message', types: ['Message'], method: 'message_response' }],
  compute: {
    message: async (ctx) => {
      const p = ctx.params;
      const files = Array.isArray(p.files) ? (p.files as unknown[]).filter((f): f is string => typeof f === 'string' && f !== '') : [];
      const message = new Message({
        text: String(p.input_value ?? ''),
        sender: String(p.sender || 'User'),
        sender_name: String(p.sender_name || 'User'),
        session_id: String(p.session_id || ctx.run.sessionId),
        context_id: String(p.context_id ?? ''),
        flow_id: ctx.run.flowId,
        files,
      });
      return sendMessage(ctx, message, p.should_store_message !== false);
    },
  },
});
