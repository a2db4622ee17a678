import { sql } from 'kysely';
import type { ApiContext } from './context.js';
import type { FastifyInstance } from 'fastify';

const FAILED = 'error check the server logs';

/** `/health` (liveness) and `/health_check` (database and cache), at the root as in Langflow. */
export async function healthRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get('/health', { schema: { tags: ['Health Check'] } }, async () => ({ status: 'ok' }));

  app.get('/health_check', { schema: { tags: ['Health Check'] } }, async (request, reply) => {
    const status = { status: 'ok', chat: 'ok', db: 'ok' };
    try {
      await sql`select 1`.execute(ctx.database.db);
    } catch (error) {
      request.log.error({ err: error }, 'health check: database');
      status.db = FAILED;
      status.status = 'nok';
    }
    if (status.status !== 'ok') return reply.code(500).send({ detail: status });
    return status;
  });
}
