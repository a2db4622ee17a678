// The outputs of the inspected component from the last run: text as text, a DataFrame (rows of
// objects) as a table, anything else as JSON.
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import { useEditor } from './EditorContext';
import { nodeName } from './compat';
import { outputView, type OutputLog } from './run-state';

const MAX_ROWS = 200;

function OutputBody({ log }: { log: OutputLog }): ReactNode {
  const view = outputView(log);
  if (view.kind === 'text') return <pre className="output-text">{view.text}</pre>;
  if (view.kind === 'json') return <pre className="output-json">{view.json}</pre>;
  return (
    <div className="output-table">
      <table>
        <thead>
          <tr>
            {view.columns.map((column) => (
              <th key={column}>{column}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {view.rows.slice(0, MAX_ROWS).map((row, index) => (
            <tr key={index}>
              {view.columns.map((column) => (
                <td key={column}>{typeof row[column] === 'string' ? (row[column] as string) : JSON.stringify(row[column] ?? '')}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {view.rows.length > MAX_ROWS && <p className="muted">First {MAX_ROWS} of {view.rows.length} rows.</p>}
    </div>
  );
}

export function OutputInspector(): ReactNode {
  const { runner, flow } = useEditor();
  const inspected = useStore(runner.store, (s) => s.inspected);
  const run = useStore(runner.store, (s) => (s.inspected ? s.run.nodes[s.inspected] : undefined));
  const node = useStore(flow, (s) => (inspected ? s.nodes.find((n) => n.id === inspected) : undefined));
  if (!inspected) return null;
  return (
    <aside className="output-inspector" aria-label="Component outputs">
      <header>
        <h2>{node ? nodeName(node) : inspected}</h2>
        <button type="button" className="icon-button" aria-label="Close outputs" onClick={() => runner.inspect(null)}>
          ×
        </button>
      </header>
      {run?.duration && <p className="muted">Ran in {run.duration}</p>}
      {run?.error && (
        <p className="field-error" role="alert">
          {run.error}
        </p>
      )}
      {Object.entries(run?.outputs ?? {}).map(([name, log]) => (
        <section key={name} className="output-section" data-output={name}>
          <h3>
            {node?.data.node?.outputs?.find((o) => o.name === name)?.display_name ?? name} <span className="muted">({log.type})</span>
          </h3>
          <OutputBody log={log} />
        </section>
      ))}
      {!run?.outputs && <p className="muted">Run the flow to see this component’s outputs.</p>}
    </aside>
  );
}
