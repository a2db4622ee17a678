import { useEffect, useId, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { flowsApi } from '../api/flows';
import { useConfig, useDeleteFlow, useDuplicateFlow, useProjectFlows, useProjects, useUpdateFlow, useUploadFlows } from '../api/queries';
import type { FlowHeader, Project } from '../api/types';
import { ConfirmDialog, Dialog, TextPromptDialog } from './Dialog';
import { checkImportFile, downloadFile, safeFileName } from './import-files';
import { Menu } from './Menu';
import { NewFlowDialog } from './NewFlowDialog';
import { ProjectsSidebar } from './ProjectsSidebar';
import { Link, navigate } from './router';
import { toast } from './toasts';

type Pending = { kind: 'new' } | { kind: 'rename' | 'delete' | 'move'; flow: FlowHeader } | null;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The home page: the projects sidebar and the flows of the selected project (`/`, `/all/folder/{id}`). */
export function FlowsPage({ folderId }: { folderId: string | null }): ReactNode {
  const projects = useProjects();
  const config = useConfig();
  const list = projects.data ?? [];
  const defaultProject = list.find((p) => p.name === config.data?.default_folder_name) ?? list[0] ?? null;
  const selected = folderId ? (list.find((p) => p.id === folderId) ?? null) : defaultProject;

  return (
    <div className="home">
      <ProjectsSidebar projects={list} selectedId={selected?.id ?? null} defaultId={defaultProject?.id ?? null} />
      {projects.isError ? (
        <main className="content page-message">
          <p role="alert">Projects could not be loaded: {messageOf(projects.error)}</p>
        </main>
      ) : projects.isPending ? (
        <main className="content" aria-busy="true">
          <p className="muted">Loading projects…</p>
        </main>
      ) : selected ? (
        <ProjectFlows key={selected.id} project={selected} projects={list} />
      ) : (
        <main className="content page-message">
          <h1>Project not found</h1>
          <p>
            It may have been deleted. <Link to="/">Back to your projects</Link>
          </p>
        </main>
      )}
    </div>
  );
}

function ProjectFlows({ project, projects }: { project: Project; projects: Project[] }): ReactNode {
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const [pending, setPending] = useState<Pending>(null);
  const [dragging, setDragging] = useState(false);
  const [importing, setImporting] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const searchId = useId();
  const flows = useProjectFlows(project.id, search, page);
  const update = useUpdateFlow();
  const remove = useDeleteFlow();
  const duplicate = useDuplicateFlow();
  const upload = useUploadFlows();

  // The server filters by name; wait for a pause in typing.
  useEffect(() => {
    const timer = setTimeout(() => {
      setSearch(query.trim());
      setPage(1);
    }, 250);
    return () => clearTimeout(timer);
  }, [query]);

  async function importFiles(files: File[]): Promise<void> {
    setImporting(true);
    // One notice for everything that worked; one per file that did not, naming it and why.
    const imported: string[] = [];
    try {
      for (const file of files) {
        const checked = await checkImportFile(file);
        if (!checked.ok) {
          toast.error(checked.message);
          continue;
        }
        try {
          const created = await upload.mutateAsync({ file: checked.upload, folderId: project.id });
          if (created.length === 0) toast.error(`${file.name} holds no flows: nothing was imported`);
          imported.push(...created.map((flow) => flow.name));
        } catch (error) {
          toast.error(`${file.name} was not imported: ${messageOf(error)}`);
        }
      }
    } finally {
      setImporting(false);
      if (imported.length > 0) toast.success(imported.length === 1 ? `Imported ${imported[0]}` : `Imported ${imported.length} flows`);
    }
  }

  async function exportFlow(flow: FlowHeader): Promise<void> {
    try {
      const json = await flowsApi.exportFlow(flow.id);
      downloadFile(safeFileName(flow.name, '.json'), new Blob([JSON.stringify(json, null, 2)], { type: 'application/json' }));
    } catch (error) {
      toast.error(`${flow.name} was not exported: ${messageOf(error)}`);
    }
  }

  async function duplicateFlow(flow: FlowHeader): Promise<void> {
    try {
      toast.success(`Created ${(await duplicate.mutateAsync(flow.id)).name}`);
    } catch (error) {
      toast.error(`${flow.name} was not duplicated: ${messageOf(error)}`);
    }
  }

  const dragHasFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');
  const items = flows.data?.flows.items ?? [];
  const pages = flows.data?.flows.pages ?? 1;

  return (
    <main
      className="content"
      aria-labelledby="project-title"
      onDragOver={(event) => {
        if (!dragHasFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (event.currentTarget === event.target) setDragging(false);
      }}
      onDrop={(event) => {
        if (!dragHasFiles(event)) return;
        event.preventDefault();
        setDragging(false);
        void importFiles([...event.dataTransfer.files]);
      }}
    >
      <div className="content-head">
        <h1 id="project-title">{project.name}</h1>
        <div className="toolbar">
          <label htmlFor={searchId} className="visually-hidden">
            Search flows
          </label>
          <input id={searchId} type="search" placeholder="Search flows" value={query} onChange={(event) => setQuery(event.target.value)} />
          <button type="button" onClick={() => picker.current?.click()} disabled={importing}>
            {importing ? 'Importing…' : 'Import'}
          </button>
          <input
            ref={picker}
            type="file"
            accept=".json,.zip,application/json,application/zip"
            multiple
            hidden
            aria-label="Flow files to import"
            data-testid="import-flows-input"
            onChange={(event) => {
              const files = [...(event.target.files ?? [])];
              event.target.value = '';
              void importFiles(files);
            }}
          />
          <button type="button" className="primary" onClick={() => setPending({ kind: 'new' })}>
            New flow
          </button>
        </div>
      </div>
      <p className="hint">Drop a Langflow flow (JSON) or a zip of flows anywhere here to import it.</p>

      {flows.isError ? (
        <p role="alert">Flows could not be loaded: {messageOf(flows.error)}</p>
      ) : flows.isPending ? (
        <p className="muted" aria-busy="true">
          Loading flows…
        </p>
      ) : items.length === 0 ? (
        <div className="empty">
          {search ? <p>No flow matches “{search}”.</p> : <p>This project has no flows yet. Create one, start from an example, or import a Langflow flow.</p>}
        </div>
      ) : (
        <ul className="flow-list" aria-label={`Flows in ${project.name}`}>
          {items.map((flow) => (
            <li key={flow.id} className="flow-card">
              <div className="flow-main">
                <Link to={`/flow/${flow.id}`} className="flow-name">
                  {flow.name}
                </Link>
                {flow.description && <p className="flow-description">{flow.description}</p>}
              </div>
              <Menu
                label={`Actions for flow ${flow.name}`}
                items={[
                  { label: 'Open', onSelect: () => navigate(`/flow/${flow.id}`) },
                  { label: 'Rename', onSelect: () => setPending({ kind: 'rename', flow }) },
                  { label: 'Duplicate', onSelect: () => void duplicateFlow(flow) },
                  { label: 'Move to project…', onSelect: () => setPending({ kind: 'move', flow }) },
                  { label: 'Export', onSelect: () => void exportFlow(flow) },
                  { label: 'Delete', danger: true, onSelect: () => setPending({ kind: 'delete', flow }) },
                ]}
              />
            </li>
          ))}
        </ul>
      )}
      {pages > 1 && (
        <nav className="pager" aria-label="Pages of flows">
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          <span>
            Page {page} of {pages}
          </span>
          <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            Next
          </button>
        </nav>
      )}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop to import into {project.name}
        </div>
      )}

      {pending?.kind === 'new' && <NewFlowDialog project={project} onClose={() => setPending(null)} />}
      {pending?.kind === 'rename' && (
        <TextPromptDialog
          title="Rename flow"
          label="Flow name"
          initial={pending.flow.name}
          submitLabel="Rename"
          onSubmit={(name) => update.mutateAsync({ id: pending.flow.id, patch: { name } })}
          onClose={() => setPending(null)}
        />
      )}
      {pending?.kind === 'delete' && (
        <ConfirmDialog
          title="Delete flow"
          message={
            <>
              Delete <strong>{pending.flow.name}</strong>? This cannot be undone.
            </>
          }
          confirmLabel="Delete flow"
          onConfirm={async () => {
            await remove.mutateAsync(pending.flow.id);
            toast.success(`Deleted ${pending.flow.name}`);
          }}
          onClose={() => setPending(null)}
        />
      )}
      {pending?.kind === 'move' && <MoveDialog flow={pending.flow} projects={projects} onClose={() => setPending(null)} onMove={(folderId) => update.mutateAsync({ id: pending.flow.id, patch: { folder_id: folderId } })} />}
    </main>
  );
}

function MoveDialog({ flow, projects, onMove, onClose }: { flow: FlowHeader; projects: Project[]; onMove: (folderId: string) => Promise<unknown>; onClose: () => void }): ReactNode {
  const others = projects.filter((p) => p.id !== flow.folder_id);
  const [target, setTarget] = useState(others[0]?.id ?? '');
  const [error, setError] = useState<string | null>(null);
  const selectId = useId();
  return (
    <Dialog title={`Move ${flow.name}`} onClose={onClose}>
      <form
        className="dialog-body"
        onSubmit={async (event) => {
          event.preventDefault();
          try {
            await onMove(target);
            toast.success(`Moved ${flow.name} to ${projects.find((p) => p.id === target)?.name ?? 'the project'}`);
            onClose();
          } catch (failure) {
            setError(messageOf(failure));
          }
        }}
      >
        {others.length === 0 ? (
          <p>There is no other project yet: create one in the sidebar first.</p>
        ) : (
          <>
            <label htmlFor={selectId}>Move to project</label>
            <select id={selectId} value={target} onChange={(event) => setTarget(event.target.value)}>
              {others.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </>
        )}
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={others.length === 0}>
            Move
          </button>
        </div>
      </form>
    </Dialog>
  );
}
