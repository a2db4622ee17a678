import type { FastifyInstance, FastifyRequest } from 'fastify';
import { currentUser, type ApiContext } from '../context.js';
import { badRequest } from '../errors.js';

/** What every Store call answers: Weft never talks to the (external) Langflow Store. */
export const STORE_DISABLED = 'The Langflow Store is not enabled on this server.';

/**
 * `/api/v1/store` (Langflow's store.py): a proxy to the Langflow Store, which Weft does not run.
 * `check/` says so (`enabled: false`, the flag Langflow's UI hides the Store by), `check/api_key`
 * reports whether the caller saved a Store key (`POST /api/v1/api_key/store`) that nothing can
 * validate, and the proxy routes answer a 400 — after Langflow's own 400 when a route needs a
 * Store key and the caller has none.
 */
export async function storeRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const tags = ['Components Store'];
  const user = { preHandler: ctx.auth.userPreHandler };
  const disabled = async () => {
    throw badRequest(STORE_DISABLED);
  };
  const needsStoreKey = async (request: FastifyRequest) => {
    if (!currentUser(request).store_api_key) throw badRequest('You must have a store API key set.');
    throw badRequest(STORE_DISABLED);
  };

  app.get('/api/v1/store/check/', { schema: { tags } }, async () => ({ enabled: false }));
  app.get('/api/v1/store/check/api_key', { ...user, schema: { tags } }, async (request) => ({
    has_api_key: Boolean(currentUser(request).store_api_key),
    is_valid: false,
  }));
  app.get('/api/v1/store/components/', { ...user, schema: { tags } }, disabled);
  app.get('/api/v1/store/tags', { schema: { tags } }, disabled);
  app.post('/api/v1/store/components/', { ...user, schema: { tags } }, needsStoreKey);
  app.patch('/api/v1/store/components/:component_id', { ...user, schema: { tags } }, needsStoreKey);
  app.get('/api/v1/store/components/:component_id', { ...user, schema: { tags } }, needsStoreKey);
  app.get('/api/v1/store/users/likes', { ...user, schema: { tags } }, needsStoreKey);
  app.post('/api/v1/store/users/likes/:component_id', { ...user, schema: { tags } }, needsStoreKey);
}
