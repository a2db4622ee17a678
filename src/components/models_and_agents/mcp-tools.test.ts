import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { FlowBuilder } from '../../../test-utils/flow-builder.js';
import { startStandin, type LlmStandin } from '../../../test-utils/llm-standin.js';
import { repoRoot } from '../../../test-utils/paths.js';
import { runFlow } from '../../engine/run.js';
import { createRegistry } from '../registry.js';

const registry = createRegistry();
let http: Server;
let mcpUrl: string;
let standin: LlmStandin;
let scriptDir: string;

function mcpServer(): McpServer {
  const server = new McpServer({ name: 'test-server', version: '1.0.0' });
  server.registerTool('add', { description: 'Add two numbers', inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => ({
    content: [{ type: 'text', text: String(a + b) }],
  }));
  server.registerTool('shout', { description: 'Upper-case a text', inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: 'text', text: text.toUpperCase() }],
  }));
  return server;
}

before(async () => {
  http = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    const server = mcpServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  mcpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  standin = await startStandin();
  scriptDir = mkdtempSync(join(tmpdir(), 'weft-mcp-'));
  const sdk = (path: string) => pathToFileURL(join(repoRoot, 'node_modules', '@modelcontextprotocol', 'sdk', 'dist', 'esm', path)).href;
  const zod = pathToFileURL(join(repoRoot, 'node_modules', 'zod', 'index.js')).href;
  writeFileSync(
    join(scriptDir, 'server.mjs'),
    `import { McpServer } from '${sdk('server/mcp.js')}';
import { StdioServerTransport } from '${sdk('server/stdio.js')}';
import { z } from '${zod}';
const server = new McpServer({ name: 'stdio-server', version: '1.0.0' });
server.registerTool('greet', { description: 'Greets someone', inputSchema: { name: z.string() } }, async ({ name }) => ({ content: [{ type: 'text', text: 'Hello, ' + name + '!' }] }));
await server.connect(new StdioServerTransport());
`,
  );
});

after(async () => {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  await standin.close();
  rmSync(scriptDir, { recursive: true, force: true });
});

test('MCPTools over streamable HTTP calls the selected tool with the node args -> DataFrame', async () => {
  const flow = new FlowBuilder();
  const node = flow.node('MCPTools', { mcp_server: { name: 'calc', config: { url: mcpUrl } }, tool: 'add', a: 2, b: 40 });
  const response = await runFlow({ flow: flow.build(), registry, outputType: 'debug' });
  const result = response.outputs[0].outputs.find((o) => o.component_id === node)!;
  assert.deepEqual(result.results.response, [{ type: 'text', text: '42' }]);
});

test('MCPTools over stdio, the server found by name through services.mcpServers', async () => {
  const flow = new FlowBuilder();
  const node = flow.node('MCPTools', { mcp_server: { name: 'greeter' }, tool: 'greet', name: 'Ada' });
  const mcpServers = { get: async (name: string) => (name === 'greeter' ? { command: process.execPath, args: [join(scriptDir, 'server.mjs')] } : undefined) };
  const response = await runFlow({ flow: flow.build(), registry, outputType: 'debug', services: { mcpServers } });
  const result = response.outputs[0].outputs.find((o) => o.component_id === node)!;
  assert.deepEqual(result.results.response, [{ type: 'text', text: 'Hello, Ada!' }]);
});

test('MCPTools in tool mode gives one Tool per MCP tool; an Agent calls one', async () => {
  standin.respondWith((request) => {
    const messages = request.body.messages as { role: string; content: unknown }[];
    const toolMessage = messages.find((m) => m.role === 'tool');
    if (!toolMessage) return { toolCalls: [{ name: 'shout', arguments: { text: 'hello mcp' } }] };
    return `Tool said ${String(toolMessage.content)}`;
  });
  const flow = new FlowBuilder();
  const input = flow.node('ChatInput', {});
  const tools = flow.node('MCPTools', {
    mcp_server: { name: 'calc', config: { url: mcpUrl } },
    tool: '',
    tools_metadata: [{ name: 'add', status: false }, { name: 'shout', status: true, description: 'Shouts' }],
  }, { outputs: ['component_as_tool'] });
  const agentNode = flow.node('Agent', { model: [{ name: 'gpt-4o-mini', provider: 'OpenAI' }], add_current_date_tool: false });
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', agentNode, 'input_value').connect(tools, 'component_as_tool', agentNode, 'tools', ['Tool']).connect(agentNode, 'response', output, 'input_value');
  const response = await runFlow({
    flow: flow.build(),
    registry,
    inputValue: 'shout please',
    services: { variables: { resolve: async (name) => ({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: standin.baseUrl })[name] } },
  });
  assert.equal((response.outputs[0].outputs[0].results.message as { text: string }).text, 'Tool said HELLO MCP');
  const offered = (standin.chatRequests[0].body.tools as { function: { name: string; description: string } }[]).map((t) => [t.function.name, t.function.description]);
  assert.deepEqual(offered, [['shout', 'Shouts']]);
});
