import { UniqueViolationError, type FolderRecord, type UserRecord } from '../database/index.js';
import type { AuthContext } from './context.js';
import { AuthError } from './errors.js';
import { hashPassword } from './passwords.js';

export const USERNAME_UNAVAILABLE = 'This username is unavailable.';

/** Every user has a default project ("Starter Project" unless DEFAULT_FOLDER_NAME says otherwise). */
export function ensureDefaultProject(ctx: AuthContext, userId: string): Promise<FolderRecord> {
  return ctx.repos.folders.ensureDefault(userId, ctx.settings.defaultFolderName);
}

export interface UserRegistration {
  username: string;
  password: string;
  optins?: Record<string, unknown> | null;
  /** Defaults to NEW_USER_IS_ACTIVE. */
  isActive?: boolean;
  isSuperuser?: boolean;
}

/** POST /users: a new user with a hashed password and a default project; 400 if the name is taken. */
export async function registerUser(ctx: AuthContext, registration: UserRegistration): Promise<UserRecord> {
  let user: UserRecord;
  try {
    user = await ctx.repos.users.create({
      username: registration.username,
      passwordHash: await hashPassword(registration.password),
      isActive: registration.isActive ?? ctx.settings.newUserIsActive,
      isSuperuser: registration.isSuperuser ?? false,
      optins: registration.optins,
    });
  } catch (error) {
    if (error instanceof UniqueViolationError) throw new AuthError('invalid_request', USERNAME_UNAVAILABLE);
    throw error;
  }
  await ensureDefaultProject(ctx, user.id);
  return user;
}

export function requireSuperuser(user: UserRecord): UserRecord {
  if (!user.is_superuser) throw new AuthError('forbidden', "The user doesn't have enough privileges");
  return user;
}
