import type { Repositories } from '../database/index.js';
import type { Settings } from '../settings.js';

/** What the auth functions need: the repositories and the settings that shape auth. */
export interface AuthContext {
  repos: Repositories;
  settings: Pick<
    Settings,
    | 'secretKey'
    | 'accessTokenExpireSeconds'
    | 'refreshTokenExpireSeconds'
    | 'autoLogin'
    | 'skipAuthAutoLogin'
    | 'superuser'
    | 'superuserPassword'
    | 'defaultFolderName'
    | 'newUserIsActive'
    | 'apiKeySource'
    | 'apiKeyFromEnv'
  >;
}
