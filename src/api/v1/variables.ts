import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { VariableService } from '../../services/variables/index.js';
import { currentUser, type ApiContext } from '../context.js';
import { Uuid } from '../schemas.js';

const VariableCreate = Type.Object({
  name: Type.String(),
  value: Type.String(),
  type: Type.Optional(Type.String()),
  default_fields: Type.Optional(Type.Array(Type.String())),
});
const VariableUpdate = Type.Object({
  id: Type.Optional(Uuid),
  name: Type.Optional(Type.String()),
  value: Type.Optional(Type.String()),
  type: Type.Optional(Type.String()),
  default_fields: Type.Optional(Type.Array(Type.String())),
});
const VariableIdParams = Type.Object({ variable_id: Uuid });
type VariableIdParams = Static<typeof VariableIdParams>;

/** `/api/v1/variables` (§A.9): Credential values are encrypted at rest and never returned. */
export async function variableRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const tags = ['Variables'];
  const service = new VariableService(ctx.database, ctx.settings.secretKey);
  const user = { preHandler: ctx.auth.userPreHandler };

  app.post<{ Body: Static<typeof VariableCreate> }>('/api/v1/variables/', { ...user, schema: { tags, body: VariableCreate } }, async (request, reply) => {
    return reply.code(201).send(await service.create(currentUser(request).id, request.body));
  });

  app.get('/api/v1/variables/', { ...user, schema: { tags } }, async (request) => service.list(currentUser(request).id));

  app.patch<{ Params: VariableIdParams; Body: Static<typeof VariableUpdate> }>(
    '/api/v1/variables/:variable_id',
    { ...user, schema: { tags, params: VariableIdParams, body: VariableUpdate } },
    async (request) => {
      const { id: _id, ...patch } = request.body;
      return service.update(currentUser(request).id, request.params.variable_id, patch);
    },
  );

  app.delete<{ Params: VariableIdParams }>('/api/v1/variables/:variable_id', { ...user, schema: { tags, params: VariableIdParams } }, async (request, reply) => {
    await service.delete(currentUser(request).id, request.params.variable_id);
    return reply.code(204).send();
  });
}
