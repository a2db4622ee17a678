import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createRegistry } from '../../components/registry.js';
import { FlowBuilder } from '../../../test-utils/flow-builder.js';
import { runFlow } from '../../engine/run.js';
import { configPath, installMcpConfig, installedClients, McpInstallError, projectUrls } from './install.js';
import { sanitizeMcpName, toolIdentities, uniqueName } from './naming.js';
import { jsonSchemaFromFlow } from './schema.js';
import { callTool, contentType, listResources, listTools, resultTexts, type McpFlow, type McpScope } from './server.js';

const registry = createRegistry();

test('sanitizeMcpName: emoji, diacritics, punctuation, spaces/hyphens, digits, case', () => {
  assert.equal(sanitizeMcpName('🚀 Basic Prompting'), 'basic_prompting');
  assert.equal(sanitizeMcpName('Crème Brûlée — Recipe!'), 'creme_brulee_recipe');
  assert.equal(sanitizeMcpName('my-flow  name'), 'my_flow_name');
  assert.equal(sanitizeMcpName('__a___b__'), 'a_b');
  assert.equal(sanitizeMcpName('3 Steps'), '_3_steps');
  assert.equal(sanitizeMcpName('UPPER Case'), 'upper_case');
  assert.equal(sanitizeMcpName('!!!'), 'unnamed');
  assert.equal(sanitizeMcpName(''), '');
});

test('uniqueName and toolIdentities: 30-char cut, _n suffixes, action names and descriptions', () => {
  assert.equal(uniqueName('a'.repeat(40), 30, new Set()), 'a'.repeat(30));
  assert.equal(uniqueName('abc', 30, new Set(['abc', 'abc_1'])), 'abc_2');
  assert.equal(uniqueName('b'.repeat(40), 30, new Set(['b'.repeat(30)])), 'b'.repeat(28) + '_1');
  const flows = [
    { id: 'f1', name: 'Basic Prompting', description: 'Says hi' },
    { id: 'f2', name: 'Basic-Prompting', description: '' },
    { id: 'f3', name: 'Other', action_name: 'Do Thing', action_description: 'Custom desc' },
    { id: 'f4', name: 'A very long flow name that goes on and on' },
  ];
  const project = toolIdentities(flows, 'project');
  assert.deepEqual(project.map((t) => t.name), ['basic_prompting', 'basic_prompting_1', 'do_thing', 'a_very_long_flow_name_that_goe']);
  assert.deepEqual(project.map((t) => t.description), [
    'Says hi',
    'Tool generated from flow: basic_prompting_1',
    'Custom desc',
    'Tool generated from flow: a_very_long_flow_name_that_goe',
  ]);
  const global = toolIdentities(flows, 'global');
  assert.equal(global[2].name, 'other', 'the global server ignores action names');
  assert.equal(global[0].description, 'f1: Says hi');
  assert.equal(global[1].description, 'Tool generated from flow: basic_prompting_1');
});

function promptFlow(template = 'You said: {question}'): McpFlow {
  const flow = new FlowBuilder('Echo Prompt', '22222222-2222-4222-8222-222222222222');
  const input = flow.node('ChatInput', { input_value: '' }, { fieldMeta: { input_value: { info: 'Message to be passed as input.' } } });
  const prompt = flow.node('Prompt', { template, question: '' });
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', prompt, 'question').connect(prompt, 'prompt', output, 'input_value');
  const built = flow.build();
  return { id: built.id!, name: built.name!, description: 'echo', data: built.data };
}

test('jsonSchemaFromFlow: visible non-advanced fields of input vertices, types mapped, declared fields filled in', () => {
  const schema = jsonSchemaFromFlow({ data: promptFlow().data }, registry);
  assert.deepEqual(schema, {
    type: 'object',
    properties: { input_value: { type: 'string', description: 'Message to be passed as input.' } },
    required: [],
  });
  const flow = new FlowBuilder();
  flow.node('ChatInput', {});
  flow.node('ChatInput', { hidden: 'h' }, { id: 'ChatInput-zzz', fieldMeta: { hidden: { show: false } } });
  // Same field name on several input nodes: the last one wins, as in Langflow's dict.
  flow.node('TextInput', { input_value: 'x' }, { id: 'TextInput-abc', fieldMeta: { input_value: { required: true, type: 'int', info: 'n' } } });
  const multi = jsonSchemaFromFlow(flow.build(), registry);
  assert.deepEqual(multi.properties.input_value, { type: 'integer', description: 'n' });
  assert.deepEqual(multi.required, ['input_value']);
  assert.ok(!('hidden' in multi.properties));
  assert.ok(!('should_store_message' in multi.properties), 'advanced fields are not advertised');
});

function scope(flows: McpFlow[], files: Record<string, string[]> = {}): McpScope {
  return {
    kind: 'project',
    registry,
    baseUrl: 'http://localhost:7860',
    listFlows: async () => flows,
    runFlow: (flow, inputValue, { sessionId }) => runFlow({ flow: { id: flow.id, name: flow.name, data: flow.data }, registry, inputValue, sessionId }),
    listFiles: async (flow) => files[flow.id] ?? [],
  };
}

