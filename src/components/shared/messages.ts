import type { ComponentContext } from '../../engine/component.js';
import { Message } from '../../engine/schema/message.js';
import { langflowTimestamp } from '../../engine/schema/time.js';

/**
 * Stores a chat message (when it has a session and storing is on) and announces it with
 * `add_message`; a pending token stream is forwarded as `token` events, the message kept
 * `partial` until the last token, as Langflow's playground expects.
 */
export async function sendMessage(ctx: ComponentContext, message: Message, store: boolean): Promise<Message> {
  message.flow_id ??= ctx.run.flowId;
  message.ensureId();
  const persist = store && message.session_id !== '';
  if (!message.stream) {
    if (persist) await ctx.services.messages.add(message);
    ctx.emit({ event: 'add_message', data: message.toRecord() });
    return message;
  }
  message.properties.state = 'partial';
  if (persist) await ctx.services.messages.add(message);
  ctx.emit({ event: 'add_message', data: message.toRecord() });
  const id = message.id!;
  await message.drain((chunk) => {
    ctx.signal.throwIfAborted();
    ctx.emit({ event: 'token', data: { chunk, id, timestamp: langflowTimestamp() } });
  });
  message.properties.state = 'complete';
  if (persist) await ctx.services.messages.update(message);
  return message;
}
