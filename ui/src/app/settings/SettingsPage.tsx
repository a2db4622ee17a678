// Settings (/settings/*), Langflow's addresses: each section is one entry of SECTIONS and one
// component. Users is offered to superusers only (the server refuses its routes to anyone else).
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import { session } from '../../api/session';
import { Link, navigate } from '../router';
import { ApiKeysSection } from './ApiKeysSection';
import { FilesSection } from './FilesSection';
import { McpServersSection } from './McpServersSection';
import { ProfileSection } from './ProfileSection';
import { UsersSection } from './UsersSection';
import { VariablesSection } from './VariablesSection';
import { ServerLogsSection } from '../../logs/ServerLogsSection';
import './settings.css';

interface Section {
  path: string;
  title: string;
  render: () => ReactNode;
  superuserOnly?: boolean;
}

export const SECTIONS: Section[] = [
  { path: 'general', title: 'General', render: () => <ProfileSection /> },
  { path: 'global-variables', title: 'Global Variables', render: () => <VariablesSection /> },
  { path: 'api-keys', title: 'API Keys', render: () => <ApiKeysSection /> },
  { path: 'mcp-servers', title: 'MCP Servers', render: () => <McpServersSection /> },
  { path: 'files', title: 'My Files', render: () => <FilesSection /> },
  { path: 'users', title: 'Users', render: () => <UsersSection />, superuserOnly: true },
  { path: 'logs', title: 'Server Logs', render: () => <ServerLogsSection />, superuserOnly: true },
];

export function SettingsPage({ section }: { section: string }): ReactNode {
  const superuser = useStore(session, (s) => s.user?.is_superuser === true);
  const visible = SECTIONS.filter((s) => !s.superuserOnly || superuser);
  const current = visible.find((s) => s.path === section);
  if (!current) {
    navigate(`/settings/${visible[0].path}`, { replace: true });
    return null;
  }
  return (
    <div className="home">
      <aside className="sidebar" aria-labelledby="settings-heading">
        <div className="sidebar-head">
          <h2 id="settings-heading">Settings</h2>
        </div>
        <nav aria-label="Settings">
          <ul className="project-list">
            {visible.map((s) => (
              <li key={s.path} className={s === current ? 'selected' : undefined}>
                <Link to={`/settings/${s.path}`} className="project-link" aria-current={s === current ? 'page' : undefined}>
                  {s.title}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </aside>
      <main className="content" aria-labelledby="settings-title">
        <div className="content-head">
          <h1 id="settings-title">{current.title}</h1>
        </div>
        {current.render()}
      </main>
    </div>
  );
}