test('listTools / callTool run the flow and return its chat text; failures are isError results naming flow and component', async () => {
  const ok = promptFlow();
  const tools = await listTools(scope([ok]));
  assert.deepEqual(tools.map((t) => t.name), ['echo_prompt']);
  const result = await callTool(scope([ok]), 'echo_prompt', { input_value: 'hi' }, {});
  assert.equal(result.isError, undefined);
  assert.equal((result.content[0] as { text: string }).text, 'You said: hi');

  const broken = new FlowBuilder('Broken Flow', '33333333-3333-4333-8333-333333333333');
  const input = broken.node('ChatInput', {});
  const output = broken.node('ChatOutput', {}, { displayName: 'Final Output' });
  broken.node('TypeConverterComponent', {});
  broken.connect(input, 'message', output, 'input_value');
  const built = broken.build();
  const failing: McpFlow = { id: built.id!, name: built.name!, data: built.data };
  const error = await callTool(scope([failing]), 'broken_flow', { input_value: 'x' }, {});
  assert.equal(error.isError, true);
  const text = (error.content[0] as { text: string }).text;
  assert.match(text, /^Error Executing the Broken Flow tool\. Error: /);
  assert.match(text, /Type Convert/);

  const missing = await callTool(scope([ok]), 'nope', {}, {});
  assert.equal(missing.isError, true);
});

test('resultTexts deduplicates message and result texts', () => {
  const texts = resultTexts({
    session_id: 's',
    outputs: [{ inputs: {}, outputs: [{ messages: [{ message: 'a' }], results: { message: { text_key: 'text', text: 'a' }, other: { x: 1 } } } as never] }],
  });
  assert.deepEqual(texts, ['a', '{"x":1}']);
});

test('listResources: v1 download URIs with encoded names and content types', async () => {
  const flow = promptFlow();
  const resources = await listResources(scope([flow], { [flow.id]: ['2024-01-01_00-00-00_my file.txt', 'img.png'] }));
  assert.deepEqual(resources[0], {
    uri: `http://localhost:7860/api/v1/files/download/${flow.id}/2024-01-01_00-00-00_my%20file.txt`,
    name: '2024-01-01_00-00-00_my file.txt',
    description: 'File in flow: Echo Prompt',
    mimeType: 'text/plain',
  });
  assert.equal(resources[1].mimeType, 'image/png');
  assert.equal(contentType('x.unknownext'), 'application/octet-stream');
});

test('install: writes an mcp-proxy entry into the client config under HOME, replaces stale ones, reports installed', async () => {
  const home = mkdtempSync(join(tmpdir(), 'weft-mcp-home-'));
  const dirs = { homeDir: home, appDataDir: join(home, 'AppData', 'Roaming') };
  try {
    const base = 'http://127.0.0.1:7860';
    await assert.rejects(
      installMcpConfig({ client: 'cursor', projectId: 'p1', projectName: 'My Project', baseUrl: base, dirs }),
      (e: unknown) => e instanceof McpInstallError && e.code === 'invalid_request' && /Cursor is not installed/.test(e.message),
    );
    mkdirSync(join(home, '.cursor'));
    const urls = projectUrls(base, 'p1');
    writeFileSync(join(home, '.cursor', 'mcp.json'), JSON.stringify({ mcpServers: { old: { command: 'uvx', args: ['mcp-proxy', urls.sse] }, keep: { command: 'x' } }, other: 1 }));
    const installed = await installMcpConfig({ client: 'cursor', projectId: 'p1', projectName: 'My Project', baseUrl: base, apiKey: 'sk-test', dirs });
    assert.equal(installed.path, configPath('cursor', dirs));
    assert.equal(configPath('claude', { homeDir: home, appDataDir: join(home, 'Roaming') }, 'win32'), join(home, 'Roaming', 'Claude', 'claude_desktop_config.json'), 'APPDATA, from the settings');
    assert.match(installed.message, /^Successfully reinstalled MCP configuration for cursor \(replaced existing servers: old\)$/);
    const config = JSON.parse(readFileSync(installed.path, 'utf8'));
    assert.equal(config.other, 1);
    assert.deepEqual(Object.keys(config.mcpServers).sort(), ['keep', 'lf-my_project']);
    assert.deepEqual(config.mcpServers['lf-my_project'], { command: 'uvx', args: ['mcp-proxy', '--headers', 'x-api-key', 'sk-test', urls.sse] });

    mkdirSync(join(home, '.config', 'Claude'), { recursive: true });
    const claude = await installMcpConfig({ client: 'claude', transport: 'streamablehttp', projectId: 'p1', projectName: 'My Project', baseUrl: base, dirs, platform: 'linux' });
    assert.equal(claude.path, join(home, '.config', 'Claude', 'claude_desktop_config.json'));
    assert.deepEqual(JSON.parse(readFileSync(claude.path, 'utf8')).mcpServers['lf-my_project'].args, ['mcp-proxy', '--transport', 'streamablehttp', urls.streamable]);

    const clients = await installedClients(base, 'p1', dirs, 'linux');
    assert.deepEqual(clients, [
      { name: 'cursor', installed: true, available: true },
      { name: 'windsurf', installed: false, available: false },
      { name: 'claude', installed: true, available: true },
    ]);
    assert.deepEqual((await installedClients(base, 'p2', dirs, 'linux')).map((c) => c.installed), [false, false, false]);
    await assert.rejects(installMcpConfig({ client: 'cursor', transport: 'ws', projectId: 'p1', projectName: 'x', baseUrl: base, dirs }), /Invalid transport/);
    await assert.rejects(installMcpConfig({ client: 'emacs', projectId: 'p1', projectName: 'x', baseUrl: base, dirs }), /Unsupported client/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
