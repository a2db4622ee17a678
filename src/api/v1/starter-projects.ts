import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';
import { exampleFlows } from '../examples/index.js';

/** `/api/v1/starter-projects/`: Weft's example flows as graph dumps. */
export async function starterProjectRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get('/api/v1/starter-projects/', { preHandler: ctx.auth.userPreHandler, schema: { tags: ['Flows'] } }, async () =>
    exampleFlows().map((flow) => ({
      data: flow.data,
      is_component: flow.is_component ?? false,
      name: flow.name,
      description: flow.description,
      endpoint_name: flow.endpoint_name ?? null,
    })),
  );
}
