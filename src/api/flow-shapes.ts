import type { FlowRecord } from '../services/database/index.js';
import type { FlowCreate } from './schemas.js';
import type { FlowInput } from '../services/database/index.js';

/** FlowRead as Langflow returns it. */
export function flowRead(flow: FlowRecord): Record<string, unknown> {
  return { ...flow };
}

/** FlowHeader: the light listing (`header_flows=true`); `data` only for components. */
export function flowHeader(flow: FlowRecord): Record<string, unknown> {
  return {
    id: flow.id,
    name: flow.name,
    folder_id: flow.folder_id,
    is_component: flow.is_component,
    endpoint_name: flow.endpoint_name,
    description: flow.description,
    data: flow.is_component ? flow.data : null,
    access_type: flow.access_type,
    tags: flow.tags,
    mcp_enabled: flow.mcp_enabled,
    action_name: flow.action_name,
    action_description: flow.action_description,
  };
}

/** FlowCreate → the repository's input; null means "not given". */
export function flowInput(body: FlowCreate, folderId: string | null): FlowInput {
  return {
    id: body.id ?? undefined,
    name: body.name,
    description: body.description ?? null,
    icon: body.icon ?? null,
    icon_bg_color: body.icon_bg_color ?? null,
    gradient: body.gradient ?? null,
    data: (body.data as Record<string, unknown> | null | undefined) ?? null,
    is_component: body.is_component ?? false,
    endpoint_name: body.endpoint_name ?? null,
    tags: body.tags ?? [],
    locked: body.locked ?? false,
    mcp_enabled: body.mcp_enabled ?? false,
    action_name: body.action_name ?? null,
    action_description: body.action_description ?? null,
    access_type: body.access_type ?? 'PRIVATE',
    folder_id: folderId,
    fs_path: body.fs_path ?? null,
  };
}

/**
 * Langflow's `remove_api_keys`: blank every password field whose name mentions an API key, so
 * exported or shared flows never carry secrets.
 */
export function stripApiKeys(data: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!data || !Array.isArray(data.nodes)) return data;
  const copy = structuredClone(data) as { nodes: { data?: { node?: { template?: Record<string, unknown> } } }[] };
  for (const node of copy.nodes) {
    const template = node.data?.node?.template;
    if (!template) continue;
    for (const [name, field] of Object.entries(template)) {
      if (!field || typeof field !== 'object') continue;
      const spec = field as { password?: boolean; value?: unknown };
      if (spec.password && name.includes('api') && name.includes('key')) spec.value = null;
    }
  }
  return copy as unknown as Record<string, unknown>;
}

/** A flow as downloaded: its FlowRead without secrets. */
export function flowExport(flow: FlowRecord): Record<string, unknown> {
  return { ...flowRead(flow), data: stripApiKeys(flow.data) };
}
