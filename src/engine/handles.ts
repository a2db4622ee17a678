import { FlowError, type EdgeJson, type SourceHandle, type TargetHandle } from './flow-json.js';

/** ReactFlow handle ids are the handle dicts as JSON with `"` replaced by `œ`. */
function decodeHandleString(handle: string): unknown {
  try {
    return JSON.parse(handle.replace(/œ/g, '"'));
  } catch {
    return undefined;
  }
}

export interface ParsedEdge {
  source: SourceHandle;
  target: TargetHandle;
}

/** Reads an edge's handles from `data`, then the œ strings, then the legacy `A|field|B` form. */
export function parseEdgeHandles(edge: EdgeJson): ParsedEdge {
  let source = edge.data?.sourceHandle;
  let target = edge.data?.targetHandle;
  if (!source && typeof edge.sourceHandle === 'string') source = parseSource(edge.sourceHandle, edge.source);
  if (!target && typeof edge.targetHandle === 'string') target = parseTarget(edge.targetHandle, edge.target);
  if (!source || !target) {
    throw new FlowError(
      `Edge ${edge.id ?? `${edge.source} -> ${edge.target}`}: cannot read its source or target handle`,
      edge.target,
    );
  }
  return { source: { ...source, id: source.id ?? edge.source }, target: { ...target, id: target.id ?? edge.target } };
}

function parseSource(handle: string, nodeId: string): SourceHandle | undefined {
  const decoded = decodeHandleString(handle);
  if (decoded && typeof decoded === 'object') return decoded as SourceHandle;
  // Legacy: "Type|nodeId|BaseType|..." — the output name is unknown and resolved later by type.
  const parts = handle.split('|');
  if (parts.length >= 2) return { dataType: parts[0], id: parts[1] || nodeId, output_types: parts.slice(2) };
  return undefined;
}

function parseTarget(handle: string, nodeId: string): TargetHandle | undefined {
  const decoded = decodeHandleString(handle);
  if (decoded && typeof decoded === 'object') return decoded as TargetHandle;
  // Legacy: "Type|field|nodeId".
  const parts = handle.split('|');
  if (parts.length >= 3) return { type: parts[0], fieldName: parts[1], id: parts[2] || nodeId, inputTypes: [parts[0]] };
  return undefined;
}
