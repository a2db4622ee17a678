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
