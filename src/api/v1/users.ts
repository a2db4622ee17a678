import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { hashPassword, registerUser, verifyPassword } from '../../services/auth/index.js';
import { toUserRead, UniqueViolationError, type UserRecord } from '../../services/database/index.js';
import { authContextOf, hasPresentedCredentials } from '../auth.js';
import { currentUser, type ApiContext } from '../context.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { removeFilesOfDeletedUser } from '../flow-files.js';
import { Uuid } from '../schemas.js';

const UserCreate = Type.Object({ username: Type.String({ minLength: 1 }), password: Type.String({ minLength: 1 }), optins: Type.Optional(Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()])) });
const UserUpdate = Type.Object({
  username: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  profile_image: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  password: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  is_active: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  is_superuser: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  optins: Type.Optional(Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()])),
});
type UserUpdate = Static<typeof UserUpdate>;
const UserIdParams = Type.Object({ user_id: Uuid });
type UserIdParams = Static<typeof UserIdParams>;
const ListQuery = Type.Object({ skip: Type.Integer({ minimum: 0, default: 0 }), limit: Type.Integer({ minimum: 1, default: 10 }), search: Type.Optional(Type.String()) });


/** `/api/v1/users` (§A.6). */
export async function userRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const tags = ['Users'];
  const { users } = ctx.database;
  const auth = authContextOf(ctx.settings, ctx.database);
  const superuser = { preHandler: ctx.auth.superuserPreHandler };
  const user = { preHandler: ctx.auth.userPreHandler };

  // Sign-up and the admin "add user" share this route, as in Langflow: a superuser may always add users; anyone
  // else only when public sign-up is on (AUTO_LOGIN off and ENABLE_SIGNUP). New users start inactive by default.
  app.post<{ Body: Static<typeof UserCreate> }>('/api/v1/users/', { schema: { tags, body: UserCreate } }, async (request, reply) => {
    const caller = hasPresentedCredentials(request) ? await ctx.auth.requireUser(request).catch(() => null) : null;
    const signupOpen = !ctx.settings.autoLogin && ctx.settings.enableSignup;
    if (!caller?.is_superuser && !signupOpen) throw forbidden('Public user registration is disabled.');
    const created = await registerUser(auth, { username: request.body.username, password: request.body.password, optins: request.body.optins });
    return reply.code(201).send(toUserRead(created));
  });

  app.get('/api/v1/users/whoami', { ...user, schema: { tags } }, async (request) => toUserRead(currentUser(request)));

  app.get<{ Querystring: Static<typeof ListQuery> }>('/api/v1/users/', { ...superuser, schema: { tags, querystring: ListQuery } }, async (request) => {
    const page = await users.list(request.query.skip, request.query.limit, request.query.search || undefined);
    return { total_count: page.total, users: page.users.map(toUserRead) };
  });

  app.patch<{ Params: UserIdParams; Body: UserUpdate }>('/api/v1/users/:user_id', { ...user, schema: { tags, params: UserIdParams, body: UserUpdate } }, async (request) => {
    const caller = currentUser(request);
    const body = request.body;
    // Locking oneself out is refused even for a superuser.
    if (request.params.user_id === caller.id && body.is_active === false) throw forbidden("You can't deactivate your own user account");
    if (!caller.is_superuser && (request.params.user_id !== caller.id || body.is_superuser)) throw forbidden('Permission denied');
    if (body.password && !caller.is_superuser) throw badRequest("You can't change your password here");
    if (!(await users.getById(request.params.user_id))) throw notFound('User not found');
    try {
      const updated = await users.update(request.params.user_id, {
        username: body.username ?? undefined,
        profileImage: body.profile_image ?? undefined,
        passwordHash: body.password ? await hashPassword(body.password) : undefined,
        // Only a superuser may (de)activate anyone.
        isActive: caller.is_superuser ? (body.is_active ?? undefined) : undefined,
        isSuperuser: caller.is_superuser ? (body.is_superuser ?? undefined) : undefined,
        optins: body.optins ?? undefined,
      });
      if (!updated) throw notFound('User not found');
      return toUserRead(updated);
    } catch (error) {
      if (error instanceof UniqueViolationError) throw badRequest('This username is unavailable.');
      throw error;
    }
  });

  app.patch<{ Params: UserIdParams; Body: UserUpdate }>(
    '/api/v1/users/:user_id/reset-password',
    { ...user, schema: { tags, params: UserIdParams, body: UserUpdate } },
    async (request) => {
      const caller: UserRecord = currentUser(request);
      if (request.params.user_id !== caller.id) throw badRequest("You can't change another user's password");
      const password = request.body.password;
      if (!password) throw badRequest('Password is required');
      if (await verifyPassword(password, caller.password_hash)) throw badRequest("You can't use your current password");
      const updated = await users.update(caller.id, { passwordHash: await hashPassword(password) });
      return toUserRead(updated!);
    },
  );

  app.delete<{ Params: UserIdParams }>('/api/v1/users/:user_id', { ...superuser, schema: { tags, params: UserIdParams } }, async (request) => {
    if (request.params.user_id === currentUser(request).id) throw badRequest("You can't delete your own user account");
    const theirFlows = await ctx.database.flows.list(request.params.user_id);
    if (!(await users.delete(request.params.user_id))) throw notFound('User not found');
    await removeFilesOfDeletedUser(ctx, request.params.user_id, theirFlows.map((flow) => flow.id));
    return { detail: 'User deleted' };
  });
}
