// The component list from /api/v1/all: categories, search, drag onto the canvas (or press Enter /
// click "Add" to drop it in the middle of the view).
import { useReactFlow } from '@xyflow/react';
import { useState, type ReactNode } from 'react';
import { COMPONENT_MIME } from './Canvas';
import { nodeFromCatalog, searchCatalog, type CatalogItem } from './catalog';
import { useEditor } from './EditorContext';
import { useCatalog } from './use-catalog';
import { Icon } from './icons';
import { buildComponent, NEW_COMPONENT_CODE } from './custom/custom-code';
import { newNodeId } from './flow-io';

export function ComponentSidebar({ loading, error }: { loading: boolean; error: string | null }): ReactNode {
  const { flow, notify } = useEditor();
  const catalog = useCatalog().data;
  const [search, setSearch] = useState('');
  const { screenToFlowPosition } = useReactFlow();
  const categories = catalog ? searchCatalog(catalog, search) : [];

  function addInView(item: CatalogItem): void {
    const box = document.querySelector('.canvas')?.getBoundingClientRect();
    const position = box ? screenToFlowPosition({ x: box.left + box.width / 2 - 150, y: box.top + box.height / 3 }) : { x: 0, y: 0 };
    const taken = new Set(flow.getState().nodes.map((n) => n.id));
    flow.getState().addNodes([nodeFromCatalog(item, position, (id) => taken.has(id))]);
  }

  /** A node from the "New custom component" template, built by the server (POST /api/v1/custom_component). */
  async function addCustom(): Promise<void> {
    try {
      const { type, body } = await buildComponent(NEW_COMPONENT_CODE);
      const box = document.querySelector('.canvas')?.getBoundingClientRect();
      const position = box ? screenToFlowPosition({ x: box.left + box.width / 2 - 150, y: box.top + box.height / 3 }) : { x: 0, y: 0 };
      const taken = new Set(flow.getState().nodes.map((n) => n.id));
      const id = newNodeId(type, (candidate) => taken.has(candidate));
      flow.getState().addNodes([{ id, type: 'genericNode', position, data: { id, type, node: body, showNode: true }, selected: true }]);
    } catch (error) {
      notify(`New custom component: ${error instanceof Error ? error.message : String(error)}`, 'error');
    }
  }

  return (
    <aside className="component-sidebar" aria-label="Components">
      <button type="button" className="new-custom" onClick={() => void addCustom()}>
        + New custom component
      </button>
      <input type="search" className="sidebar-search" placeholder="Search components" aria-label="Search components" value={search} onChange={(e) => setSearch(e.target.value)} />
      {loading && <p className="muted">Loading components…</p>}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {catalog && categories.length === 0 && <p className="muted">No component matches “{search}”.</p>}
      {categories.map((category) => (
        <details key={category.name} open={search !== '' || category.name === 'input_output' || category.name === 'models_and_agents' || category.name === 'processing'}>
          <summary>{category.label}</summary>
          <ul>
            {category.items.map((item) => {
              const name = item.body.display_name || item.key;
              return (
                <li
                  key={item.key}
                  className="sidebar-item"
                  draggable
                  tabIndex={0}
                  data-component={item.key}
                  title={item.body.description || name}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(COMPONENT_MIME, item.key);
                    e.dataTransfer.effectAllowed = 'move';
                  }}
                  onKeyDown={(e) => e.key === 'Enter' && addInView(item)}
                >
                  <Icon name={item.body.icon} label={name} size={16} />
                  <span>{name}</span>
                  <button type="button" className="icon-button add-button" aria-label={`Add ${name}`} onClick={() => addInView(item)}>
                    +
                  </button>
                </li>
              );
            })}
          </ul>
        </details>
      ))}
    </aside>
  );
}
