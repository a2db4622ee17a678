// The playground's sessions: the flow's default session (its id, as Langflow names it) and every other
// session that has messages, plus new ones started here. Rename and delete act on the stored messages.
import { useState, type ReactNode } from 'react';

export interface SessionListProps {
  /** The session a message goes to unless another is chosen (shown as "Default session"). */
  defaultSession: string;
  sessions: string[];
  current: string;
  /** Rename and delete are offered (the signed-in playground). */
  editable: boolean;
  onSelect(id: string): void;
  onNew(): void;
  onRename(id: string, name: string): void;
  onDelete(id: string): void;
}

export const sessionLabel = (id: string, defaultSession: string): string => (id === defaultSession ? 'Default session' : id);

export function SessionList({ defaultSession, sessions, current, editable, onSelect, onNew, onRename, onDelete }: SessionListProps): ReactNode {
  const [renaming, setRenaming] = useState<string | null>(null);
  const [name, setName] = useState('');
  return (
    <nav className="pg-sessions" aria-label="Chat sessions">
      <div className="pg-sessions-head">
        <h2>Sessions</h2>
        <button type="button" onClick={onNew}>
          + New session
        </button>
      </div>
      <ul>
        {sessions.map((id) => (
          <li key={id} className={id === current ? 'selected' : undefined}>
            {renaming === id ? (
              <form
                className="pg-rename"
                onSubmit={(event) => {
                  event.preventDefault();
                  const trimmed = name.trim();
                  if (trimmed && trimmed !== id) onRename(id, trimmed);
                  setRenaming(null);
                }}
              >
                <input aria-label={`New name for ${sessionLabel(id, defaultSession)}`} value={name} onChange={(e) => setName(e.target.value)} autoFocus />
                <button type="submit">Save</button>
                <button type="button" onClick={() => setRenaming(null)}>
                  Cancel
                </button>
              </form>
            ) : (
              <>
                <button type="button" className="pg-session" aria-current={id === current ? 'true' : undefined} onClick={() => onSelect(id)} title={id}>
                  {sessionLabel(id, defaultSession)}
                </button>
                {editable && (
                  <span className="pg-session-actions">
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={`Rename session ${sessionLabel(id, defaultSession)}`}
                      onClick={() => {
                        setName(id);
                        setRenaming(id);
                      }}
                    >
                      ✎
                    </button>
                    <button type="button" className="icon-button" aria-label={`Delete session ${sessionLabel(id, defaultSession)}`} onClick={() => onDelete(id)}>
                      ✕
                    </button>
                  </span>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
