// Calls for projects and flows: the routes Langflow's frontend uses, nothing else.
import { api, apiResponse } from './http';
import type { AppConfig, Flow, FlowData, FlowHeader, Project, ProjectPage, StarterProject } from './types';

export const EMPTY_FLOW: FlowData = { nodes: [], edges: [], viewport: { x: 0, y: 0, zoom: 1 } };

export const flowsApi = {
  config: () => api<AppConfig>('/api/v1/config'),
  projects: () => api<Project[]>('/api/v1/projects/'),
  createProject: (name: string) => api<Project>('/api/v1/projects/', { method: 'POST', json: { name, description: '' } }),
  renameProject: (id: string, name: string) => api<Project>(`/api/v1/projects/${id}`, { method: 'PATCH', json: { name } }),
  deleteProject: (id: string) => api<void>(`/api/v1/projects/${id}`, { method: 'DELETE' }),
  /** One page of a project's flows (not components), filtered by name on the server. */
  projectFlows: (id: string, search: string, page: number, size: number) =>
    api<ProjectPage>(`/api/v1/projects/${id}?${new URLSearchParams({ page: String(page), size: String(size), is_component: 'false', is_flow: 'true', search })}`),
  flow: (id: string) => api<Flow>(`/api/v1/flows/${id}`),
  createFlow: (body: { name: string; description?: string | null; data: FlowData; folder_id: string; [key: string]: unknown }) =>
    api<Flow>('/api/v1/flows/', { method: 'POST', json: body }),
  updateFlow: (id: string, patch: Partial<Pick<Flow, 'name' | 'description' | 'folder_id' | 'data' | 'endpoint_name' | 'access_type'>>) =>
    api<Flow>(`/api/v1/flows/${id}`, { method: 'PATCH', json: patch }),
  deleteFlow: (id: string) => api<{ message: string }>(`/api/v1/flows/${id}`, { method: 'DELETE' }),
  starterProjects: () => api<StarterProject[]>('/api/v1/starter-projects/'),
  /** Langflow's import: a flow JSON, a `{flows: [...]}` file or a zip of flows, into a project. */
  uploadFlows: (file: File, folderId: string) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return api<Flow[]>(`/api/v1/flows/upload/?folder_id=${encodeURIComponent(folderId)}`, { method: 'POST', body: form });
  },
  /** A whole project from a zip or JSON export (a new project named after it). */
  uploadProject: (file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return api<Flow[]>('/api/v1/projects/upload/', { method: 'POST', body: form });
  },
  /** The flow as Langflow exports it (`POST /api/v1/flows/download/` with one id gives its JSON). */
  exportFlow: async (id: string) => (await apiResponse('/api/v1/flows/download/', { method: 'POST', json: [id] })).json() as Promise<Record<string, unknown>>,
  /** A project's flows as a zip (Langflow's project download). */
  exportProject: async (id: string) => (await apiResponse(`/api/v1/projects/download/${id}`)).blob(),
};

export type { Flow, FlowHeader, Project };
