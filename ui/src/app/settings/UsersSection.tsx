// Users (/settings/users, Langflow's /admin), for superusers only: list and search, create, activate
// or deactivate, make superuser, reset a password, delete. The server refuses these routes (403) to
// anyone else; the page is not offered to them.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { session } from '../../api/session';
import type { User } from '../../api/types';
import { reportOutcome, settingsApi } from './settings-api';

const PAGE = 20;

export function UsersSection(): ReactNode {
  const me = useStore(session, (s) => s.user);
  const client = useQueryClient();
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(0);
  const list = useQuery({ queryKey: ['settings', 'users', search, page], queryFn: () => settingsApi.users(search, page * PAGE, PAGE), placeholderData: (previous) => previous });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [resetting, setResetting] = useState<string | null>(null);
  const [newPassword, setNewPassword] = useState('');
  const refresh = () => client.invalidateQueries({ queryKey: ['settings', 'users'] });
  const act = (action: Promise<unknown>, done: string) => reportOutcome(action, done, refresh);

  const total = list.data?.total_count ?? 0;
  return (
    <div className="settings-section">
      <form
        className="settings-form"
        aria-label="New user"
        onSubmit={(event) => {
          event.preventDefault();
          act(
            settingsApi.createUser(username, password).then(() => {
              setUsername('');
              setPassword('');
            }),
            `User ${username} created (inactive until activated)`,
          );
        }}
      >
        <label>
          Username
          <input value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="off" />
        </label>
        <label>
          Password
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="new-password" />
        </label>
        <button type="submit" className="primary">
          Create user
        </button>
      </form>
      <label className="settings-search">
        <span className="visually-hidden">Search users</span>
        <input
          type="search"
          placeholder="Search users"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setPage(0);
          }}
        />
      </label>
      {list.isError && <p role="alert">{list.error.message}</p>}
      <table className="settings-table" aria-label="Users">
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">Active</th>
            <th scope="col">Superuser</th>
            <th scope="col">Last login</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.users ?? []).map((user: User) => (
            <tr key={user.id} data-testid="user-row">
              <td>{user.username}</td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${user.username} is active`}
                  checked={user.is_active}
                  disabled={user.id === me?.id}
                  onChange={(e) => act(settingsApi.updateUser(user.id, { is_active: e.target.checked }), `${user.username} ${e.target.checked ? 'activated' : 'deactivated'}`)}
                />
              </td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${user.username} is a superuser`}
                  checked={user.is_superuser}
                  disabled={user.id === me?.id}
                  onChange={(e) => act(settingsApi.updateUser(user.id, { is_superuser: e.target.checked }), `${user.username} updated`)}
                />
              </td>
              <td>{user.last_login_at ? new Date(user.last_login_at).toLocaleString() : 'Never'}</td>
              <td className="actions">
                {resetting === user.id ? (
                  <form
                    onSubmit={(event) => {
                      event.preventDefault();
                      act(settingsApi.updateUser(user.id, { password: newPassword }), `Password of ${user.username} reset`);
                      setResetting(null);
                      setNewPassword('');
                    }}
                  >
                    <input type="password" aria-label={`New password for ${user.username}`} value={newPassword} onChange={(e) => setNewPassword(e.target.value)} required autoFocus autoComplete="new-password" />{' '}
                    <button type="submit">Save</button>
                  </form>
                ) : (
                  <button type="button" aria-label={`Reset password of ${user.username}`} onClick={() => setResetting(user.id)}>
                    Reset password
                  </button>
                )}
                <button type="button" aria-label={`Delete ${user.username}`} disabled={user.id === me?.id} onClick={() => act(settingsApi.deleteUser(user.id), `${user.username} deleted`)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="content-head">
        <span className="muted">
          {total} users{total > PAGE ? `, page ${page + 1} of ${Math.ceil(total / PAGE)}` : ''}
        </span>
        <button type="button" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
          Previous
        </button>
        <button type="button" disabled={(page + 1) * PAGE >= total} onClick={() => setPage((p) => p + 1)}>
          Next
        </button>
      </div>
    </div>
  );
}
