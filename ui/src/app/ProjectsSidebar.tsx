import { useRef, useState, type ReactNode } from 'react';
import { flowsApi } from '../api/flows';
import { useCreateProject, useDeleteProject, useRenameProject, useUploadProject } from '../api/queries';
import type { Project } from '../api/types';
import { ConfirmDialog, TextPromptDialog } from './Dialog';
import { checkImportFile, downloadFile, safeFileName } from './import-files';
import { Menu } from './Menu';
import { Link, navigate } from './router';
import { toast } from './toasts';

export const projectPath = (id: string) => `/all/folder/${id}`;

type Pending = { kind: 'create' } | { kind: 'rename'; project: Project } | { kind: 'delete'; project: Project } | null;

/** The projects list: select, create, rename, delete, import and export (Langflow's sidebar). */
export function ProjectsSidebar({ projects, selectedId, defaultId }: { projects: Project[]; selectedId: string | null; defaultId: string | null }): ReactNode {
  const [pending, setPending] = useState<Pending>(null);
  const create = useCreateProject();
  const rename = useRenameProject();
  const remove = useDeleteProject();
  const uploadProject = useUploadProject();
  const picker = useRef<HTMLInputElement>(null);

  async function importProject(file: File): Promise<void> {
    const checked = await checkImportFile(file);
    if (!checked.ok) return toast.error(checked.message);
    try {
      const flows = await uploadProject.mutateAsync(checked.upload);
      toast.success(`Imported a project with ${flows.length} flow${flows.length === 1 ? '' : 's'}`);
      const folderId = flows[0]?.folder_id;
      if (folderId) navigate(projectPath(folderId));
    } catch (error) {
      toast.error(`${file.name} was not imported: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async function exportProject(project: Project): Promise<void> {
    try {
      downloadFile(safeFileName(project.name, '.zip'), await flowsApi.exportProject(project.id));
    } catch (error) {
      toast.error(`${project.name} was not exported: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  return (
    <aside className="sidebar" aria-labelledby="projects-heading">
      <div className="sidebar-head">
        <h2 id="projects-heading">Projects</h2>
        <button type="button" className="icon-button" aria-label="Import a project" title="Import a project (zip or JSON export)" onClick={() => picker.current?.click()}>
          ⇪
        </button>
        <button type="button" className="icon-button" aria-label="New project" title="New project" onClick={() => setPending({ kind: 'create' })}>
          +
        </button>
        <input
          ref={picker}
          type="file"
          accept=".json,.zip,application/json,application/zip"
          hidden
          aria-label="Project file to import"
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) void importProject(file);
          }}
        />
      </div>
      <nav aria-label="Projects">
        <ul className="project-list">
          {projects.map((project) => (
            <li key={project.id} className={project.id === selectedId ? 'selected' : undefined}>
              <Link to={projectPath(project.id)} aria-current={project.id === selectedId ? 'page' : undefined} className="project-link">
                {project.name}
              </Link>
              <Menu
                label={`Actions for project ${project.name}`}
                items={[
                  { label: 'Rename', onSelect: () => setPending({ kind: 'rename', project }) },
                  { label: 'Export', onSelect: () => void exportProject(project) },
                  ...(project.id === defaultId ? [] : [{ label: 'Delete', danger: true, onSelect: () => setPending({ kind: 'delete', project }) }]),
                ]}
              />
            </li>
          ))}
        </ul>
      </nav>
      {pending?.kind === 'create' && (
        <TextPromptDialog
          title="New project"
          label="Project name"
          initial="New Project"
          submitLabel="Create"
          onSubmit={async (name) => navigate(projectPath((await create.mutateAsync(name)).id))}
          onClose={() => setPending(null)}
        />
      )}
      {pending?.kind === 'rename' && (
        <TextPromptDialog
          title="Rename project"
          label="Project name"
          initial={pending.project.name}
          submitLabel="Rename"
          onSubmit={(name) => rename.mutateAsync({ id: pending.project.id, name })}
          onClose={() => setPending(null)}
        />
      )}
      {pending?.kind === 'delete' && (
        <ConfirmDialog
          title="Delete project"
          message={
            <>
              Delete <strong>{pending.project.name}</strong> and every flow in it? This cannot be undone.
            </>
          }
          confirmLabel="Delete project"
          onConfirm={async () => {
            await remove.mutateAsync(pending.project.id);
            toast.success(`Deleted project ${pending.project.name}`);
            if (pending.project.id === selectedId) navigate('/', { replace: true });
          }}
          onClose={() => setPending(null)}
        />
      )}
    </aside>
  );
}
