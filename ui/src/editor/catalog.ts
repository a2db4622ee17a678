// The component catalog (`GET /api/v1/all`): categories for the sidebar, and which saved `data.type`
// names Weft can run (palette keys plus the aliases a component lists in `metadata.aliases`).
import { isRecord, type ComponentCatalog, type NodeBody } from './flow-types';
import { newNodeId, type CanvasNode } from './flow-io';

export interface CatalogItem {
  key: string;
  category: string;
  body: NodeBody;
}

export interface Catalog {
  categories: { name: string; label: string; items: CatalogItem[] }[];
  /** Every type name Weft runs, to its catalog item. */
  byType: Map<string, CatalogItem>;
}

/** Langflow's sidebar names for its category folders. */
const LABELS: Record<string, string> = {
  input_output: 'Input & Output',
  models_and_agents: 'Models & Agents',
  processing: 'Processing',
  flow_controls: 'Flow Control',
  data_source: 'Data Sources',
  llm_operations: 'LLM Operations',
  utilities: 'Utilities',
  openai: 'OpenAI',
  azure: 'Azure',
  groq: 'Groq',
  mistral: 'Mistral',
  google: 'Google',
  anthropic: 'Anthropic',
  ollama: 'Ollama',
};
const ORDER = ['input_output', 'models_and_agents', 'processing', 'data_source', 'flow_controls', 'llm_operations', 'utilities'];

function label(category: string): string {
  return LABELS[category] ?? category.replace(/_/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
}

export function buildCatalog(all: ComponentCatalog): Catalog {
  const byType = new Map<string, CatalogItem>();
  const categories = Object.entries(all)
    .filter(([, group]) => isRecord(group))
    .map(([name, group]) => {
      const items = Object.entries(group)
        .filter(([, body]) => isRecord(body))
        .map(([key, body]) => ({ key, category: name, body }))
        .sort((a, b) => (a.body.display_name ?? a.key).localeCompare(b.body.display_name ?? b.key));
      for (const item of items) {
        byType.set(item.key, item);
        const aliases = isRecord(item.body.metadata) && Array.isArray(item.body.metadata.aliases) ? item.body.metadata.aliases : [];
        for (const alias of aliases) if (typeof alias === 'string' && !byType.has(alias)) byType.set(alias, item);
      }
      return { name, label: label(name), items };
    })
    .sort((a, b) => rank(a.name) - rank(b.name) || a.label.localeCompare(b.label));
  return { categories, byType };
}

function rank(category: string): number {
  const index = ORDER.indexOf(category);
  return index < 0 ? ORDER.length : index;
}

/** Items whose name, description or category matches every word of the search. */
export function searchCatalog(catalog: Catalog, search: string): Catalog['categories'] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return catalog.categories;
  return catalog.categories
    .map((category) => ({
      ...category,
      items: category.items.filter((item) => {
        const haystack = `${item.key} ${item.body.display_name ?? ''} ${item.body.description ?? ''} ${category.label}`.toLowerCase();
        return words.every((word) => haystack.includes(word));
      }),
    }))
    .filter((category) => category.items.length > 0);
}

/** A new canvas node for a catalog component, as Langflow adds one (`Type-xxxxx`, the frontend node as its body). */
export function nodeFromCatalog(item: CatalogItem, position: { x: number; y: number }, taken: (id: string) => boolean): CanvasNode {
  const body = structuredClone(item.body);
  // The alias list describes the catalog, not this node.
  if (isRecord(body.metadata) && 'aliases' in body.metadata) {
    const { aliases: _aliases, ...metadata } = body.metadata;
    body.metadata = metadata;
  }
  const id = newNodeId(item.key.replace(/\s+/g, ''), taken);
  return { id, type: 'genericNode', position, data: { id, type: item.key, node: body, showNode: true }, selected: true };
}
