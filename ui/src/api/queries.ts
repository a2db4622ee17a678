// Server data through react-query: fetched once, cached, and refreshed after every change the app makes.
import { QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { flowsApi } from './flows';
import { ApiError } from './http';
import type { Flow, FlowData } from './types';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 401/403/404 will not change by asking again.
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
  },
});

export const keys = {
  config: ['config'] as const,
  projects: ['projects'] as const,
  projectFlows: (id: string) => ['projects', id, 'flows'] as const,
  flow: (id: string) => ['flows', id] as const,
  starters: ['starter-projects'] as const,
};

export const useConfig = () => useQuery({ queryKey: keys.config, queryFn: flowsApi.config, staleTime: Infinity });
export const useProjects = () => useQuery({ queryKey: keys.projects, queryFn: flowsApi.projects });
export const useStarterProjects = (enabled: boolean) => useQuery({ queryKey: keys.starters, queryFn: flowsApi.starterProjects, enabled, staleTime: Infinity });

export const PAGE_SIZE = 50;
export function useProjectFlows(projectId: string | null, search: string, page: number) {
  return useQuery({
    queryKey: [...keys.projectFlows(projectId ?? ''), search, page],
    queryFn: () => flowsApi.projectFlows(projectId!, search, page, PAGE_SIZE),
    enabled: projectId !== null,
    placeholderData: (previous) => previous,
  });
}

export const useFlow = (id: string) => useQuery({ queryKey: keys.flow(id), queryFn: () => flowsApi.flow(id) });

/** Every change to projects or flows: run it, then refetch what it touched. */
function useChange<A, R>(run: (args: A) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSettled: () => client.invalidateQueries({ queryKey: keys.projects }).then(() => client.invalidateQueries({ queryKey: ['flows'] })),
  });
}

export const useCreateProject = () => useChange((name: string) => flowsApi.createProject(name));
export const useRenameProject = () => useChange(({ id, name }: { id: string; name: string }) => flowsApi.renameProject(id, name));
export const useDeleteProject = () => useChange((id: string) => flowsApi.deleteProject(id));
export const useCreateFlow = () =>
  useChange((body: { name: string; description?: string | null; data: FlowData; folder_id: string }) => flowsApi.createFlow(body));
export const useUpdateFlow = () => useChange(({ id, patch }: { id: string; patch: Parameters<typeof flowsApi.updateFlow>[1] }) => flowsApi.updateFlow(id, patch));
export const useDeleteFlow = () => useChange((id: string) => flowsApi.deleteFlow(id));
export const useUploadFlows = () => useChange(({ file, folderId }: { file: File; folderId: string }) => flowsApi.uploadFlows(file, folderId));
export const useUploadProject = () => useChange((file: File) => flowsApi.uploadProject(file));

/** A copy of the flow in the same project; the server names it as Langflow does ("Name (1)", …). */
export function useDuplicateFlow() {
  return useChange(async (id: string) => {
    const flow: Flow = await flowsApi.flow(id);
    // A new id and no endpoint name (endpoint names are unique per user); every other key is kept.
    const { id: _id, user_id: _user, updated_at: _updated, endpoint_name: _endpoint, ...rest } = flow;
    return flowsApi.createFlow({ ...rest, data: flow.data ?? { nodes: [], edges: [] }, folder_id: flow.folder_id ?? '' });
  });
}
