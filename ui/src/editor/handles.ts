// Langflow's edge handles: each end of an edge is a small object (which node, which output or field,
// which types), saved twice — as `edge.data.sourceHandle/targetHandle` and as a string in
// `edge.sourceHandle/targetHandle` where `"` is replaced by `œ`. Older flows used `Type|field|id`.
import { isRecord, type SavedEdge, type SourceHandle, type TargetHandle } from './flow-types';

/** Langflow's frontend form: keys sorted, no spaces, `"` as `œ` (what it writes for new edges). */
export function encodeHandle(handle: object): string {
  return stringifySorted(handle).replace(/"/g, 'œ');
}

function stringifySorted(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stringifySorted).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stringifySorted(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The handle object of an œ string (either spacing), or undefined when it is not one. */
export function decodeHandle(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text.replace(/œ/g, '"'));
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export interface EdgeEnds {
  source: SourceHandle;
  target: TargetHandle;
}

/** An edge's two handle objects: from `data` first, then the œ strings, then the legacy `A|b|c` form. */
export function edgeEnds(edge: SavedEdge): EdgeEnds | undefined {
  let source: SourceHandle | undefined = isRecord(edge.data?.sourceHandle) ? edge.data.sourceHandle : undefined;
  let target: TargetHandle | undefined = isRecord(edge.data?.targetHandle) ? edge.data.targetHandle : undefined;
  if (!source && typeof edge.sourceHandle === 'string') {
    source = decodeHandle(edge.sourceHandle) as SourceHandle | undefined;
    if (!source) {
      const parts = edge.sourceHandle.split('|');
      if (parts.length >= 2) source = { dataType: parts[0], id: parts[1] || edge.source, output_types: parts.slice(2) };
    }
  }
  if (!target && typeof edge.targetHandle === 'string') {
    target = decodeHandle(edge.targetHandle) as TargetHandle | undefined;
    if (!target) {
      const parts = edge.targetHandle.split('|');
      if (parts.length >= 3) target = { type: parts[0], fieldName: parts[1], id: parts[2] || edge.target, inputTypes: [parts[0]] };
    }
  }
  if (!source || !target) return undefined;
  return { source, target };
}

/**
 * The canvas's own handle ids. React Flow matches an edge to a handle by exact id, and saved œ strings
 * differ in spacing and key order between Langflow versions, so the canvas names handles plainly and
 * keeps the saved strings on the edge for export.
 */
export const handleId = {
  output: (name: string) => `out:${name}`,
  field: (name: string) => `in:${name}`,
  /** A loop output's feedback input (Langflow draws it on the output's side). */
  loop: (name: string) => `loop:${name}`,
};

/** The canvas handle ids an edge's ends map to; undefined when the edge names no output or field. */
export function canvasHandles(ends: EdgeEnds): { sourceHandle: string; targetHandle: string } | undefined {
  const output = ends.source.name;
  if (!output) return undefined;
  if (ends.target.fieldName) return { sourceHandle: handleId.output(output), targetHandle: handleId.field(ends.target.fieldName) };
  if (ends.target.name) return { sourceHandle: handleId.output(output), targetHandle: handleId.loop(ends.target.name) };
  return undefined;
}

/** Parses a canvas handle id back into its kind and name. */
export function parseCanvasHandle(id: string | null | undefined): { kind: 'out' | 'in' | 'loop'; name: string } | undefined {
  if (!id) return undefined;
  const colon = id.indexOf(':');
  const kind = id.slice(0, colon);
  if (kind !== 'out' && kind !== 'in' && kind !== 'loop') return undefined;
  return { kind, name: id.slice(colon + 1) };
}
