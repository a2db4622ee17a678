import { DEFAULT_SUPERUSER } from '../settings.js';
import type { UserRecord } from '../database/index.js';
import type { AuthContext } from './context.js';
import { hashPassword } from './passwords.js';
import { ensureDefaultProject } from './users.js';

async function ensureSuperuser(ctx: AuthContext, username: string, password: string): Promise<UserRecord> {
  const existing = await ctx.repos.users.getByUsername(username);
  if (existing) {
    if (existing.is_superuser && existing.is_active) return existing;
    return (await ctx.repos.users.update(existing.id, { isSuperuser: true, isActive: true })) ?? existing;
  }
  return ctx.repos.users.create({ username, passwordHash: await hashPassword(password), isActive: true, isSuperuser: true });
}

/**
 * Langflow's `setup_superuser` at startup. AUTO_LOGIN: the default `langflow` superuser exists.
 * Otherwise the default superuser is removed (it has a well-known password) and LANGFLOW_SUPERUSER is ensured.
 * An existing superuser's password is left alone, so a changed password survives restarts.
 */
export async function bootstrapSuperuser(ctx: AuthContext): Promise<UserRecord> {
  const { autoLogin, superuser, superuserPassword } = ctx.settings;
  if (!autoLogin && superuser !== DEFAULT_SUPERUSER) {
    const stale = await ctx.repos.users.getByUsername(DEFAULT_SUPERUSER);
    if (stale?.is_superuser) await ctx.repos.users.delete(stale.id);
  }
  const user = await ensureSuperuser(ctx, superuser, superuserPassword);
  await ensureDefaultProject(ctx, user.id);
  return user;
}
