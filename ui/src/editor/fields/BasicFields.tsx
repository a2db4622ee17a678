// Widgets for scalar fields. Every control carries `nodrag` (typing or clicking never drags the node)
// and an accessible name (the field's label), which the browser tests use to find it.
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api } from '../../api/http';
import { clampNumber, maskedSecret, type FieldView } from '../fields';

export interface WidgetProps {
  view: FieldView;
  /** Replaces the field's value (and any other keys given). */
  change: (patch: Record<string, unknown>) => void;
  label: string;
}

const asText = (value: unknown): string => (typeof value === 'string' ? value : value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));

export function TextWidget({ view, change, label }: WidgetProps): ReactNode {
  return <input className="nodrag field-control" aria-label={label} placeholder={view.placeholder} value={asText(view.value)} onChange={(e) => change({ value: e.target.value })} />;
}

export function MultilineWidget({ view, change, label }: WidgetProps): ReactNode {
  return (
    <textarea
      className="nodrag nowheel field-control"
      aria-label={label}
      rows={3}
      placeholder={view.placeholder}
      value={asText(view.value)}
      onChange={(e) => change({ value: e.target.value })}
    />
  );
}

interface Variable {
  id: string;
  name: string;
  type?: string | null;
}

/** A secret: typed (masked), or taken from a global variable (Langflow's `load_from_db`). */
export function SecretWidget({ view, change, label }: WidgetProps): ReactNode {
  const [editing, setEditing] = useState(false);
  const variables = useQuery({ queryKey: ['variables'], queryFn: () => api<Variable[]>('/api/v1/variables/'), staleTime: 30_000 });
  if (view.fromVariable && typeof view.value === 'string' && view.value) {
    return (
      <div className="secret-variable">
        <span className="chip" title="Read from a global variable when the flow runs">
          {view.value}
        </span>
        <button type="button" className="nodrag link-button" aria-label={`Stop using the variable for ${label}`} onClick={() => change({ value: '', load_from_db: false })}>
          ×
        </button>
      </div>
    );
  }
  const names = (variables.data ?? []).map((v) => v.name);
  return (
    <div className="secret-field">
      <input
        className="nodrag field-control"
        type={editing ? 'text' : 'password'}
        aria-label={label}
        autoComplete="off"
        placeholder={view.placeholder || 'Type a secret or pick a variable'}
        value={editing ? asText(view.value) : maskedSecret(view.value, false)}
        onFocus={() => setEditing(true)}
        onBlur={() => setEditing(false)}
        onChange={(e) => change({ value: e.target.value, load_from_db: false })}
      />
      <select className="nodrag variable-select" aria-label={`Global variable for ${label}`} value="" onChange={(e) => e.target.value && change({ value: e.target.value, load_from_db: true })}>
        <option value="">{names.length > 0 ? 'Variable…' : 'No variables'}</option>
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}

export function NumberWidget({ view, change, label }: WidgetProps): ReactNode {
  const [draft, setDraft] = useState<string | null>(null);
  const kind = view.kind === 'int' ? 'int' : 'float';
  const shown = draft ?? asText(view.value);
  return (
    <input
      className="nodrag field-control"
      type="number"
      aria-label={label}
      min={view.range?.min}
      max={view.range?.max}
      step={view.range?.step ?? (kind === 'int' ? 1 : 'any')}
      value={shown}
      onChange={(e) => {
        setDraft(e.target.value);
        const value = clampNumber(e.target.value, kind, view.range);
        if (value !== undefined) change({ value });
      }}
      onBlur={() => setDraft(null)}
    />
  );
}

export function SliderWidget({ view, change, label }: WidgetProps): ReactNode {
  const min = view.range?.min ?? 0;
  const max = view.range?.max ?? 1;
  const value = typeof view.value === 'number' ? view.value : min;
  return (
    <div className="slider-field">
      <input
        className="nodrag field-control"
        type="range"
        aria-label={label}
        min={min}
        max={max}
        step={view.range?.step ?? 'any'}
        value={value}
        onChange={(e) => {
          const next = clampNumber(e.target.value, 'slider', view.range);
          if (next !== undefined) change({ value: next });
        }}
      />
      <output>{value}</output>
    </div>
  );
}

export function BoolWidget({ view, change, label }: WidgetProps): ReactNode {
  return (
    <label className="switch nodrag">
      <input type="checkbox" role="switch" aria-label={label} checked={view.value === true} onChange={(e) => change({ value: e.target.checked })} />
      <span aria-hidden="true" />
    </label>
  );
}

export function DropdownWidget({ view, change, label }: WidgetProps): ReactNode {
  const value = asText(view.value);
  if (view.combobox) {
    const listId = `options-${label.replace(/\W/g, '')}-${view.name}`;
    return (
      <>
        <input className="nodrag field-control" aria-label={label} list={listId} value={value} onChange={(e) => change({ value: e.target.value })} />
        <datalist id={listId}>
          {view.options.map((option) => (
            <option key={option} value={option} />
          ))}
        </datalist>
      </>
    );
  }
  const options = view.options.includes(value) || value === '' ? view.options : [value, ...view.options];
  return (
    <select className="nodrag field-control" aria-label={label} value={value} onChange={(e) => change({ value: e.target.value })}>
      {value === '' && <option value="">Choose…</option>}
      {options.map((option) => (
        <option key={option} value={option}>
          {option}
        </option>
      ))}
    </select>
  );
}

export function TabWidget({ view, change, label }: WidgetProps): ReactNode {
  return (
    <div className="tabs nodrag" role="radiogroup" aria-label={label}>
      {view.options.map((option) => (
        <button type="button" key={option} role="radio" aria-checked={view.value === option} className={view.value === option ? 'tab active' : 'tab'} onClick={() => change({ value: option })}>
          {option}
        </button>
      ))}
    </div>
  );
}

export function ListWidget({ view, change, label }: WidgetProps): ReactNode {
  const items = Array.isArray(view.value) ? view.value.map(asText) : view.value ? [asText(view.value)] : [];
  const set = (next: string[]) => change({ value: next });
  return (
    <div className="list-field">
      {items.map((item, index) => (
        <div className="row" key={index}>
          <input className="nodrag field-control" aria-label={`${label} ${index + 1}`} value={item} onChange={(e) => set(items.map((v, i) => (i === index ? e.target.value : v)))} />
          <button type="button" className="nodrag link-button" aria-label={`Remove ${label} ${index + 1}`} onClick={() => set(items.filter((_, i) => i !== index))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="nodrag link-button" onClick={() => set([...items, ''])}>
        + Add
      </button>
    </div>
  );
}

/** Code is shown, never edited: Weft does not run submitted Python (custom components answer 400). */
export function CodeWidget({ view, label }: WidgetProps): ReactNode {
  // Drawn only when opened: every component carries hundreds of lines, and a flow opens faster without them.
  const [open, setOpen] = useState(false);
  const code = asText(view.value);
  return (
    <details className="code-field nodrag nowheel" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{code.split('\n').length} lines of code (read-only)</summary>
      {open && <pre aria-label={label}>{code}</pre>}
    </details>
  );
}

export function ReadonlyWidget({ view, label }: WidgetProps): ReactNode {
  const text = asText(view.value);
  return (
    <span className="readonly-value" aria-label={label} title="Not editable in Weft; kept as is">
      {text.length > 80 ? `${text.slice(0, 80)}…` : text || '—'}
    </span>
  );
}
