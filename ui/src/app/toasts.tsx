// Short notices after an action: successes fade after a few seconds, errors stay until dismissed.
// Both live in ARIA live regions so screen readers announce them.
import type { ReactNode } from 'react';
import { create } from 'zustand';

interface Toast {
  id: number;
  kind: 'success' | 'error';
  text: string;
}

const useToasts = create<{ toasts: Toast[] }>(() => ({ toasts: [] }));
let nextId = 1;

function dismiss(id: number): void {
  useToasts.setState((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) }));
}

function push(kind: Toast['kind'], text: string): void {
  const id = nextId++;
  useToasts.setState((state) => ({ toasts: [...state.toasts.slice(-4), { id, kind, text }] }));
  if (kind === 'success') setTimeout(() => dismiss(id), 5000);
}

export const toast = {
  success: (text: string) => push('success', text),
  error: (text: string) => push('error', text),
};

export function Toasts(): ReactNode {
  const toasts = useToasts((state) => state.toasts);
  return (
    <div className="toasts">
      <div role="status" aria-live="polite">
        {toasts
          .filter((t) => t.kind === 'success')
          .map((t) => (
            <div key={t.id} className="toast toast-success">
              {t.text}
            </div>
          ))}
      </div>
      <div role="alert" aria-live="assertive">
        {toasts
          .filter((t) => t.kind === 'error')
          .map((t) => (
            <div key={t.id} className="toast toast-error">
              <span>{t.text}</span>
              <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
                ×
              </button>
            </div>
          ))}
      </div>
    </div>
  );
}
