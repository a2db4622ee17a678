import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { maskSecrets } from '../../engine/index.js';
import type { MessagePatch, MessageRecord, TransactionRecord } from '../../services/database/index.js';
import { currentUser, type ApiContext } from '../context.js';
import { HttpError, notFound } from '../errors.js';
import { IdList, Uuid } from '../schemas.js';

const FlowQuery = Type.Object({ flow_id: Uuid });
type FlowQuery = Static<typeof FlowQuery>;
const SessionsQuery = Type.Object({ flow_id: Type.Optional(Uuid) });
type SessionsQuery = Static<typeof SessionsQuery>;
const MessagesQuery = Type.Object({
  flow_id: Type.Optional(Uuid),
  session_id: Type.Optional(Type.String()),
  sender: Type.Optional(Type.String()),
  sender_name: Type.Optional(Type.String()),
  order_by: Type.String({ default: 'timestamp' }),
});
type MessagesQuery = Static<typeof MessagesQuery>;
const MessageIdParams = Type.Object({ message_id: Uuid });
type MessageIdParams = Static<typeof MessageIdParams>;
const NullableString = Type.Union([Type.String(), Type.Null()]);
const MessageUpdate = Type.Object(
  {
    text: Type.Optional(NullableString),
    sender: Type.Optional(NullableString),
    sender_name: Type.Optional(NullableString),
    session_id: Type.Optional(NullableString),
    context_id: Type.Optional(NullableString),
    files: Type.Optional(Type.Union([Type.Array(Type.String()), Type.Null()])),
    edit: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    error: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    properties: Type.Optional(Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()])),
  },
  { additionalProperties: true },
);
type MessageUpdate = Static<typeof MessageUpdate>;
const OldSessionParams = Type.Object({ old_session_id: Type.String() });
const NewSessionQuery = Type.Object({ new_session_id: Type.String() });
const SessionParams = Type.Object({ session_id: Type.String() });
const TransactionsQuery = Type.Object({
  flow_id: Uuid,
  page: Type.Integer({ minimum: 1, default: 1 }),
  size: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
});
type TransactionsQuery = Static<typeof TransactionsQuery>;

/** Message columns `order_by` may name (Langflow: any MessageTable attribute), all ascending. */
const ORDERABLE: ReadonlySet<string> = new Set(['timestamp', 'id', 'flow_id', 'sender', 'sender_name', 'session_id', 'context_id', 'text', 'category', 'error', 'edit']);

function compareBy(field: string) {
  return (a: MessageRecord, b: MessageRecord): number => {
    const left = (a as unknown as Record<string, unknown>)[field];
    const right = (b as unknown as Record<string, unknown>)[field];
    if (left === right) return 0;
    if (left === null || left === undefined) return -1;
    if (right === null || right === undefined) return 1;
    return String(left) < String(right) ? -1 : 1;
  };
}

/** Langflow's TransactionLogsResponse: the row without `error` and `flow_id`. */
function transactionLog(row: TransactionRecord) {
  // Masked again on the way out, as Langflow's response model does (a stored `sk-p...wxyz` reads `***REDACTED***`).
  return { id: row.id, timestamp: row.timestamp, vertex_id: row.vertex_id, target_id: row.target_id, inputs: maskSecrets(row.inputs), outputs: maskSecrets(row.outputs), status: row.status };
}

/**
 * `/api/v1/monitor`: vertex builds, chat messages and transactions of the caller's flows. A flow,
 * message or session of another user is invisible: 404 where one is named, absent from lists.
 */
