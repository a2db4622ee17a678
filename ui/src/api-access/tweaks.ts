// The tweaks the API snippets carry: every field the user changed on the canvas, against the
// component's default in the catalog. Secrets (password fields) and global-variable names are never
// included, nor fields fed by a connection, nor the component's code, nor the Chat Input's text
// (the request's input_value).
import type { Catalog } from '../editor/catalog';
import { isRecord, type SavedFlowData, type TemplateField } from '../editor/flow-types';
import type { Json } from './snippets';

const SKIPPED = new Set(['code', '_type', '_frontend_node_flow_id', '_frontend_node_folder_id']);

const isEmpty = (value: unknown): boolean => value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

export function changedTweaks(data: SavedFlowData, catalog: Catalog | undefined): Record<string, Record<string, Json>> {
  const connected = new Set<string>();
  for (const edge of data.edges) {
    const field = edge.data?.targetHandle?.fieldName;
    if (field) connected.add(`${edge.target}\u0000${field}`);
  }
  const tweaks: Record<string, Record<string, Json>> = {};
  for (const node of data.nodes) {
    const type = node.data.type;
    const template = node.data.node?.template;
    if (!type || !template) continue;
    const defaults = catalog?.byType.get(type)?.body.template ?? {};
    for (const [name, raw] of Object.entries(template)) {
      if (SKIPPED.has(name) || !isRecord(raw)) continue;
      // The run's input_value goes there; Langflow refuses a tweak of the same field (400).
      if (type === 'ChatInput' && name === 'input_value') continue;
      const field = raw as TemplateField;
      if (field.password || field.load_from_db || connected.has(`${node.id}\u0000${name}`)) continue;
      const fallback = defaults[name];
      const before = isRecord(fallback) ? (fallback as TemplateField).value : undefined;
      if (field.value === undefined || JSON.stringify(field.value) === JSON.stringify(before ?? null) || (isEmpty(field.value) && isEmpty(before))) continue;
      (tweaks[node.id] ??= {})[name] = field.value as Json;
    }
  }
  return tweaks;
}
