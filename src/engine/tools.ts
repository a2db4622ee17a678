import { ownValue } from './safe-json.js';
import type { Tool } from './component.js';
import type { TraceSpan } from './tracing.js';
import type { Vertex } from './graph.js';
import { trimChar } from './trim.js';

interface ToolMetadata {
  name?: string;
  description?: string;
  status?: boolean;
  args?: Record<string, unknown>;
}

export type ToolInvoker = (outputName: string, args: Record<string, unknown>, signal: AbortSignal, span?: TraceSpan) => Promise<unknown>;

/**
 * A component in tool mode exposes its outputs as tools (Langflow's `component_as_tool`).
 * The saved `tools_metadata` names and describes them; arguments are the `tool_mode` fields.
 */
export function componentTools(vertex: Vertex, invoke: ToolInvoker): Tool[] {
  const definition = vertex.definition;
  const saved = vertex.template.tools_metadata?.value;
  const metadata: ToolMetadata[] = Array.isArray(saved) && saved.length > 0 ? (saved as ToolMetadata[]) : [];
  const candidates = definition.outputs.filter((o) => o.name !== 'component_as_tool');
  const entries: ToolMetadata[] =
    metadata.length > 0 ? metadata : candidates.map((o) => ({ name: o.method ?? o.name, description: definition.description }));
  const tools: Tool[] = [];
  for (const entry of entries) {
    if (entry.status === false) continue;
    const output = candidates.find((o) => o.method === entry.name || o.name === entry.name) ?? candidates[0];
    if (!output) continue;
    const parameters = entry.args && Object.keys(entry.args).length > 0 ? argsSchema(entry.args) : toolModeSchema(vertex);
    tools.push({
      name: sanitizeToolName(entry.name ?? output.method ?? output.name),
      description: entry.description || definition.description || vertex.displayName,
      parameters,
      componentId: vertex.id,
      invoke: (args, signal, span) => invoke(output.name, args, signal, span),
    });
  }
  return tools;
}

function argsSchema(args: Record<string, unknown>): Tool['parameters'] {
  const properties: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(args)) {
    const { title: _title, default: _default, ...rest } = (schema ?? {}) as Record<string, unknown>;
    properties[name] = rest;
  }
  return { type: 'object', properties, required: Object.keys(properties) };
}

function toolModeSchema(vertex: Vertex): Tool['parameters'] {
  const properties: Record<string, unknown> = {};
  for (const input of vertex.definition.inputs) {
    const saved = ownValue(vertex.template, input.name);
    if (!(saved?.tool_mode ?? input.toolMode)) continue;
    const type = input.kind === 'int' ? 'integer' : input.kind === 'float' ? 'number' : input.kind === 'bool' ? 'boolean' : 'string';
    properties[input.name] = input.list ? { type: 'array', items: { type }, description: input.info ?? '' } : { type, description: input.info ?? '' };
  }
  return { type: 'object', properties, required: Object.keys(properties) };
}

/** Provider APIs accept `^[a-zA-Z0-9_-]{1,64}$` tool names. */
export function sanitizeToolName(name: string): string {
  const cleaned = trimChar(name.replace(/[^a-zA-Z0-9_-]+/g, '_'), '_');
  return (cleaned || 'tool').slice(0, 64);
}
