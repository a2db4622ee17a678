import type { ComponentContext } from '../../engine/component.js';
import { Message } from '../../engine/schema/message.js';

/** Stores a message in the run's message store as Langflow's Message Store / Message History do. */
export async function storeMessage(ctx: ComponentContext, value: unknown): Promise<Message> {
  const p = ctx.params;
  const message = value instanceof Message ? value.clone() : new Message({ text: typeof value === 'string' ? value : String(value ?? '') });
  message.id = undefined;
  message.context_id = String(p.context_id || message.context_id || '');
  message.session_id = String(p.session_id || message.session_id || ctx.run.sessionId);
  message.sender = String(p.sender || message.sender || 'Machine');
  message.sender_name = String(p.sender_name || message.sender_name || 'AI');
  message.flow_id = ctx.run.flowId;
  await ctx.services.messages.add(message);
  const stored = await ctx.services.messages.list({
    sessionId: message.session_id,
    contextId: message.context_id || undefined,
    senderName: message.sender_name,
    sender: message.sender,
    order: 'DESC',
  });
  if (stored.length === 0) throw new Error('No messages were stored. Please ensure that the session ID and sender are properly set.');
  ctx.setStatus(stored[0]);
  return stored[0];
}
