import type { Insertable, Selectable } from 'kysely';
import { fromBit, fromJson, toBit, toIso, toLangflowTimestamp } from '../codec.js';
import type { MessageTable } from '../schema.js';
import type { Db } from './types.js';

/** Langflow's MessageResponse shape. */
export interface MessageRecord {
  id: string;
  flow_id: string | null;
  timestamp: string;
  sender: string | null;
  sender_name: string | null;
  session_id: string;
  context_id: string | null;
  text: string;
  files: string[];
  error: boolean;
  edit: boolean;
  properties: Record<string, unknown>;
  category: string;
  content_blocks: Record<string, unknown>[];
}

export interface MessageFilter {
  flowId?: string;
  sessionId?: string;
  sender?: string;
  senderName?: string;
  contextId?: string;
  order?: 'ASC' | 'DESC';
  limit?: number;
}

export interface MessagePatch {
  text?: string;
  sender?: string;
  sender_name?: string;
  session_id?: string;
  files?: string[];
  error?: boolean;
  properties?: Record<string, unknown>;
  category?: string;
  content_blocks?: Record<string, unknown>[];
}

export function messageFromRow(row: Selectable<MessageTable>): MessageRecord {
  return {
    ...row,
    timestamp: toLangflowTimestamp(row.timestamp),
    files: fromJson<string[]>(row.files, []),
    error: fromBit(row.error),
    edit: fromBit(row.edit),
    properties: fromJson<Record<string, unknown>>(row.properties, {}),
    content_blocks: fromJson<Record<string, unknown>[]>(row.content_blocks, []),
  };
}

export function messageToRow(message: MessageRecord): Insertable<MessageTable> {
  return {
    ...message,
    timestamp: toIso(message.timestamp),
    files: JSON.stringify(message.files),
    error: toBit(message.error),
    edit: toBit(message.edit),
    properties: JSON.stringify(message.properties),
    content_blocks: JSON.stringify(message.content_blocks),
  };
}

/** Monitor access to chat messages; every read and write is limited to messages of the user's flows. */
export class MessagesRepository {
  constructor(private readonly db: Db) {}

  private ofUser(userId: string) {
    return this.db
      .selectFrom('message')
      .where('flow_id', 'in', this.db.selectFrom('flow').select('id').where('user_id', '=', userId));
  }

  private userFlowIds(userId: string) {
    return this.db.selectFrom('flow').select('id').where('user_id', '=', userId);
  }

  async listForUser(userId: string, filter: MessageFilter = {}): Promise<MessageRecord[]> {
    let query = this.ofUser(userId).selectAll();
    if (filter.flowId !== undefined) query = query.where('flow_id', '=', filter.flowId);
    if (filter.sessionId !== undefined) query = query.where('session_id', '=', filter.sessionId);
    if (filter.sender !== undefined) query = query.where('sender', '=', filter.sender);
    if (filter.senderName !== undefined) query = query.where('sender_name', '=', filter.senderName);
    if (filter.contextId !== undefined) query = query.where('context_id', '=', filter.contextId);
    const order = filter.order === 'DESC' ? 'desc' : 'asc';
    query = query.orderBy('timestamp', order);
    if (filter.limit !== undefined) query = query.limit(filter.limit);
    return (await query.execute()).map(messageFromRow);
  }

  /** Distinct session ids of the user's flows (optionally one flow), oldest first. */
  async sessionsForUser(userId: string, flowId?: string): Promise<string[]> {
    let query = this.ofUser(userId).select('session_id').select((eb) => eb.fn.min('timestamp').as('first_at')).groupBy('session_id');
    if (flowId !== undefined) query = query.where('flow_id', '=', flowId);
    const rows = await query.orderBy('first_at').execute();
    return rows.map((r) => r.session_id);
  }

  async getForUser(id: string, userId: string): Promise<MessageRecord | undefined> {
    const row = await this.ofUser(userId).selectAll().where('id', '=', id).executeTakeFirst();
    return row && messageFromRow(row);
  }

  /** As Langflow's PUT /monitor/messages/{id}: a changed text marks the message edited. */
  async updateForUser(id: string, userId: string, patch: MessagePatch): Promise<MessageRecord | undefined> {
    const current = await this.getForUser(id, userId);
    if (!current) return undefined;
    const textChanged = patch.text !== undefined && patch.text !== current.text;
    const updated: MessageRecord = { ...current, ...patch, edit: current.edit || textChanged };
    const { id: _id, ...columns } = messageToRow(updated);
    await this.db.updateTable('message').set(columns).where('id', '=', id).execute();
    return updated;
  }

  async deleteForUser(ids: string[], userId: string): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.db
      .deleteFrom('message')
      .where('id', 'in', ids)
      .where('flow_id', 'in', this.userFlowIds(userId))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Moves the user's messages of one session to another session id; returns the moved messages. */
  async renameSession(userId: string, oldSessionId: string, newSessionId: string): Promise<MessageRecord[]> {
    await this.db
      .updateTable('message')
      .set({ session_id: newSessionId })
      .where('session_id', '=', oldSessionId)
      .where('flow_id', 'in', this.userFlowIds(userId))
      .execute();
    return this.listForUser(userId, { sessionId: newSessionId });
  }

  async deleteSession(userId: string, sessionId: string): Promise<number> {
    const result = await this.db
      .deleteFrom('message')
      .where('session_id', '=', sessionId)
      .where('flow_id', 'in', this.userFlowIds(userId))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
