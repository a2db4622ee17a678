import { ownValue } from './safe-json.js';
import type { FlowData, NodeJson, EdgeJson } from './flow-json.js';

interface FieldProxy {
  id: string;
  field: string;
}

/**
 * Replaces group nodes (a node carrying a nested `flow`) with their inner nodes, rewiring
 * edges through the group's field and output proxies, recursively.
 */
export function flattenGroups(data: FlowData): FlowData {
  const groups = data.nodes.filter((n) => n.data?.node?.flow?.data);
  if (groups.length === 0) return data;
  let nodes: NodeJson[] = data.nodes.filter((n) => !groups.includes(n));
  let edges: EdgeJson[] = [...data.edges];
  for (const group of groups) {
    const body = group.data.node!;
    const inner = flattenGroups(body.flow!.data as FlowData);
    const innerNodes = structuredClone(inner.nodes);
    const template = (body.template ?? {}) as Record<string, { proxy?: FieldProxy; value?: unknown }>;
    for (const field of Object.values(template)) {
      if (!field?.proxy) continue;
      const target = innerNodes.find((n) => n.id === field.proxy!.id);
      const innerField = target?.data.node?.template?.[field.proxy.field] as { value?: unknown } | undefined;
      if (innerField && 'value' in field) innerField.value = field.value;
    }
    nodes = nodes.concat(innerNodes);
    edges = edges.concat(inner.edges);
    edges = edges.map((edge) => rewire(edge, group, template));
  }
  return { ...data, nodes, edges };
}

function rewire(edge: EdgeJson, group: NodeJson, template: Record<string, { proxy?: FieldProxy }>): EdgeJson {
  const copy: EdgeJson = structuredClone(edge);
  const handles = copy.data ?? {};
  if (copy.target === group.id && handles.targetHandle?.fieldName) {
    const proxy = ownValue(template, handles.targetHandle.fieldName)?.proxy;
    if (proxy) {
      copy.target = proxy.id;
      handles.targetHandle = { ...handles.targetHandle, id: proxy.id, fieldName: proxy.field };
    }
  }
  if (copy.source === group.id && handles.sourceHandle?.name) {
    const output = group.data.node?.outputs?.find((o) => o.name === handles.sourceHandle!.name);
    if (output?.proxy) {
      copy.source = output.proxy.id;
      handles.sourceHandle = { ...handles.sourceHandle, id: output.proxy.id, name: output.proxy.name };
    }
  }
  copy.data = handles;
  // The rewired data handles are now the truth; stale œ strings would point at the group.
  if (handles.sourceHandle && handles.targetHandle) {
    delete copy.sourceHandle;
    delete copy.targetHandle;
  }
  return copy;
}
