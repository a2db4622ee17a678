import { Message, type ContentBlock, type MessageProperties } from '../../../engine/schema/message.js';
import type { MessageQuery, MessageStore } from '../../../engine/message-store.js';
import { nowIso, toIso } from '../codec.js';
import { messageFromRow, messageToRow, type MessageRecord } from './messages.js';
import type { Db } from './types.js';

/**
 * Message timestamps have one-second resolution, but chat history must keep insertion order within a
 * second. A freshly stamped message (second resolution, stamped within the last minute) is stored with
 * the moment it is stored (strictly increasing); older or precise timestamps (imports) are kept as given.
 */
const FRESH_WINDOW_MS = 60_000;

function storedTimestamp(timestamp: string): string {
  const iso = toIso(timestamp);
  const stamped = Date.parse(iso);
  const age = Date.now() - stamped;
  return stamped % 1000 === 0 && age >= 0 && age < FRESH_WINDOW_MS ? nowIso() : iso;
}

function recordOf(message: Message, id: string): MessageRecord {
  return {
    id,
    flow_id: message.flow_id,
    timestamp: message.timestamp,
    sender: message.sender,
    sender_name: message.sender_name,
    session_id: message.session_id,
    context_id: message.context_id || null,
    text: message.text,
    files: message.files,
    error: message.error,
    edit: message.edit,
    properties: message.properties,
    category: message.category,
    content_blocks: message.content_blocks as unknown as Record<string, unknown>[],
  };
}

function messageOf(record: MessageRecord): Message {
  return new Message({
    ...record,
    context_id: record.context_id ?? '',
    properties: record.properties as Partial<MessageProperties>,
    content_blocks: record.content_blocks as unknown as ContentBlock[],
  });
}

type MessageRow = ReturnType<typeof messageToRow>;

interface PendingInsert {
  row: MessageRow;
  done: (error?: unknown) => void;
}

/** The engine's `MessageStore` over the `message` table (the engine scopes by flow and session). */
export class DatabaseMessageStore implements MessageStore {
  /** Inserts asked for in this turn of the event loop, written as one statement (a group commit). */
  private pending: PendingInsert[] = [];

  constructor(private readonly db: Db) {}

  /** Resolves once the message is in the database: concurrent runs share one INSERT, none is deferred. */
  async add(message: Message): Promise<Message> {
    const row = { ...messageToRow(recordOf(message, message.ensureId())), timestamp: storedTimestamp(message.timestamp) };
    await new Promise<void>((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => void this.insertPending());
      this.pending.push({ row, done: (error) => (error === undefined ? resolve() : reject(error)) });
    });
    return message;
  }

  private async insertPending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    try {
      await this.db.insertInto('message').values(batch.map((p) => p.row)).execute();
      for (const insert of batch) insert.done();
    } catch (error) {
      if (batch.length === 1) return batch[0].done(error);
      // One bad row must not fail the others: each is tried on its own.
      for (const insert of batch) {
        await this.db.insertInto('message').values(insert.row).execute().then(() => insert.done(), (rowError: unknown) => insert.done(rowError ?? new Error('insert failed')));
      }
    }
  }

  async update(message: Message): Promise<void> {
    if (!message.id) return;
    const { id, timestamp: _timestamp, ...columns } = messageToRow(recordOf(message, message.id));
    await this.db.updateTable('message').set(columns).where('id', '=', id).execute();
  }

  async list(query: MessageQuery): Promise<Message[]> {
    let select = this.db.selectFrom('message').selectAll();
    if (query.flowId !== undefined) select = select.where('flow_id', '=', query.flowId);
    if (query.sessionId !== undefined) select = select.where('session_id', '=', query.sessionId);
    if (query.sender !== undefined) select = select.where('sender', '=', query.sender);
    if (query.senderName !== undefined) select = select.where('sender_name', '=', query.senderName);
    if (query.contextId !== undefined) select = select.where('context_id', '=', query.contextId);
    select = select.orderBy('timestamp', query.order === 'DESC' ? 'desc' : 'asc');
    if (query.limit !== undefined) select = select.limit(query.limit);
    return (await select.execute()).map((row) => messageOf(messageFromRow(row)));
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('message').where('id', '=', id).execute();
  }
}
