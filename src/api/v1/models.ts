import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { defaultKind, providerVariableMapping, PROVIDERS } from '../../services/models/index.js';
import { currentUser, type ApiContext } from '../context.js';

const ListQuery = Type.Object({
  provider: Type.Optional(Type.Array(Type.String())),
  model_name: Type.Optional(Type.String()),
  model_type: Type.Optional(Type.String()),
  include_unsupported: Type.Optional(Type.Boolean({ default: false })),
  include_deprecated: Type.Optional(Type.Boolean({ default: false })),
  tool_calling: Type.Optional(Type.Boolean()),
  reasoning: Type.Optional(Type.Boolean()),
  search: Type.Optional(Type.Boolean()),
  preview: Type.Optional(Type.Boolean()),
  deprecated: Type.Optional(Type.Boolean()),
  not_supported: Type.Optional(Type.Boolean()),
});
const ProvidersQuery = Type.Object({ providers: Type.Optional(Type.Array(Type.String())) });
const ModelNamesQuery = Type.Object({ model_names: Type.Optional(Type.Array(Type.String())) });
const ModelStatusUpdate = Type.Object({ provider: Type.String(), model_id: Type.String(), enabled: Type.Boolean() });
const ModelTypeQuery = Type.Object({ model_type: Type.String({ default: 'language' }) });
const DefaultModelRequest = Type.Object({ model_name: Type.String(), provider: Type.String(), model_type: Type.String() });

/**
 * `/api/v1/models` and `/api/v1/model_options` (§A.16): the model catalogue behind the unified model
 * field, which providers the user has credentials for, per-user model switches and default models.
 */
export async function modelRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const tags = ['Models'];
  const user = { preHandler: ctx.auth.userPreHandler };
  const { models } = ctx.host;

  app.get('/api/v1/models/providers', { schema: { tags } }, async () => PROVIDERS.map((p) => p.provider).sort());

  app.get('/api/v1/models/provider-variable-mapping', { schema: { tags } }, async () => providerVariableMapping());

  app.get<{ Querystring: Static<typeof ListQuery> }>('/api/v1/models', { ...user, schema: { tags, querystring: ListQuery } }, async (request) => {
    const q = request.query;
    return models.catalogue(currentUser(request).id, {
      providers: q.provider,
      modelName: q.model_name,
      modelType: q.model_type,
      includeUnsupported: q.include_unsupported,
      includeDeprecated: q.include_deprecated,
      metadata: { tool_calling: q.tool_calling, reasoning: q.reasoning, search: q.search, preview: q.preview, deprecated: q.deprecated, not_supported: q.not_supported },
    });
  });

  app.get<{ Querystring: Static<typeof ProvidersQuery> }>('/api/v1/models/enabled_providers', { ...user, schema: { tags, querystring: ProvidersQuery } }, async (request) =>
    models.enabledProviders(currentUser(request).id, request.query.providers ?? []),
  );

  app.get<{ Querystring: Static<typeof ModelNamesQuery> }>('/api/v1/models/enabled_models', { ...user, schema: { tags, querystring: ModelNamesQuery } }, async (request) =>
    models.enabledModels(currentUser(request).id, request.query.model_names ?? []),
  );

  app.post<{ Body: Static<typeof ModelStatusUpdate>[] }>('/api/v1/models/enabled_models', { ...user, schema: { tags, body: Type.Array(ModelStatusUpdate) } }, async (request) =>
    models.updateEnabledModels(currentUser(request).id, request.body),
  );

  app.get<{ Querystring: Static<typeof ModelTypeQuery> }>('/api/v1/models/default_model', { ...user, schema: { tags, querystring: ModelTypeQuery } }, async (request) => ({
    default_model: (await models.defaultModel(currentUser(request).id, defaultKind(request.query.model_type))) ?? null,
  }));

  app.post<{ Body: Static<typeof DefaultModelRequest> }>('/api/v1/models/default_model', { ...user, schema: { tags, body: DefaultModelRequest } }, async (request) => ({
    default_model: await models.setDefaultModel(currentUser(request).id, request.body),
  }));

  app.delete<{ Querystring: Static<typeof ModelTypeQuery> }>('/api/v1/models/default_model', { ...user, schema: { tags, querystring: ModelTypeQuery } }, async (request) => {
    await models.clearDefaultModel(currentUser(request).id, defaultKind(request.query.model_type));
    return { default_model: null };
  });

  app.get('/api/v1/model_options/language', { ...user, schema: { tags: ['Model Options'] } }, async (request) => models.modelOptions(currentUser(request).id, 'language'));
  app.get('/api/v1/model_options/embedding', { ...user, schema: { tags: ['Model Options'] } }, async (request) => models.modelOptions(currentUser(request).id, 'embedding'));
}
