// Which of a flow's components the playground shows: it chats when the flow has a Chat Input or a
// Chat Output, and shows every Text Input and Text Output as a field beside the chat (as Langflow's).
import type { FlowData } from '../api/types';

export interface IoNode {
  id: string;
  type: string;
  name: string;
  /** The Text Input's current text. */
  value: string;
}

export interface FlowIo {
  hasChat: boolean;
  chatInput: IoNode | null;
  /** The Chat Input accepts attachments (it has a `files` field). */
  acceptsFiles: boolean;
  textInputs: IoNode[];
  textOutputs: IoNode[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function nodeInfo(raw: unknown): { node: IoNode; template: Record<string, unknown> } | null {
  if (!isRecord(raw) || typeof raw.id !== 'string' || !isRecord(raw.data)) return null;
  const data = raw.data;
  const body = isRecord(data.node) ? data.node : {};
  const template = isRecord(body.template) ? body.template : {};
  const input = isRecord(template.input_value) ? template.input_value.value : undefined;
  const type = typeof data.type === 'string' ? data.type : '';
  const name = typeof body.display_name === 'string' && body.display_name ? body.display_name : type;
  return { node: { id: raw.id, type, name, value: typeof input === 'string' ? input : '' }, template };
}

export function flowIo(data: FlowData | null | undefined): FlowIo {
  const io: FlowIo = { hasChat: false, chatInput: null, acceptsFiles: false, textInputs: [], textOutputs: [] };
  for (const raw of data?.nodes ?? []) {
    const info = nodeInfo(raw);
    if (!info) continue;
    const { node, template } = info;
    if (node.type === 'ChatInput') {
      io.hasChat = true;
      io.chatInput ??= node;
      if ('files' in template) io.acceptsFiles = true;
    } else if (node.type === 'ChatOutput') io.hasChat = true;
    else if (node.type === 'TextInput') io.textInputs.push(node);
    else if (node.type === 'TextOutput') io.textOutputs.push(node);
  }
  return io;
}

/** The flow with the Text Inputs' values the user typed beside the chat (the nodes are copied, not changed). */
export function withTextInputs<T extends { nodes: unknown[] }>(data: T, values: Record<string, string>): T {
  if (Object.keys(values).length === 0) return data;
  const nodes = data.nodes.map((raw) => {
    if (!isRecord(raw) || typeof raw.id !== 'string' || !(raw.id in values) || !isRecord(raw.data) || !isRecord(raw.data.node)) return raw;
    const body = raw.data.node;
    const template = isRecord(body.template) ? body.template : {};
    const field = isRecord(template.input_value) ? template.input_value : {};
    return { ...raw, data: { ...raw.data, node: { ...body, template: { ...template, input_value: { ...field, value: values[raw.id] } } } } };
  });
  return { ...data, nodes };
}
