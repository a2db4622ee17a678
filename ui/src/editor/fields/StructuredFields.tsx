// Widgets for structured fields: key/value dicts, tables, model choice, files.
import { useState, type ReactNode } from 'react';
import { apiResponse } from '../../api/http';
import { isRecord } from '../flow-types';
import type { WidgetProps } from './BasicFields';

const text = (value: unknown): string => (typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value));

/** A dict (DictInput, NestedDictInput) as key/value rows; nested values are edited as JSON text. */
export function DictWidget({ view, change, label }: WidgetProps): ReactNode {
  const entries = isRecord(view.value) ? Object.entries(view.value) : [];
  const write = (next: [string, unknown][]) => change({ value: Object.fromEntries(next) });
  const parse = (raw: string): unknown => {
    try {
      const parsed: unknown = JSON.parse(raw);
      return typeof parsed === 'object' && parsed !== null ? parsed : raw;
    } catch {
      return raw;
    }
  };
  return (
    <div className="dict-field">
      {entries.map(([key, value], index) => (
        <div className="row" key={index}>
          <input className="nodrag field-control" aria-label={`${label} key ${index + 1}`} value={key} onChange={(e) => write(entries.map((entry, i) => (i === index ? [e.target.value, entry[1]] : entry)))} />
          <input className="nodrag field-control" aria-label={`${label} value ${index + 1}`} value={text(value)} onChange={(e) => write(entries.map((entry, i) => (i === index ? [entry[0], parse(e.target.value)] : entry)))} />
          <button type="button" className="nodrag link-button" aria-label={`Remove ${label} row ${index + 1}`} onClick={() => write(entries.filter((_, i) => i !== index))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="nodrag link-button" onClick={() => write([...entries, [uniqueKey(entries), '']])}>
        + Add pair
      </button>
    </div>
  );
}

function uniqueKey(entries: [string, unknown][]): string {
  let n = entries.length + 1;
  while (entries.some(([key]) => key === `key${n}`)) n++;
  return `key${n}`;
}

/** A table (TableInput): one row per item, one column per schema column. */
export function TableWidget({ view, change, label }: WidgetProps): ReactNode {
  const rows = Array.isArray(view.value) ? view.value.filter(isRecord) : [];
  const columns = view.columns.length > 0 ? view.columns : [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const write = (next: Record<string, unknown>[]) => change({ value: next });
  return (
    <div className="table-field nodrag nowheel">
      <table>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column}>{column}</th>
            ))}
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index}>
              {columns.map((column) => (
                <td key={column}>
                  <input
                    className="nodrag field-control"
                    aria-label={`${label} row ${index + 1} ${column}`}
                    value={text(row[column])}
                    onChange={(e) => write(rows.map((r, i) => (i === index ? { ...r, [column]: e.target.value } : r)))}
                  />
                </td>
              ))}
              <td>
                <button type="button" className="nodrag link-button" aria-label={`Remove ${label} row ${index + 1}`} onClick={() => write(rows.filter((_, i) => i !== index))}>
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="nodrag link-button" onClick={() => write([...rows, Object.fromEntries(columns.map((c) => [c, '']))])}>
        + Add row
      </button>
    </div>
  );
}

const PROVIDERS = ['OpenAI', 'Anthropic', 'Google Generative AI', 'Groq', 'Mistral', 'Azure OpenAI', 'Ollama', 'OpenAI Compatible'];

/** A model choice (ModelInput): `[{name, provider, …}]`; the first entry's other keys are kept. */
export function ModelWidget({ view, change, label }: WidgetProps): ReactNode {
  const current = Array.isArray(view.value) && isRecord(view.value[0]) ? view.value[0] : {};
  const name = typeof current.name === 'string' ? current.name : '';
  const provider = typeof current.provider === 'string' ? current.provider : '';
  const write = (patch: Record<string, unknown>) => change({ value: [{ ...current, ...patch }] });
  const providers = provider && !PROVIDERS.includes(provider) ? [provider, ...PROVIDERS] : PROVIDERS;
  return (
    <div className="model-field">
      <select className="nodrag field-control" aria-label={`${label} provider`} value={provider} onChange={(e) => write({ provider: e.target.value })}>
        <option value="">Provider…</option>
        {providers.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
      <input className="nodrag field-control" aria-label={`${label} name`} placeholder="Model name" value={name} onChange={(e) => write({ name: e.target.value })} />
    </div>
  );
}

/** A file field: uploads to the flow's files (`POST /api/v1/files/upload/{flow_id}`) and keeps the server path. */
export function FileWidget({ view, change, label, flowId }: WidgetProps & { flowId: string }): ReactNode {
  const [status, setStatus] = useState<string | null>(null);
  const names = Array.isArray(view.value) ? view.value.map(text) : view.value ? [text(view.value)] : [];
  async function upload(files: FileList | null): Promise<void> {
    if (!files || files.length === 0) return;
    setStatus('Uploading…');
    try {
      const uploaded: { name: string; path: string }[] = [];
      for (const file of Array.from(files)) {
        const form = new FormData();
        form.append('file', file, file.name);
        const response = await apiResponse(`/api/v1/files/upload/${encodeURIComponent(flowId)}`, { method: 'POST', body: form });
        const body = (await response.json()) as { file_path?: string };
        uploaded.push({ name: file.name, path: body.file_path ?? file.name });
      }
      // A new pick replaces the field's files (names and server paths stay in step).
      if (view.list) change({ value: uploaded.map((u) => u.name), file_path: uploaded.map((u) => u.path) });
      else change({ value: uploaded[0].name, file_path: uploaded[0].path });
      setStatus(null);
    } catch (error) {
      setStatus(error instanceof Error ? error.message : 'The upload failed');
    }
  }
  return (
    <div className="file-field">
      {names.length > 0 && <span className="chip">{names.join(', ')}</span>}
      <input
        className="nodrag"
        type="file"
        aria-label={label}
        multiple={view.list}
        accept={view.fileTypes.length > 0 ? view.fileTypes.map((t) => `.${t}`).join(',') : undefined}
        onChange={(e) => void upload(e.target.files)}
      />
      {status && (
        <span role="status" className="muted">
          {status}
        </span>
      )}
    </div>
  );
}
