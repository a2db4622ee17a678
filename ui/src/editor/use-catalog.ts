// The component catalog, fetched once per session through react-query. Nodes subscribe to one fact
// each ("is my type known?"), so the catalog's arrival re-renders only the nodes it changes.
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/http';
import { buildCatalog, type Catalog } from './catalog';
import type { ComponentCatalog } from './flow-types';

export const CATALOG_KEY = ['all'] as const;
const catalogQuery = { queryKey: CATALOG_KEY, queryFn: async () => buildCatalog(await api<ComponentCatalog>('/api/v1/all')), staleTime: Infinity };

export function useCatalog() {
  return useQuery(catalogQuery);
}

/** True while the catalog is loading or failed (nothing is marked unknown without it), else whether Weft has `type`. */
export function useKnownType(type: string): boolean {
  return useQuery({ ...catalogQuery, select: (catalog: Catalog) => catalog.byType.has(type) }).data ?? true;
}
