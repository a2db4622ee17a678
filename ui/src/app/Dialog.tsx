// Modal dialogs on the native <dialog>: focus is trapped and Escape closes, as screen readers expect.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';

export function Dialog({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }): ReactNode {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} className={wide ? 'dialog dialog-wide' : 'dialog'} aria-labelledby={titleId} onClose={onClose}>
      <div className="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      {children}
    </dialog>
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Asks for one text value (a name); a failed save keeps the dialog open with the server's reason. */
export function TextPromptDialog(props: { title: string; label: string; initial: string; submitLabel: string; onSubmit: (value: string) => Promise<unknown>; onClose: () => void }): ReactNode {
  const [value, setValue] = useState(props.initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputId = useId();
  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    const trimmed = value.trim();
    if (!trimmed) {
      setError(`${props.label} cannot be empty`);
      return;
    }
    setBusy(true);
    try {
      await props.onSubmit(trimmed);
      props.onClose();
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  }
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <form onSubmit={submit} className="dialog-body">
        <label htmlFor={inputId}>{props.label}</label>
        <input id={inputId} value={value} autoFocus onChange={(event) => setValue(event.target.value)} aria-invalid={error !== null} aria-describedby={error ? `${inputId}-error` : undefined} />
        {error && (
          <p id={`${inputId}-error`} role="alert" className="field-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {props.submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** A yes/no question before something that cannot be undone. */
export function ConfirmDialog(props: { title: string; message: ReactNode; confirmLabel: string; onConfirm: () => Promise<unknown>; onClose: () => void }): ReactNode {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function confirm(): Promise<void> {
    setBusy(true);
    try {
      await props.onConfirm();
      props.onClose();
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
    }
  }
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <div className="dialog-body">
        <p>{props.message}</p>
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={props.onClose} autoFocus>
            Cancel
          </button>
          <button type="button" className="danger" disabled={busy} onClick={confirm}>
            {props.confirmLabel}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
