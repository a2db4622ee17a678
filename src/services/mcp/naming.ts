import { trimChar, trimEndChar } from '../../engine/trim.js';
/**
 * MCP tool names, as Langflow's `sanitize_mcp_name` + `get_unique_name` make them:
 * strip emoji and diacritics, keep word characters, spaces and hyphens, turn runs of spaces and
 * hyphens into `_`, collapse and trim `_`, prefix `_` before a leading digit, lower-case, cut to
 * the limit and de-duplicate with `_1`, `_2`... suffixes.
 */
export const MAX_MCP_TOOL_NAME_LENGTH = 30;

// The code-point ranges of Langflow's emoji pattern (which also strips CJK symbols, dingbats, ZWJ).
const EMOJI =
  /(?:[\u{1F600}-\u{1F64F}\u{1F300}-\u{1F5FF}\u{1F680}-\u{1F6FF}\u{1F1E0}-\u{1F1FF}\u{2500}-\u{2BEF}\u{2702}-\u{27B0}\u{24C2}-\u{1F251}\u{1F926}-\u{1F937}\u{10000}-\u{10FFFF}\u{2640}-\u{2642}\u{2600}-\u{2B55}\u{23CF}\u{23E9}\u{231A}\u{3030}]|\u{200D}|\u{FE0F})+/gu;

export function sanitizeMcpName(name: string | null | undefined, maxLength = 46): string {
  if (!name || !name.trim()) return '';
  let out = name.replace(EMOJI, '');
  out = out.normalize('NFD').replace(/\p{Mn}/gu, '');
  out = out.replace(/[^\p{L}\p{N}_\s-]/gu, '');
  out = out.replace(/[-\s]+/g, '_');
  out = out.replace(/_+/g, '_');
  out = trimChar(out, '_');
  if (/^\p{Nd}/u.test(out)) out = `_${out}`;
  out = out.toLowerCase();
  if (out.length > maxLength) out = trimEndChar(out.slice(0, maxLength), '_');
  return out || 'unnamed';
}

/** `base` cut to `maxLength`, or with the first free `_n` suffix when taken. */
export function uniqueName(base: string, maxLength: number, taken: Set<string>): string {
  const name = base.slice(0, maxLength);
  if (!taken.has(name)) return name;
  for (let i = 1; ; i++) {
    const suffix = `_${i}`;
    const candidate = `${base.slice(0, maxLength - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export interface NamedFlow {
  id: string;
  name: string;
  description?: string | null;
  action_name?: string | null;
  action_description?: string | null;
}

export interface ToolIdentity {
  flowId: string;
  name: string;
  description: string;
}

/**
 * Tool names and descriptions for a project server (`action_name`/`action_description` win) or
 * the global server (flow name; a description is prefixed with the flow id). Names are unique.
 */
export function toolIdentities(flows: NamedFlow[], scope: 'project' | 'global'): ToolIdentity[] {
  const taken = new Set<string>();
  return flows.map((flow) => {
    const base = sanitizeMcpName(scope === 'project' ? flow.action_name || flow.name : flow.name);
    const name = uniqueName(base, MAX_MCP_TOOL_NAME_LENGTH, taken);
    taken.add(name);
    // Langflow's fallback description names the sanitised tool, not the flow.
    const description =
      scope === 'project'
        ? flow.action_description || flow.description || `Tool generated from flow: ${name}`
        : flow.description
          ? `${flow.id}: ${flow.description}`
          : `Tool generated from flow: ${name}`;
    return { flowId: flow.id, name, description };
  });
}
