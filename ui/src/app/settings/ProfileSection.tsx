// The user's profile (/settings/general): password change and a profile picture from the built-in set.
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { session } from '../../api/session';
import { toast } from '../toasts';
import { errorText, settingsApi } from './settings-api';

export const pictureUrl = (path: string) => `/api/v1/files/profile_pictures/${path.split('/').map(encodeURIComponent).join('/')}`;

export function ProfileSection(): ReactNode {
  const user = useStore(session, (s) => s.user);
  const pictures = useQuery({ queryKey: ['profile-pictures'], queryFn: settingsApi.profilePictures, staleTime: Infinity });
  const [picture, setPicture] = useState(user?.profile_image ?? '');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!user) return null;

  return (
    <div className="settings-section">
      <form
        className="settings-form"
        aria-label="Change password"
        onSubmit={(event) => {
          event.preventDefault();
          if (password !== confirm) {
            setError('The passwords do not match');
            return;
          }
          setError(null);
          void settingsApi
            .changePassword(user.id, password)
            .then(() => {
              toast.success('Password changed');
              setPassword('');
              setConfirm('');
            })
            .catch((e: unknown) => setError(errorText(e)));
        }}
      >
        <label>
          New password
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="new-password" />
        </label>
        <label>
          Confirm the password
          <input type="password" value={confirm} onChange={(e) => setConfirm(e.target.value)} required autoComplete="new-password" />
        </label>
        <button type="submit" className="primary">
          Change password
        </button>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </form>
      <section aria-labelledby="picture-heading">
        <h2 id="picture-heading">Profile picture</h2>
        <div className="picture-grid" role="group" aria-label="Profile pictures">
          {(pictures.data ?? []).map((path) => (
            <button key={path} type="button" aria-pressed={picture === path} aria-label={path.split('/').pop()?.replace(/\.\w+$/, '')} onClick={() => setPicture(path)}>
              <img src={pictureUrl(path)} alt="" />
            </button>
          ))}
        </div>
        <p>
          <button
            type="button"
            className="primary"
            disabled={!picture || picture === user.profile_image}
            onClick={() =>
              void settingsApi
                .updateUser(user.id, { profile_image: picture })
                .then((updated) => {
                  session.setState({ user: { ...user, profile_image: updated.profile_image } });
                  toast.success('Profile picture saved');
                })
                .catch((e: unknown) => toast.error(errorText(e)))
            }
          >
            Save picture
          </button>
        </p>
      </section>
    </div>
  );
}
