// The editor's keyboard shortcuts (Langflow's): Delete/Backspace, Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z (and
// Ctrl+Y), Ctrl/Cmd+C, V, D, S. Keys typed into a field belong to the field.

export type Shortcut = 'delete' | 'undo' | 'redo' | 'copy' | 'paste' | 'duplicate' | 'save';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export function shortcutOf(event: KeyLike, mac: boolean): Shortcut | null {
  const command = mac ? event.metaKey : event.ctrlKey;
  const key = event.key.toLowerCase();
  if (!command && !event.altKey && (key === 'delete' || key === 'backspace')) return 'delete';
  if (!command || event.altKey) return null;
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && !mac) return 'redo';
  if (event.shiftKey) return null;
  if (key === 'c') return 'copy';
  if (key === 'v') return 'paste';
  if (key === 'd') return 'duplicate';
  if (key === 's') return 'save';
  return null;
}

/** True when the key goes to a text control (its own undo, copy and delete). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'range', 'file', 'submit'].includes(type);
}
