import { defineComponent } from '../../engine/component.js';
import { Data } from '../../engine/schema/data.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { Message } from '../../engine/schema/message.js';
import { dataFrameToMarkdown, toText } from '../../engine/schema/convert.js';
import { sendMessage } from '../shared/messages.js';

function render(value: unknown, template: string, cleanData: boolean): string {
  if (value instanceof Data) {
    if (!template || template === '{text}') return value.text;
    return template.replace(/\{(\w+)\}/g, (_, key: string) => toText(value.data[key]));
  }
  if (value instanceof DataFrame) {
    const rows = cleanData ? value.rows.filter((row) => Object.values(row).some((v) => v !== null && v !== '')) : value.rows;
    return dataFrameToMarkdown(new DataFrame(rows));
  }
  if (Array.isArray(value)) return value.map((v) => render(v, template, cleanData)).join('\n');
  return toText(value);
}

export const chatOutput = defineComponent({
  type: 'ChatOutput',
  displayName: 'Chat Output',
  description: 'Display a chat message in the Playground.',
  category: 'input_output',
  icon: 'MessagesSquare',
  role: 'chat-output',
  inputs: [
    { name: 'input_value', displayName: 'Inputs', kind: 'handle', inputTypes: ['Data', 'DataFrame', 'Message'], required: true },
    { name: 'should_store_message', displayName: 'Store Messages', kind: 'bool', default: true, advanced: true },
    { name: 'sender', displayName: 'Sender Type', kind: 'text', default: 'Machine', options: ['Machine', 'User'], advanced: true },
    { name: 'sender_name', displayName: 'Sender Name', kind: 'text', default: 'AI', inputTypes: ['Message'], advanced: true },
    { name: 'session_id', displayName: 'Session ID', kind: 'text', default: '', inputTypes: ['Message'], advanced: true },
    { name: 'context_id', displayName: 'Context ID', kind: 'text', default: '', inputTypes: ['Message'], advanced: true },
    { name: 'data_template', displayName: 'Data Template', kind: 'text', default: '{text}', inputTypes: ['Message'], advanced: true },
    { name: 'clean_data', displayName: 'Basic Clean Data', kind: 'bool', default: true, advanced: true },
  ],
  outputs: [{ name: 'message', displayName: 'Output Message', types: ['Message'], method: 'message_response' }],
  compute: {
    message: async (ctx) => {
      const p = ctx.params;
      const input = p.input_value;
      if (input === null || input === undefined) throw new Error('Input data cannot be None');
      const source = ctx.sourceOf('input_value');
      const incoming = input instanceof Message ? input : null;
      const message = new Message({
        text: incoming ? incoming.text : render(input, String(p.data_template ?? '{text}'), p.clean_data !== false),
        sender: String(p.sender || 'Machine'),
        sender_name: String(p.sender_name || 'AI'),
        session_id: String(p.session_id || incoming?.session_id || ctx.run.sessionId),
        context_id: String(p.context_id || incoming?.context_id || ''),
        flow_id: ctx.run.flowId,
        files: incoming?.files ?? [],
        properties: {
          source: { id: source?.id ?? null, display_name: source?.displayName ?? null, source: source?.source ?? null },
          icon: incoming?.properties.icon ?? '',
        },
        content_blocks: incoming?.content_blocks ?? [],
      });
      if (incoming?.stream) {
        message.stream = incoming.stream;
        incoming.stream = null;
      }
      return sendMessage(ctx, message, p.should_store_message !== false);
    },
  },
});
