import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { parseUntrustedJson } from '../../engine/safe-json.js';

/** The MCP SDK loads with the first MCP request: servers nobody reaches over MCP never pay for it. */
async function sdk() {
  const [sse, streamable, types] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/sse.js'),
    import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
    import('@modelcontextprotocol/sdk/types.js'),
  ]);
  return { SSEServerTransport: sse.SSEServerTransport, StreamableHTTPServerTransport: streamable.StreamableHTTPServerTransport, isInitializeRequest: types.isInitializeRequest };
}

export type ServerFactory = () => Server | Promise<Server>;

interface Session {
  /** `<user id>:<project id | global>`: later requests must come from the same user for the same server. */
  owner: string;
  server: Server;
  close(): Promise<void>;
}

interface SseSession extends Session {
  transport: SSEServerTransport;
}

interface StreamableSession extends Session {
  transport: StreamableHTTPServerTransport;
}

const UUID_TEXT = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** The session id of an SSE message POST (`?session_id=`, as Langflow's links, or the TS SDK's `?sessionId=`). */
function sseSessionId(req: IncomingMessage): string | null {
  const url = new URL(req.url ?? '/', 'http://localhost');
  return url.searchParams.get('session_id') ?? url.searchParams.get('sessionId');
}

/**
 * What is wrong with an SSE message's session id before any lookup: missing (400 "session_id is
 * required") or not a UUID (400 "Invalid session ID"), as the Python SDK answers. Telling this says
 * nothing about any session, so routes may answer it before authenticating.
 */
export function sseSessionProblem(req: IncomingMessage): { status: number; detail: string } | null {
  const sessionId = sseSessionId(req);
  if (sessionId === null) return { status: 400, detail: 'session_id is required' };
  if (!UUID_TEXT.test(sessionId)) return { status: 400, detail: 'Invalid session ID' };
  return null;
}

function jsonError(res: ServerResponse, status: number, message: string, jsonRpc = false): void {
  if (res.headersSent) return;
  const body = jsonRpc ? { jsonrpc: '2.0', error: { code: -32000, message }, id: null } : { detail: message };
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * Live MCP connections over Node's raw request/response: legacy SSE (GET opens the stream, POSTs
 * carry `?sessionId=`) and Streamable HTTP (`mcp-session-id` header). A session belongs to the
 * user and server that opened it; anyone else gets 404.
 */
export class McpTransports {
  private readonly sse = new Map<string, SseSession>();
  private readonly streamable = new Map<string, StreamableSession>();

  /** Opens an SSE stream; the client is told to POST to `messageEndpoint?sessionId=...`. */
  async openSse(res: ServerResponse, messageEndpoint: string, owner: string, createServer: ServerFactory): Promise<void> {
    const { SSEServerTransport } = await sdk();
    const transport = new SSEServerTransport(messageEndpoint, res);
    const server = await createServer();
    const session: SseSession = { owner, server, transport, close: () => server.close() };
    this.sse.set(transport.sessionId, session);
    transport.onclose = () => {
      this.sse.delete(transport.sessionId);
    };
    await server.connect(transport);
  }

  /**
   * A message for an open SSE session, from the principal that opened it (as Langflow, the message
   * endpoint authenticates its caller): anyone else gets 404, as for a session that does not exist.
   * `body` is the raw text: the session is checked before the body is read, in the order and with
   * the answers of the Python SDK's SSE transport that Langflow serves (a body that is not JSON is
   * 400 "Could not parse message", not a validation error).
   */
  async postSse(req: IncomingMessage, res: ServerResponse, body: string | undefined, owner: string): Promise<void> {
    const problem = sseSessionProblem(req);
    if (problem) return jsonError(res, problem.status, problem.detail);
    const session = this.sse.get(sseSessionId(req)!);
    if (!session || session.owner !== owner) return jsonError(res, 404, 'Could not find session');
    let message: unknown;
    try {
      message = parseUntrustedJson(body ?? '');
    } catch {
      return jsonError(res, 400, 'Could not parse message');
    }
    await session.transport.handlePostMessage(req, res, message);
  }

  /** GET (server stream), POST (messages) and DELETE (end session) of Streamable HTTP. */
  async handleStreamable(req: IncomingMessage, res: ServerResponse, body: unknown, owner: string, createServer: ServerFactory): Promise<void> {
    const header = req.headers['mcp-session-id'];
    const sessionId = Array.isArray(header) ? header[0] : header;
    if (sessionId) {
      const session = this.streamable.get(sessionId);
      if (!session || session.owner !== owner) return jsonError(res, 404, 'Session not found', true);
      await session.transport.handleRequest(req, res, body);
      return;
    }
    const { StreamableHTTPServerTransport, isInitializeRequest } = await sdk();
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      return jsonError(res, 400, 'Bad Request: No valid session ID provided', true);
    }
    const server = await createServer();
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.streamable.set(id, { owner, server, transport, close: () => server.close() });
      },
      onsessionclosed: (id) => {
        this.streamable.delete(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) this.streamable.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  get openSessions(): number {
    return this.sse.size + this.streamable.size;
  }

  async closeAll(): Promise<void> {
    const sessions = [...this.sse.values(), ...this.streamable.values()];
    this.sse.clear();
    this.streamable.clear();
    await Promise.allSettled(sessions.map((s) => s.close()));
  }
}
