// The chat of the playground, folded from the same build event stream the canvas reads: `add_message`
// adds or replaces a message, `token` appends a streamed chunk to its message, `remove_message` drops
// one, `error` (Langflow's ErrorMessage) becomes an error message in the chat. Pure: the runner feeds
// events in, the chat draws the list.
import type { BuildEvent } from '../editor/run-state';

export interface ChatMessage {
  id: string;
  text: string;
  sender: string;
  sender_name: string;
  session_id: string;
  timestamp?: string;
  files: string[];
  error?: boolean;
  edit?: boolean;
  category?: string;
  properties?: { state?: string; edited?: boolean; [key: string]: unknown };
  /** Shown before the server confirmed it (the user's own message, just sent). */
  local?: boolean;
  /** A streamed message still receiving tokens. */
  streaming?: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);

/** A message as the API or an event gives it, in the chat's shape (null when it has no id). */
export function toChatMessage(raw: unknown, fallbackId?: string): ChatMessage | null {
  if (!isRecord(raw)) return null;
  const id = str(raw.id) || fallbackId;
  if (!id) return null;
  const properties = isRecord(raw.properties) ? (raw.properties as ChatMessage['properties']) : undefined;
  return {
    id,
    text: typeof raw.text === 'string' ? raw.text : raw.text === null || raw.text === undefined ? '' : JSON.stringify(raw.text),
    sender: str(raw.sender, 'Machine'),
    sender_name: str(raw.sender_name, str(raw.sender, 'AI')),
    session_id: str(raw.session_id),
    timestamp: str(raw.timestamp) || undefined,
    files: Array.isArray(raw.files) ? raw.files.filter((f): f is string => typeof f === 'string') : [],
    error: raw.error === true,
    edit: raw.edit === true,
    category: str(raw.category) || undefined,
    properties,
    streaming: properties?.state === 'partial',
  };
}

export const isUser = (message: ChatMessage): boolean => message.sender === 'User';

let errorCount = 0;

/** The chat after one build event. Events that are not about messages change nothing. */
export function applyChatEvent(messages: ChatMessage[], { event, data }: BuildEvent): ChatMessage[] {
  switch (event) {
    case 'add_message': {
      const message = toChatMessage(data);
      if (!message) return messages;
      const at = messages.findIndex((m) => m.id === message.id);
      if (at >= 0) {
        const next = messages.slice();
        // A re-sent streaming message keeps the text its tokens already built.
        next[at] = { ...message, text: message.text || (message.streaming ? messages[at].text : message.text) };
        return next;
      }
      // The server's copy of the user's message replaces the one shown while sending.
      const local = isUser(message) ? messages.findIndex((m) => m.local && isUser(m)) : -1;
      if (local >= 0) return messages.map((m, i) => (i === local ? message : m));
      return [...messages, message];
    }
    case 'token': {
      if (!isRecord(data)) return messages;
      const id = str(data.id);
      const chunk = str(data.chunk);
      if (!id) return messages;
      const at = messages.findIndex((m) => m.id === id);
      if (at < 0) return [...messages, { id, text: chunk, sender: 'Machine', sender_name: 'AI', session_id: '', files: [], streaming: true }];
      const next = messages.slice();
      next[at] = { ...next[at], text: next[at].text + chunk, streaming: true };
      return next;
    }
    case 'remove_message': {
      const id = isRecord(data) ? str(data.id) : '';
      return id ? messages.filter((m) => m.id !== id) : messages;
    }
    case 'error': {
      if (isRecord(data) && data.cancelled === true) return messages;
      const text = isRecord(data) ? str(data.text) || str(data.error) || 'The run failed' : 'The run failed';
      const message = toChatMessage(data, `error-${++errorCount}`) ?? { id: `error-${errorCount}`, text, sender: 'Machine', sender_name: 'Flow', session_id: '', files: [] };
      return [...messages.map(done), { ...message, text, error: true, category: 'error', streaming: false }];
    }
    case 'end':
      return messages.map(done);
    default:
      return messages;
  }
}

function done(message: ChatMessage): ChatMessage {
  return message.streaming ? { ...message, streaming: false } : message;
}

/** The user's message as shown while it is being sent. */
export function localUserMessage(text: string, sessionId: string, files: string[]): ChatMessage {
  return { id: `local-${Date.now()}`, text, sender: 'User', sender_name: 'User', session_id: sessionId, files, local: true };
}

/** A failed component's error (`end_vertex` with valid false), for runs that end without an `error` event. */
export function failedVertexError(data: unknown): string | null {
  if (!isRecord(data) || !isRecord(data.build_data) || data.build_data.valid !== false) return null;
  return str(data.build_data.params) || 'The component failed';
}
