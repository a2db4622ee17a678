// The settings pages' calls: Langflow's routes for global variables, API keys, MCP servers, files,
// the user's profile and (superusers) the users.
import { api, apiResponse } from '../../api/http';
import type { User } from '../../api/types';
import { toast } from '../toasts';

export interface Variable {
  id: string;
  name: string;
  type: string;
  /** Null for a credential: its value never leaves the server. */
  value: string | null;
  default_fields: string[];
}

export interface ApiKey {
  id: string;
  name: string | null;
  api_key: string;
  created_at?: string | null;
  last_used_at: string | null;
  total_uses: number;
}

export interface McpServerInfo {
  name: string;
  mode: string | null;
  toolsCount: number | null;
  error?: string;
  tools?: { name: string; description?: string }[];
}

export interface StoredFile {
  id: string;
  name: string;
  path: string;
  size: number;
  updated_at?: string;
}

export const settingsApi = {
  variables: () => api<Variable[]>('/api/v1/variables/'),
  createVariable: (body: { name: string; value: string; type: string; default_fields: string[] }) => api<Variable>('/api/v1/variables/', { method: 'POST', json: body }),
  updateVariable: (id: string, patch: { name?: string; value?: string; default_fields?: string[] }) => api<Variable>(`/api/v1/variables/${id}`, { method: 'PATCH', json: { id, ...patch } }),
  deleteVariable: (id: string) => api<void>(`/api/v1/variables/${id}`, { method: 'DELETE' }),

  apiKeys: () => api<{ api_keys: ApiKey[] }>('/api/v1/api_key/').then((r) => r.api_keys),
  createApiKey: (name: string) => api<{ api_key: string; id: string; name: string }>('/api/v1/api_key/', { method: 'POST', json: { name } }),
  deleteApiKey: (id: string) => api<unknown>(`/api/v1/api_key/${id}`, { method: 'DELETE' }),

  mcpServers: () => api<McpServerInfo[]>('/api/v2/mcp/servers?action_count=true'),
  mcpServer: (name: string) => api<Record<string, unknown> | null>(`/api/v2/mcp/servers/${encodeURIComponent(name)}`),
  saveMcpServer: (name: string, config: Record<string, unknown>, isNew: boolean) =>
    api<unknown>(`/api/v2/mcp/servers/${encodeURIComponent(name)}`, { method: isNew ? 'POST' : 'PATCH', json: config }),
  deleteMcpServer: (name: string) => api<unknown>(`/api/v2/mcp/servers/${encodeURIComponent(name)}`, { method: 'DELETE' }),

  files: () => api<StoredFile[]>('/api/v2/files/'),
  /** Uploads with progress (XMLHttpRequest: fetch reports no upload progress). */
  uploadFile: (file: File, token: string | null, onProgress: (fraction: number) => void) =>
    new Promise<StoredFile>((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open('POST', '/api/v2/files/');
      if (token) request.setRequestHeader('authorization', `Bearer ${token}`);
      request.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
      request.onload = () => {
        let body: unknown = null;
        try {
          body = JSON.parse(request.responseText);
        } catch {
          // not JSON
        }
        if (request.status >= 200 && request.status < 300) resolve(body as StoredFile);
        else reject(new Error(body && typeof body === 'object' && 'detail' in body ? String((body as { detail: unknown }).detail) : `The server answered ${request.status}`));
      };
      request.onerror = () => reject(new Error('The server could not be reached'));
      const form = new FormData();
      form.append('file', file, file.name);
      request.send(form);
    }),
  renameFile: (id: string, name: string) => api<StoredFile>(`/api/v2/files/${id}?${new URLSearchParams({ name })}`, { method: 'PUT' }),
  deleteFile: (id: string) => api<unknown>(`/api/v2/files/${id}`, { method: 'DELETE' }),
  deleteFiles: (ids: string[]) => api<unknown>('/api/v2/files/batch/', { method: 'DELETE', json: ids }),
  downloadFile: (id: string) => apiResponse(`/api/v2/files/${id}`),
  downloadFiles: (ids: string[]) => apiResponse('/api/v2/files/batch/', { method: 'POST', json: ids }),

  profilePictures: () => api<{ files: string[] }>('/api/v1/files/profile_pictures/list').then((r) => r.files),
  updateUser: (id: string, patch: Partial<{ profile_image: string; is_active: boolean; is_superuser: boolean; password: string; username: string }>) =>
    api<User>(`/api/v1/users/${id}`, { method: 'PATCH', json: patch }),
  changePassword: (id: string, password: string) => api<User>(`/api/v1/users/${id}/reset-password`, { method: 'PATCH', json: { password } }),

  users: (search: string, skip: number, limit: number) =>
    api<{ total_count: number; users: (User & { create_at?: string; updated_at?: string })[] }>(`/api/v1/users/?${new URLSearchParams({ skip: String(skip), limit: String(limit), ...(search ? { search } : {}) })}`),
  createUser: (username: string, password: string) => api<User>('/api/v1/users/', { method: 'POST', json: { username, password } }),
  deleteUser: (id: string) => api<unknown>(`/api/v1/users/${id}`, { method: 'DELETE' }),
};

/** Saves a response's body as a file (the name from Content-Disposition when it gives one). */
export async function saveResponse(response: Response, fallback: string): Promise<void> {
  const disposition = response.headers.get('content-disposition') ?? '';
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const name = utf8 ? decodeURIComponent(utf8[1]) : plain ? plain[1] : fallback;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A row action's outcome as a toast (`done`, or the server's reason), then `after` (refetch the list) either way. */
export function reportOutcome(action: Promise<unknown>, done: string, after: () => unknown): void {
  void action
    .then(() => toast.success(done))
    .catch((error: unknown) => toast.error(errorText(error)))
    .finally(() => void after());
}
