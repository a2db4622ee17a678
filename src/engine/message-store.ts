import { Message } from './schema/message.js';

export interface MessageQuery {
  sessionId?: string;
  flowId?: string;
  sender?: string;
  senderName?: string;
  contextId?: string;
  limit?: number;
  order?: 'ASC' | 'DESC';
}

/** Where chat messages live. The engine ships an in-memory one; the server adds a database one. */
export interface MessageStore {
  add(message: Message): Promise<Message>;
  update(message: Message): Promise<void>;
  list(query: MessageQuery): Promise<Message[]>;
  delete(id: string): Promise<void>;
}

export class InMemoryMessageStore implements MessageStore {
  private readonly messages: Message[] = [];

  async add(message: Message): Promise<Message> {
    message.ensureId();
    this.messages.push(message.clone());
    return message;
  }

  async update(message: Message): Promise<void> {
    const index = this.messages.findIndex((m) => m.id === message.id);
    if (index >= 0) this.messages[index] = message.clone();
  }

  async list(query: MessageQuery): Promise<Message[]> {
    let found = this.messages.filter(
      (m) =>
        (query.sessionId === undefined || m.session_id === query.sessionId) &&
        (query.flowId === undefined || m.flow_id === query.flowId) &&
        (query.sender === undefined || m.sender === query.sender) &&
        (query.senderName === undefined || m.sender_name === query.senderName) &&
        (query.contextId === undefined || m.context_id === query.contextId),
    );
    // Insertion order is chronological; DESC + limit keeps the newest, as Langflow does.
    if (query.order === 'DESC') found = found.reverse();
    if (query.limit !== undefined) found = found.slice(0, query.limit);
    return found.map((m) => m.clone());
  }

  async delete(id: string): Promise<void> {
    const index = this.messages.findIndex((m) => m.id === id);
    if (index >= 0) this.messages.splice(index, 1);
  }
}

/**
 * The store as one run's components see it: only the running flow's messages. A flow id names one
 * flow of one owner, so a session id chosen by another user (Message History's or the Agent's
 * `session_id`) never reaches that user's chat history, for reading or writing.
 */
class FlowScopedMessageStore implements MessageStore {
  constructor(
    readonly inner: MessageStore,
    private readonly flowId: string,
  ) {}

  add(message: Message): Promise<Message> {
    message.flow_id = this.flowId;
    return this.inner.add(message);
  }

  async update(message: Message): Promise<void> {
    if (message.flow_id === this.flowId) await this.inner.update(message);
  }

  list(query: MessageQuery): Promise<Message[]> {
    return this.inner.list({ ...query, flowId: this.flowId });
  }

  async delete(id: string): Promise<void> {
    // Only a message of this flow; nothing in the engine deletes messages today, so the lookup stays simple.
    if ((await this.inner.list({ flowId: this.flowId })).some((message) => message.id === id)) await this.inner.delete(id);
  }
}

/** `store` scoped to `flowId`; a sub-flow (Run Flow) gets its own flow's scope, not its parent's. */
export function flowScopedMessages(store: MessageStore, flowId: string): MessageStore {
  return new FlowScopedMessageStore(store instanceof FlowScopedMessageStore ? store.inner : store, flowId);
}
