import type { FastifyInstance } from 'fastify';
import { UniqueViolationError } from '../../services/database/index.js';
import { safeFlowPath } from '../../services/files/index.js';
import { currentUser, type ApiContext } from '../context.js';
import { badRequest, HttpError, notFound } from '../errors.js';
import { clearFilesOfNewFlow, mirrorFlowToDisk } from '../flow-files.js';
import { flowInput, flowRead } from '../flow-shapes.js';
import { FlowCreate, FlowIdParams } from '../schemas.js';
import { flowPatch, mapWriteError } from './flows.js';

/** A clash on PUT is a 409 (Langflow's `_handle_unique_constraint_error(e, status_code=409)`). */
function conflict(error: unknown): unknown {
  return error instanceof UniqueViolationError ? new HttpError(409, error.message) : mapWriteError(error);
}

/**
 * `PUT /api/v1/flows/{flow_id}`: create or update a flow under an id the client chose (syncing flows
 * between instances, Langflow's SDK `upsert_flow`). 201 when created, 200 when updated; another user's
 * flow is a 404 (no hint that the id exists); a `folder_id` the caller does not own is 400 "Folder not
 * found"; a name or endpoint name taken by another flow is 409, except a new flow's name, which becomes
 * `Name (n)` as on POST.
 */
export async function flowUpsertRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const { flows, folders } = ctx.database;
  app.put<{ Params: FlowIdParams; Body: FlowCreate }>(
    '/api/v1/flows/:flow_id',
    { preHandler: ctx.auth.userPreHandler, schema: { tags: ['Flows'], params: FlowIdParams, body: FlowCreate } },
    async (request, reply) => {
      const caller = currentUser(request);
      const id = request.params.flow_id.toLowerCase();
      const body = request.body;
      const existing = await flows.getById(id);
      if (existing && existing.user_id !== caller.id) throw notFound('Flow not found');
      safeFlowPath(ctx.settings.configDir, caller.id, body.fs_path);
      if (body.folder_id && !(await folders.getForUser(body.folder_id, caller.id))) throw badRequest('Folder not found');
      if (body.endpoint_name && body.endpoint_name !== existing?.endpoint_name) {
        const holder = await flows.getByIdOrEndpointName(body.endpoint_name, caller.id);
        if (holder && holder.id !== id) throw new HttpError(409, 'Endpoint name must be unique');
      }
      if (existing) {
        const patch = flowPatch(body);
        try {
          const updated = (await flows.update(id, caller.id, patch))!;
          await mirrorFlowToDisk(ctx, updated);
          return flowRead(updated);
        } catch (error) {
          throw conflict(error);
        }
      }
      const folderId = body.folder_id ?? (await folders.ensureDefault(caller.id, ctx.settings.defaultFolderName)).id;
      try {
        const created = await flows.create(caller.id, { ...flowInput(body, folderId), id });
        await clearFilesOfNewFlow(ctx, created.id);
        await mirrorFlowToDisk(ctx, created);
        return reply.code(201).send(flowRead(created));
      } catch (error) {
        throw conflict(error);
      }
    },
  );
}
