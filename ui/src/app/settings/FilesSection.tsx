// My files (/settings/files, Langflow's /assets/files): upload with progress, list with sizes, rename,
// download, delete, and several at once (download as a zip, delete).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type ReactNode } from 'react';
import { session } from '../../api/session';
import { toast } from '../toasts';
import { errorText, reportOutcome, saveResponse, settingsApi, type StoredFile } from './settings-api';

const KEY = ['settings', 'files'];

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const suffix = (file: StoredFile) => /\.[A-Za-z0-9]+$/.exec(file.path)?.[0] ?? '';

export function FilesSection(): ReactNode {
  const client = useQueryClient();
  const list = useQuery({ queryKey: KEY, queryFn: settingsApi.files });
  const [progress, setProgress] = useState<{ name: string; fraction: number } | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [renaming, setRenaming] = useState<string | null>(null);
  const [newName, setNewName] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const refresh = () => client.invalidateQueries({ queryKey: KEY });
  const files = list.data ?? [];

  async function upload(chosen: FileList | null): Promise<void> {
    for (const file of Array.from(chosen ?? [])) {
      setProgress({ name: file.name, fraction: 0 });
      try {
        await settingsApi.uploadFile(file, session.getState().accessToken, (fraction) => setProgress({ name: file.name, fraction }));
        toast.success(`${file.name} uploaded`);
      } catch (error) {
        toast.error(`${file.name}: ${errorText(error)}`);
      }
    }
    setProgress(null);
    if (input.current) input.current.value = '';
    await refresh();
  }

  async function removeSelected(): Promise<void> {
    try {
      await settingsApi.deleteFiles([...selected]);
      toast.success(`${selected.size} files deleted`);
      setSelected(new Set());
    } catch (error) {
      toast.error(errorText(error));
    }
    await refresh();
  }

  return (
    <div className="settings-section">
      <div className="settings-form">
        <label>
          Upload files
          <input ref={input} type="file" multiple onChange={(e) => void upload(e.target.files)} />
        </label>
        {progress && (
          <label>
            Uploading {progress.name}
            <progress className="progress" value={progress.fraction} max={1} />
          </label>
        )}
        <span className="toolbar-spacer" />
        <button type="button" disabled={selected.size === 0} onClick={() => void settingsApi.downloadFiles([...selected]).then((r) => saveResponse(r, 'files.zip'), (e: unknown) => toast.error(errorText(e)))}>
          Download selected
        </button>
        <button type="button" disabled={selected.size === 0} onClick={() => void removeSelected()}>
          Delete selected ({selected.size})
        </button>
      </div>
      {list.isError && <p role="alert">{list.error.message}</p>}
      <table className="settings-table" aria-label="Files">
        <thead>
          <tr>
            <th scope="col">
              <input
                type="checkbox"
                aria-label="Select all files"
                checked={files.length > 0 && selected.size === files.length}
                onChange={(e) => setSelected(e.target.checked ? new Set(files.map((f) => f.id)) : new Set())}
              />
            </th>
            <th scope="col">Name</th>
            <th scope="col">Size</th>
            <th scope="col">Modified</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {files.map((file) => (
            <tr key={file.id} data-testid="file-row">
              <td>
                <input
                  type="checkbox"
                  aria-label={`Select ${file.name}`}
                  checked={selected.has(file.id)}
                  onChange={(e) =>
                    setSelected((current) => {
                      const next = new Set(current);
                      if (e.target.checked) next.add(file.id);
                      else next.delete(file.id);
                      return next;
                    })
                  }
                />
              </td>
              <td>
                {renaming === file.id ? (
                  <form
                    onSubmit={(event) => {
                      event.preventDefault();
                      reportOutcome(settingsApi.renameFile(file.id, newName), 'File renamed', () => {
                        setRenaming(null);
                        return refresh();
                      });
                    }}
                  >
                    <input aria-label={`New name for ${file.name}`} value={newName} onChange={(e) => setNewName(e.target.value)} autoFocus /> <button type="submit">Save</button>
                  </form>
                ) : (
                  `${file.name}${suffix(file)}`
                )}
              </td>
              <td>{formatSize(file.size)}</td>
              <td>{file.updated_at ? new Date(file.updated_at).toLocaleString() : ''}</td>
              <td className="actions">
                <button
                  type="button"
                  aria-label={`Rename ${file.name}`}
                  onClick={() => {
                    setNewName(file.name);
                    setRenaming(file.id);
                  }}
                >
                  Rename
                </button>
                <button type="button" aria-label={`Download ${file.name}`} onClick={() => void settingsApi.downloadFile(file.id).then((r) => saveResponse(r, `${file.name}${suffix(file)}`), (e: unknown) => toast.error(errorText(e)))}>
                  Download
                </button>
                <button
                  type="button"
                  aria-label={`Delete ${file.name}`}
                  onClick={() => reportOutcome(settingsApi.deleteFile(file.id), `${file.name} deleted`, refresh)}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {files.length === 0 && !list.isPending && <p className="muted">No files yet.</p>}
    </div>
  );
}
