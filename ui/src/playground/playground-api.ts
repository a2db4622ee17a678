// The playground's calls, Langflow's routes: a flow's chat sessions and messages (monitor API) and
// the files attached to a message (files API, stored beside the flow).
import { api } from '../api/http';
import { toChatMessage, type ChatMessage } from './chat-state';

const monitor = '/api/v1/monitor/messages';

export const playgroundApi = {
  sessions: (flowId: string) => api<string[]>(`${monitor}/sessions?${new URLSearchParams({ flow_id: flowId })}`),
  messages: async (flowId: string, sessionId: string): Promise<ChatMessage[]> => {
    const rows = await api<unknown[]>(`${monitor}?${new URLSearchParams({ flow_id: flowId, session_id: sessionId })}`);
    return rows.map((row) => toChatMessage(row)).filter((m): m is ChatMessage => m !== null);
  },
  renameSession: (oldId: string, newId: string) =>
    api<unknown>(`${monitor}/session/${encodeURIComponent(oldId)}?${new URLSearchParams({ new_session_id: newId })}`, { method: 'PATCH' }),
  deleteSession: (sessionId: string) => api<void>(`${monitor}/session/${encodeURIComponent(sessionId)}`, { method: 'DELETE' }),
  editMessage: (message: ChatMessage, text: string) =>
    api<unknown>(`${monitor}/${encodeURIComponent(message.id)}`, { method: 'PUT', json: { text, edit: true, properties: { ...message.properties, edited: true } } }),
  deleteMessages: (ids: string[]) => api<void>(monitor, { method: 'DELETE', json: ids }),
  /** Uploads a file for the flow's Chat Input; gives the path the build is sent (`<flow id>/<name>`). */
  upload: async (flowId: string, file: File): Promise<string> => {
    const form = new FormData();
    form.append('file', file, file.name);
    const answer = await api<{ file_path: string }>(`/api/v1/files/upload/${encodeURIComponent(flowId)}`, { method: 'POST', body: form });
    return answer.file_path;
  },
};

/** Where an attached file can be shown (images) or downloaded, by its stored path. */
export function fileUrl(path: string): { url: string; name: string; image: boolean } {
  const slash = path.indexOf('/');
  const flowId = slash > 0 ? path.slice(0, slash) : '';
  const name = slash > 0 ? path.slice(slash + 1) : path;
  const image = /\.(png|jpe?g|gif|webp|bmp|svg)$/i.test(name);
  const kind = image ? 'images' : 'download';
  return { url: `/api/v1/files/${kind}/${encodeURIComponent(flowId)}/${encodeURIComponent(name)}`, name: name.replace(/^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}_/, ''), image };
}
