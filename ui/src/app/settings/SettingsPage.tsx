// Settings (/settings/*), Langflow's addresses. The sections themselves come with issue 14 (ui-app):
// each is one entry of SECTIONS and one component.
import type { ReactNode } from 'react';
import { Link, navigate } from '../router';

interface Section {
  path: string;
  title: string;
  render: () => ReactNode;
}

export const SECTIONS: Section[] = [
  { path: 'general', title: 'General', render: () => <p>Account settings arrive with the settings pages (issue 14).</p> },
];

export function SettingsPage({ section }: { section: string }): ReactNode {
  const current = SECTIONS.find((s) => s.path === section);
  if (!current) {
    navigate(`/settings/${SECTIONS[0].path}`, { replace: true });
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
            {SECTIONS.map((s) => (
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
