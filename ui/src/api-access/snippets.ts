// The code the API access panel shows: calls of POST /api/v1/run/{id} in curl, Python (requests) and
// JavaScript (@datastax/langflow-client and plain fetch), the webhook curl, and the MCP client config.
// Pure: the panel passes what the user chose; every snippet reads the key from $LANGFLOW_API_KEY.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface SnippetOptions {
  /** The server's origin, e.g. http://localhost:7860 */
  origin: string;
  /** The flow's id or endpoint name, as the URL names it. */
  target: string;
  stream: boolean;
  /** `{component id: {field: value}}` of the fields changed on the canvas. */
  tweaks: Record<string, Record<string, Json>>;
  inputValue: string;
  /** The run takes chat input and output (else `any`/text). */
  chat: boolean;
}

/** The body Langflow's /run takes. */
export function runPayload(options: SnippetOptions): Record<string, Json> {
  const payload: Record<string, Json> = {
    input_value: options.inputValue,
    output_type: options.chat ? 'chat' : 'text',
    input_type: options.chat ? 'chat' : 'text',
  };
  if (Object.keys(options.tweaks).length > 0) payload.tweaks = options.tweaks;
  return payload;
}

export const runUrl = (options: SnippetOptions): string => `${options.origin}/api/v1/run/${encodeURIComponent(options.target)}?stream=${options.stream}`;

/** A string in single quotes for a POSIX shell. */
export const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

export function curlSnippet(options: SnippetOptions): string {
  return [
    `curl --request POST \\`,
    `  --url ${shellQuote(runUrl(options))} \\`,
    `  --header 'Content-Type: application/json' \\`,
    `  --header "x-api-key: $LANGFLOW_API_KEY" \\`,
    ...(options.stream ? ['  --no-buffer \\'] : []),
    `  --data ${shellQuote(JSON.stringify(runPayload(options), null, 2))}`,
  ].join('\n');
}

/** A JSON value as a Python literal (True/False/None). */
export function pythonLiteral(value: Json, indent = 0): string {
  const pad = ' '.repeat(indent + 4);
  const end = ' '.repeat(indent);
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number' || typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[\n${value.map((v) => pad + pythonLiteral(v, indent + 4)).join(',\n')}\n${end}]`;
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${pythonLiteral(v, indent + 4)}`).join(',\n')}\n${end}}`;
}

export function pythonSnippet(options: SnippetOptions): string {
  const lines = [
    'import os',
    '',
    'import requests',
    '',
    `url = ${JSON.stringify(`${options.origin}/api/v1/run/${encodeURIComponent(options.target)}`)}`,
    `payload = ${pythonLiteral(runPayload(options))}`,
    'headers = {"Content-Type": "application/json", "x-api-key": os.environ["LANGFLOW_API_KEY"]}',
    '',
  ];
  if (options.stream) {
    lines.push(
      'with requests.post(url, json=payload, headers=headers, params={"stream": "true"}, stream=True) as response:',
      '    response.raise_for_status()',
      '    for line in response.iter_lines():',
      '        if line:',
      '            print(line.decode("utf-8"))',
    );
  } else {
    lines.push('response = requests.post(url, json=payload, headers=headers, params={"stream": "false"})', 'response.raise_for_status()', 'print(response.json())');
  }
  return lines.join('\n');
}

export function langflowClientSnippet(options: SnippetOptions): string {
  const run = { input_type: options.chat ? 'chat' : 'text', output_type: options.chat ? 'chat' : 'text', ...(Object.keys(options.tweaks).length > 0 ? { tweaks: options.tweaks } : {}) };
  const lines = [
    "import { LangflowClient } from '@datastax/langflow-client';",
    '',
    `const client = new LangflowClient({ baseUrl: ${JSON.stringify(options.origin)}, apiKey: process.env.LANGFLOW_API_KEY });`,
    `const flow = client.flow(${JSON.stringify(options.target)});`,
    `const options = ${JSON.stringify(run, null, 2)};`,
  ];
  if (options.stream) {
    lines.push(`const events = await flow.stream(${JSON.stringify(options.inputValue)}, options);`, 'for await (const event of events) {', "  if (event.event === 'token') process.stdout.write(event.data.chunk);", '}', "process.stdout.write('\\n');");
  } else {
    lines.push(`const response = await flow.run(${JSON.stringify(options.inputValue)}, options);`, 'console.log(response.chatOutputText());');
  }
  return lines.join('\n');
}

export function fetchSnippet(options: SnippetOptions): string {
  const lines = [
    `const payload = ${JSON.stringify(runPayload(options), null, 2)};`,
    '',
    `const response = await fetch(${JSON.stringify(runUrl(options))}, {`,
    "  method: 'POST',",
    "  headers: { 'Content-Type': 'application/json', 'x-api-key': process.env.LANGFLOW_API_KEY },",
    '  body: JSON.stringify(payload),',
    '});',
    'if (!response.ok) throw new Error(`The server answered ${response.status}: ${await response.text()}`);',
  ];
  if (options.stream) {
    lines.push('const decoder = new TextDecoder();', 'for await (const chunk of response.body) process.stdout.write(decoder.decode(chunk, { stream: true }));');
  } else {
    lines.push('console.log(JSON.stringify(await response.json(), null, 2));');
  }
  return lines.join('\n');
}

export function webhookSnippet(origin: string, target: string, withKey: boolean): string {
  return [
    `curl --request POST \\`,
    `  --url ${shellQuote(`${origin}/api/v1/webhook/${encodeURIComponent(target)}`)} \\`,
    `  --header 'Content-Type: application/json' \\`,
    ...(withKey ? ['  --header "x-api-key: $LANGFLOW_API_KEY" \\'] : []),
    `  --data '{"any": "data"}'`,
  ].join('\n');
}

/** The MCP client configuration for the flow's project server (Langflow's /api/v1/mcp/project/{id}). */
export function mcpConfig(origin: string, projectId: string, projectName: string, transport: 'sse' | 'streamablehttp'): string {
  const name = `lf-${projectName.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'project'}`.slice(0, 40);
  const url = `${origin}/api/v1/mcp/project/${projectId}/${transport === 'sse' ? 'sse' : 'streamable'}`;
  const args = transport === 'sse' ? ['mcp-proxy', '--headers', 'x-api-key', 'YOUR_API_KEY', url] : ['mcp-proxy', '--transport', 'streamablehttp', '--headers', 'x-api-key', 'YOUR_API_KEY', url];
  return JSON.stringify({ mcpServers: { [name]: { command: 'uvx', args } } }, null, 2);
}
