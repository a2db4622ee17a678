import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { createApiKey, listApiKeys } from '../../services/auth/index.js';
import { SecretBox } from '../../services/crypto.js';
import { currentUser, type ApiContext } from '../context.js';
import { badRequest } from '../errors.js';

const ApiKeyCreate = Type.Object({ name: Type.Optional(Type.Union([Type.String(), Type.Null()])) }, { additionalProperties: true });
const KeyIdParams = Type.Object({ api_key_id: Type.String() });
/**
 * The key comes back encrypted in a cookie, and browsers drop cookies over 4 KB (Node's and most
 * clients' header limits are 16 KB): a longer "key" (a 1 MB one answered with a 1.4 MB header no
 * client could read) is refused with a 422 instead.
 */
const MAX_STORE_KEY_LENGTH = 2048;
const StoreKeyRequest = Type.Object({ api_key: Type.String({ maxLength: MAX_STORE_KEY_LENGTH }) });

/** `/api/v1/api_key` (§A.7): keys are shown in full once, at creation; listings are masked. */
export async function apiKeyRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const tags = ['APIKey'];
  const user = { preHandler: ctx.auth.userPreHandler };

  app.get('/api/v1/api_key/', { ...user, schema: { tags } }, async (request) => {
    const caller = currentUser(request);
    const keys = await listApiKeys(ctx.database, caller.id);
    return { total_count: keys.length, user_id: caller.id, api_keys: keys };
  });

  app.post<{ Body: Static<typeof ApiKeyCreate> }>('/api/v1/api_key/', { ...user, schema: { tags, body: ApiKeyCreate } }, async (request) => {
    const { created_at: _created, ...key } = await createApiKey(ctx.database, currentUser(request).id, request.body.name ?? null);
    return key;
  });

  // A Langflow Store key, kept encrypted on the user and echoed (encrypted) in the cookie Langflow's UI reads.
  app.post<{ Body: Static<typeof StoreKeyRequest> }>('/api/v1/api_key/store', { ...user, schema: { tags, body: StoreKeyRequest } }, async (request, reply) => {
    const encrypted = new SecretBox(ctx.settings.secretKey).encrypt(request.body.api_key);
    await ctx.database.users.update(currentUser(request).id, { storeApiKey: encrypted });
    reply.setCookie('apikey_tkn_lflw', encrypted, { httpOnly: false, secure: false, sameSite: 'lax', path: '/' });
    return { detail: 'API Key saved' };
  });

  app.delete<{ Params: Static<typeof KeyIdParams> }>('/api/v1/api_key/:api_key_id', { ...user, schema: { tags, params: KeyIdParams } }, async (request) => {
    // Langflow answers 400 for any failure here, a missing or foreign key included.
    const deleted = await ctx.database.apiKeys.deleteForUser(request.params.api_key_id, currentUser(request).id).catch(() => false);
    if (!deleted) throw badRequest('API Key not found');
    return { detail: 'API Key deleted' };
  });
}