export async function monitorRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const { messages, vertexBuilds, transactions } = ctx.database;
  const tags = ['Monitor'];
  const user = { preHandler: ctx.auth.userPreHandler };

  app.get<{ Querystring: FlowQuery }>('/api/v1/monitor/builds', { ...user, schema: { tags, querystring: FlowQuery } }, async (request) => {
    // The repositories only read the caller's flows: an unknown, deleted or foreign flow is an empty
    // answer, as in Langflow (which avoids telling whether the flow exists).
    const caller = currentUser(request);
    return { vertex_builds: await vertexBuilds.listByFlow(request.query.flow_id, caller.id) };
  });

  app.delete<{ Querystring: FlowQuery }>('/api/v1/monitor/builds', { ...user, schema: { tags, querystring: FlowQuery } }, async (request, reply) => {
    const caller = currentUser(request);
    await vertexBuilds.deleteByFlow(request.query.flow_id, caller.id);
    return reply.code(204).send();
  });

  app.get<{ Querystring: SessionsQuery }>('/api/v1/monitor/messages/sessions', { ...user, schema: { tags, querystring: SessionsQuery } }, async (request) => {
    return messages.sessionsForUser(currentUser(request).id, request.query.flow_id);
  });

  app.get<{ Querystring: MessagesQuery }>('/api/v1/monitor/messages', { ...user, schema: { tags, querystring: MessagesQuery } }, async (request) => {
    const { flow_id: flowId, session_id: sessionId, sender, sender_name: senderName, order_by: orderBy } = request.query;
    if (orderBy && !ORDERABLE.has(orderBy)) throw new HttpError(400, `Cannot order messages by ${orderBy}`);
    const found = await messages.listForUser(currentUser(request).id, {
      ...(flowId ? { flowId } : {}),
      // Langflow unquotes the session id once more (clients that double-encode it).
      ...(sessionId ? { sessionId: safeUnquote(sessionId) } : {}),
      ...(sender ? { sender } : {}),
      ...(senderName ? { senderName } : {}),
    });
    if (orderBy && orderBy !== 'timestamp') found.sort(compareBy(orderBy));
    return found;
  });

  app.delete<{ Body: Static<typeof IdList> }>('/api/v1/monitor/messages', { ...user, schema: { tags, body: IdList } }, async (request, reply) => {
    await messages.deleteForUser(request.body, currentUser(request).id);
    return reply.code(204).send();
  });

  app.put<{ Params: MessageIdParams; Body: MessageUpdate }>(
    '/api/v1/monitor/messages/:message_id',
    { ...user, schema: { tags, params: MessageIdParams, body: MessageUpdate } },
    async (request) => {
      const body = request.body;
      // As Langflow: unset and null fields are left alone.
      const patch: MessagePatch = {};
      if (typeof body.text === 'string') patch.text = body.text;
      if (typeof body.sender === 'string') patch.sender = body.sender;
      if (typeof body.sender_name === 'string') patch.sender_name = body.sender_name;
      if (typeof body.session_id === 'string') patch.session_id = body.session_id;
      if (Array.isArray(body.files)) patch.files = body.files;
      if (typeof body.error === 'boolean') patch.error = body.error;
      if (body.properties) patch.properties = body.properties;
      const updated = await messages.updateForUser(request.params.message_id, currentUser(request).id, patch);
      if (!updated) throw notFound('Message not found');
      return updated;
    },
  );

  app.patch<{ Params: Static<typeof OldSessionParams>; Querystring: Static<typeof NewSessionQuery> }>(
    '/api/v1/monitor/messages/session/:old_session_id',
    { ...user, schema: { tags, params: OldSessionParams, querystring: NewSessionQuery } },
    async (request) => {
      const caller = currentUser(request);
      const existing = await messages.listForUser(caller.id, { sessionId: request.params.old_session_id, limit: 1 });
      if (existing.length === 0) throw notFound('No messages found with the given session ID');
      return messages.renameSession(caller.id, request.params.old_session_id, request.query.new_session_id);
    },
  );

  app.delete<{ Params: Static<typeof SessionParams> }>(
    '/api/v1/monitor/messages/session/:session_id',
    { ...user, schema: { tags, params: SessionParams } },
    async (request, reply) => {
      await messages.deleteSession(currentUser(request).id, request.params.session_id);
      return reply.code(204).send();
    },
  );

  app.get<{ Querystring: TransactionsQuery }>('/api/v1/monitor/transactions', { ...user, schema: { tags, querystring: TransactionsQuery } }, async (request) => {
    const caller = currentUser(request);
    const { flow_id: flowId, page, size } = request.query;
    const result = await transactions.listByFlow(flowId, caller.id, { page, size });
    // Langflow answers an unknown, deleted or foreign flow with an empty first page.
    if (result.total === 0) return { items: [], total: 0, page: 1, size, pages: 0 };
    return { ...result, items: result.items.map(transactionLog) };
  });
}

function safeUnquote(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
