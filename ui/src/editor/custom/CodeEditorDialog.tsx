// The code editor of a custom component node: CodeMirror 6 with TypeScript highlighting, and the
// server's syntax and type errors (POST /api/v1/validate/code, which runs nothing) marked on the lines
// they name and listed below. "Save" rebuilds the node from the code on the server.
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Dialog } from '../../app/Dialog';
import { ApiError, describeDetail } from '../../api/http';
import type { NodeBody } from '../flow-types';
import { checkCode, rebuildComponent, type CodeProblem } from './custom-code';

function diagnostics(view: EditorView, problems: CodeProblem[]): Diagnostic[] {
  const doc = view.state.doc;
  return problems.map((p) => {
    const line = doc.line(Math.min(Math.max(p.line, 1), doc.lines));
    const from = Math.min(line.from + p.column, line.to);
    return { from, to: Math.max(from, line.to), severity: 'error', message: p.message, source: p.kind === 'type' ? 'TypeScript' : 'syntax' };
  });
}

function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const detail = error.detail as { error?: unknown } | undefined;
    return detail && typeof detail === 'object' && typeof detail.error === 'string' ? detail.error : describeDetail(error.status, error.detail);
  }
  return error instanceof Error ? error.message : String(error);
}

export function CodeEditorDialog(props: { name: string; code: string; body: NodeBody; onSave: (type: string, body: NodeBody) => void; onClose: () => void }): ReactNode {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const [problems, setProblems] = useState<CodeProblem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!host.current) return;
    const lint = linter(
      async (v) => {
        try {
          const found = await checkCode(v.state.doc.toString());
          setProblems(found);
          return diagnostics(v, found);
        } catch (e) {
          setError(errorText(e));
          return [];
        }
      },
      { delay: 500 },
    );
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: props.code,
        extensions: [
          lineNumbers(), highlightActiveLine(), history(), keymap.of([...defaultKeymap, ...historyKeymap]),
          syntaxHighlighting(defaultHighlightStyle), javascript({ typescript: true }), lintGutter(), lint,
          EditorView.contentAttributes.of({ 'aria-label': `Code of ${props.name}` }),
        ],
      }),
    });
    view.current = editor;
    return () => editor.destroy();
    // The editor is made once per dialog: its document is the state from then on.
  }, []);

  async function save(): Promise<void> {
    const code = view.current?.state.doc.toString() ?? props.code;
    setBusy(true);
    setError(null);
    try {
      const rebuilt = await rebuildComponent(code, props.body);
      props.onSave(rebuilt.type, rebuilt.body);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={`Code of ${props.name}`} onClose={props.onClose} wide>
      <div className="code-editor" ref={host} />
      <div className="code-problems" aria-live="polite">
        {problems === null ? (
          <p className="muted">Checking…</p>
        ) : problems.length === 0 ? (
          <p className="muted">No problems found.</p>
        ) : (
          <ul>
            {problems.map((p, i) => (
              <li key={i} className="code-problem" data-line={p.line}>
                <button type="button" className="link-button" onClick={() => {
                  const v = view.current;
                  if (!v) return;
                  const line = v.state.doc.line(Math.min(Math.max(p.line, 1), v.state.doc.lines));
                  v.dispatch({ selection: { anchor: line.from }, scrollIntoView: true });
                  v.focus();
                }}>
                  Line {p.line}
                </button>
                : {p.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={props.onClose}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={busy} onClick={() => void save()}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </Dialog>
  );
}
