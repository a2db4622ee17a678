import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EdgeJson, NodeJson } from '../src/engine/flow-json.js';
import { starterProjectsDir } from '../test-utils/paths.js';
import { FlowBuilder } from '../test-utils/flow-builder.js';

/** The œ-encoded handle string Langflow's UI writes beside an edge's `data` handles. */
function encodeHandle(handle: Record<string, unknown>): string {
  return JSON.stringify(handle).replace(/"/g, 'œ').replace(/,/g, ', ').replace(/:/g, ': ');
}

function edge(source: NodeJson, target: NodeJson, output: string, field: string, inputTypes: string[]): EdgeJson {
  const sourceHandle = { dataType: source.data.type, id: source.id, name: output, output_types: ['Message'] };
  const targetHandle = { fieldName: field, id: target.id, inputTypes, type: 'str' };
  return {
    id: `reactflow__edge-${source.id}${encodeHandle(sourceHandle)}-${target.id}${encodeHandle(targetHandle)}`,
    source: source.id,
    target: target.id,
    sourceHandle: encodeHandle(sourceHandle),
    targetHandle: encodeHandle(targetHandle),
    data: { sourceHandle, targetHandle },
  };
}

/** The same three components built minimally (no saved templates): the fallback when the starters are missing. */
function echoFlow() {
  const flow = new FlowBuilder('bench echo', '11111111-1111-4111-8111-111111111111');
  const input = flow.node('ChatInput', {});
  const prompt = flow.node('Prompt', { template: 'You said: {question}', question: '' });
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', prompt, 'question').connect(prompt, 'prompt', output, 'input_value');
  const built = flow.build();
  return { name: 'bench echo', description: '', data: built.data };
}

export interface BenchFlow {
  flow: { name: string; description: string; data: { nodes: NodeJson[]; edges: EdgeJson[] } };
  /** Where its nodes came from, for the bench's notes. */
  source: string;
  bytes: number;
}

/**
 * Chat Input → Prompt → Chat Output as Langflow exports it: the three nodes of its "Basic Prompting" starter with their
 * full templates (every field, the `code` of each component, ~10 KB a node), the prompt given a `{question}` variable
 * the way Langflow's UI adds one. Read at run time from the starter projects (never copied into the repository); without
 * them, the builder's minimal flow, and the note says so.
 */
export function exportedEchoFlow(): BenchFlow {
  const file = join(starterProjectsDir, 'Basic Prompting.json');
  if (!existsSync(file)) {
    const flow = echoFlow() as BenchFlow['flow'];
    return { flow, source: 'minimal hand-built flow (starter projects not found)', bytes: JSON.stringify(flow).length };
  }
  const starter = JSON.parse(readFileSync(file, 'utf8')) as { data: { nodes: NodeJson[] } };
  const pick = (type: string): NodeJson => {
    const node = starter.data.nodes.find((n) => n.data.type === type);
    if (!node) throw new Error(`Basic Prompting has no ${type} node`);
    return node;
  };
  const input = pick('ChatInput');
  const prompt = pick('Prompt');
  const output = pick('ChatOutput');
  const node = prompt.data.node as { template: Record<string, Record<string, unknown>>; custom_fields?: Record<string, string[]> };
  node.template.template!.value = 'You said: {question}';
  node.template.question = {
    advanced: false, display_name: 'question', dynamic: false, field_type: 'str', fileTypes: [], file_path: '', info: '',
    input_types: ['Message'], list: false, load_from_db: false, multiline: true, name: 'question', placeholder: '',
    required: false, show: true, title_case: false, type: 'str', value: '',
  };
  node.custom_fields = { template: ['question'] };
  const flow = {
    name: 'bench echo (exported shape)',
    description: '',
    data: { nodes: [input, prompt, output], edges: [edge(input, prompt, 'message', 'question', ['Message']), edge(prompt, output, 'prompt', 'input_value', ['Data', 'DataFrame', 'Message'])] },
  };
  return { flow, source: "Langflow's Basic Prompting starter: its Chat Input, Prompt and Chat Output nodes", bytes: JSON.stringify(flow).length };
}
