import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

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
   * A message for an open SSE session. `owner` null means the request carried no credentials: the
   * unguessable session id, handed out on the authenticated GET, is then the credential (clients
   * that put `?x-api-key=` on the SSE URL do not repeat it on the message endpoint).
   */
  async postSse(req: IncomingMessage, res: ServerResponse, body: unknown, owner: string | null): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const sessionId = url.searchParams.get('sessionId') ?? url.searchParams.get('session_id');
    if (!sessionId) return jsonError(res, 400, 'Missing sessionId query parameter');
    const session = this.sse.get(sessionId);
    if (!session || (owner !== null && session.owner !== owner)) return jsonError(res, 404, 'Could not find session');
    await session.transport.handlePostMessage(req, res, body);
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
