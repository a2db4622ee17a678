import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { strToU8, zipSync } from 'fflate';
import { InvalidEndpointNameError, UniqueViolationError, type FlowRecord } from '../../services/database/index.js';
import { safeFlowPath } from '../../services/files/index.js';
import { currentUser, type ApiContext } from '../context.js';
import { badRequest, forbidden, notFound, validationError } from '../errors.js';
import { exampleFlows } from '../examples/index.js';
import { attachmentHeader } from '../file-transfer.js';
import { flowExport, flowHeader, flowInput, flowRead, stripApiKeys } from '../flow-shapes.js';
import { FlowCreate, FlowIdParams, FlowUpdate, IdList, Uuid } from '../schemas.js';
import { clearFilesOfNewFlow, mirrorFlowToDisk, removeFilesOfDeletedFlows } from '../flow-files.js';
import { publicFlowRead } from '../public-flow.js';
import { flowsFromUpload, uploadedFile } from '../uploads.js';

const ListQuery = Type.Object({
  remove_example_flows: Type.Boolean({ default: false }),
  components_only: Type.Boolean({ default: false }),
  get_all: Type.Boolean({ default: true }),
  folder_id: Type.Optional(Uuid),
  header_flows: Type.Boolean({ default: false }),
  page: Type.Integer({ minimum: 1, default: 1 }),
  size: Type.Integer({ minimum: 1, default: 50 }),
});
const FolderQuery = Type.Object({ folder_id: Type.Optional(Uuid) });

/** `/api/v1/flows`: CRUD, bulk, upload/download and examples. Every route but two needs a user. */
export async function flowRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const { flows, folders } = ctx.database;
  const tags = ['Flows'];
  const user = { preHandler: ctx.auth.userPreHandler };

  /**
   * The folder a new flow goes to: the given one if the caller owns it, else their default project.
   * Langflow stores an unknown `folder_id` as sent (its own tests create flows in a made-up folder and
   * expect 201); a folder the caller does not own must not receive their flow, so it means "default".
   */
  async function targetFolder(userId: string, folderId: string | null | undefined): Promise<string> {
    if (folderId && (await folders.getForUser(folderId, userId))) return folderId;
    return (await folders.ensureDefault(userId, ctx.settings.defaultFolderName)).id;
  }

  async function createFlow(userId: string, body: FlowCreate, folderId?: string | null): Promise<FlowRecord> {
    // Langflow checks `fs_path` first, before the folder (`_new_flow` → `_verify_fs_path`).
    safeFlowPath(ctx.settings.configDir, userId, body.fs_path);
    let created: FlowRecord;
    try {
      created = await flows.create(userId, flowInput(body, await targetFolder(userId, folderId ?? body.folder_id)));
    } catch (error) {
      throw mapWriteError(error);
    }
    await clearFilesOfNewFlow(ctx, created.id);
    await mirrorFlowToDisk(ctx, created);
    return created;
  }

  app.post<{ Body: FlowCreate }>('/api/v1/flows/', { ...user, schema: { tags, body: FlowCreate } }, async (request, reply) => {
    const flow = await createFlow(currentUser(request).id, request.body);
    return reply.code(201).send(flowRead(flow));
  });

  app.get<{ Querystring: Static<typeof ListQuery> }>('/api/v1/flows/', { ...user, schema: { tags, querystring: ListQuery } }, async (request) => {
    const caller = currentUser(request);
    const query = request.query;
    const starter = query.remove_example_flows ? await folders.getByName(caller.id, STARTER_FOLDER) : undefined;
    const filter = {
      componentsOnly: query.components_only,
      includeUnowned: ctx.settings.autoLogin,
      excludeFolderId: starter?.id,
    };
    const shape = query.header_flows ? flowHeader : flowRead;
    if (query.get_all) {
      const all = await flows.list(caller.id, { ...filter, folderId: query.folder_id });
      return all.map(shape);
    }
    const folderId = query.folder_id ?? (await folders.ensureDefault(caller.id, ctx.settings.defaultFolderName)).id;
    const page = await flows.listPage(caller.id, { ...filter, folderId }, { page: query.page, size: query.size });
    return { ...page, items: page.items.map(shape) };
  });

  app.get('/api/v1/flows/basic_examples/', { schema: { tags } }, async () => exampleFlows().map((flow) => ({ ...flow, user_id: null, folder_id: null })));

  app.get<{ Params: FlowIdParams }>('/api/v1/flows/public_flow/:flow_id', { schema: { tags, params: FlowIdParams } }, async (request) => {
    const flow = await flows.getById(request.params.flow_id);
    if (!flow) throw notFound('Flow not found');
    if (flow.access_type !== 'PUBLIC') throw forbidden('Flow is not public');
    return publicFlowRead(flow);
  });

  app.get<{ Params: FlowIdParams }>('/api/v1/flows/:flow_id', { ...user, schema: { tags, params: FlowIdParams } }, async (request) => {
    return flowRead(await ownedFlow(ctx, request.params.flow_id, currentUser(request).id));
  });

  app.patch<{ Params: FlowIdParams; Body: FlowUpdate }>(
    '/api/v1/flows/:flow_id',
    { ...user, schema: { tags, params: FlowIdParams, body: FlowUpdate } },
    async (request) => {
      const caller = currentUser(request);
      await ownedFlow(ctx, request.params.flow_id, caller.id);
      const body = request.body;
      safeFlowPath(ctx.settings.configDir, caller.id, body.fs_path);
      const patch = flowPatch(body);
      // A folder the caller does not own (or that does not exist) leaves the flow where it is.
      if (typeof patch.folder_id === 'string' && !(await folders.getForUser(patch.folder_id, caller.id))) delete patch.folder_id;
      if (patch.data && ctx.settings.removeApiKeys) patch.data = stripApiKeys(patch.data as Record<string, unknown>);
      try {
        const updated = await flows.update(request.params.flow_id, caller.id, patch);
        if (!updated) throw notFound('Flow not found');
        await mirrorFlowToDisk(ctx, updated);
        return flowRead(updated);
      } catch (error) {
        throw mapWriteError(error);
      }
    },
  );

  app.delete<{ Params: FlowIdParams }>('/api/v1/flows/:flow_id', { ...user, schema: { tags, params: FlowIdParams } }, async (request) => {
    if (!(await flows.delete(request.params.flow_id, currentUser(request).id))) throw notFound('Flow not found');
    await removeFilesOfDeletedFlows(ctx, [request.params.flow_id]);
    return { message: 'Flow deleted successfully' };
  });

  app.delete<{ Body: string[] }>('/api/v1/flows/', { ...user, schema: { tags, body: IdList } }, async (request) => {
    const deleted = await flows.deleteMany(request.body, currentUser(request).id);
    await removeFilesOfDeletedFlows(ctx, request.body);
    return { deleted };
  });

  const Batch = Type.Object({ flows: Type.Array(FlowCreate) });
  app.post<{ Body: Static<typeof Batch> }>('/api/v1/flows/batch/', { ...user, schema: { tags, body: Batch } }, async (request, reply) => {
    const caller = currentUser(request);
    for (const body of request.body.flows) safeFlowPath(ctx.settings.configDir, caller.id, body.fs_path);
    const created: Record<string, unknown>[] = [];
    for (const body of request.body.flows) created.push(flowRead(await createFlow(caller.id, body)));
    return reply.code(201).send(created);
  });

  app.post<{ Querystring: Static<typeof FolderQuery> }>('/api/v1/flows/upload/', { ...user, schema: { tags, querystring: FolderQuery } }, async (request, reply) => {
    const caller = currentUser(request);
    const bodies = flowsFromUpload(await uploadedFile(request)).map(uploadedFlowBody);
    for (const body of bodies) safeFlowPath(ctx.settings.configDir, caller.id, body.fs_path);
    const created: Record<string, unknown>[] = [];
    for (const body of bodies) created.push(flowRead(await createFlow(caller.id, body, request.query.folder_id)));
    return reply.code(201).send(created);
  });

  app.post<{ Body: string[] }>('/api/v1/flows/download/', { ...user, schema: { tags, body: IdList } }, async (request, reply) => {
    const caller = currentUser(request);
    const found: FlowRecord[] = [];
    for (const id of request.body) {
      const flow = await flows.getForUser(id, caller.id);
      if (flow) found.push(flow);
    }
    if (found.length === 0) throw notFound('No flows found.');
    if (found.length === 1) return flowExport(found[0]);
    return sendZip(reply, `${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}_langflow_flows.zip`, found);
  });
}

const STARTER_FOLDER = 'Starter Projects';
const PATCHABLE: Record<string, true> = {
  name: true, description: true, data: true, folder_id: true, endpoint_name: true, mcp_enabled: true, locked: true,
  action_name: true, action_description: true, access_type: true, fs_path: true, icon: true, icon_bg_color: true, gradient: true, tags: true, is_component: true,
};

/**
 * The fields of a FlowUpdate that change the flow, as Langflow's `model_dump(exclude_unset=True,
 * exclude_none=True)`: a null leaves the field as it is (clients send every field of the model), except
 * `endpoint_name`, where null or "" removes the name.
 */
export function flowPatch(body: FlowUpdate): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!(key in PATCHABLE) || value === undefined) continue;
    if (key === 'endpoint_name' && (value === null || value === '')) patch.endpoint_name = null;
    else if (value !== null) patch[key] = value;
  }
  return patch;
}

/** The caller's flow, else 404 (another user's flow is indistinguishable from a missing one). */
export async function ownedFlow(ctx: ApiContext, flowId: string, userId: string): Promise<FlowRecord> {
  const flow = await ctx.database.flows.getForUser(flowId, userId);
  if (!flow) throw notFound('Flow not found');
  return flow;
}

/** An uploaded flow dict as a FlowCreate body; the stored id is kept only as a hint (a new one is minted on clash). */
export function uploadedFlowBody(dict: Record<string, unknown>): FlowCreate {
  if (typeof dict.name !== 'string' || dict.name === '') throw badRequest('Each uploaded flow needs a name');
  const { id: _id, user_id: _user, folder_id: _folder, ...rest } = dict;
  return rest as FlowCreate;
}

export function mapWriteError(error: unknown): unknown {
  if (error instanceof UniqueViolationError) return badRequest(error.message);
  if (error instanceof InvalidEndpointNameError) {
    return validationError([{ type: 'value_error', loc: ['body', 'endpoint_name'], msg: `Value error, ${error.message}`, input: error.endpointName }]);
  }
  return error;
}

export function sendZip(reply: FastifyReply, fileName: string, flowsToZip: FlowRecord[]): FastifyReply {
  const files: Record<string, Uint8Array> = {};
  for (const flow of flowsToZip) {
    let name = `${flow.name}.json`;
    for (let n = 1; name in files; n++) name = `${flow.name} (${n}).json`;
    files[name] = strToU8(JSON.stringify(flowExport(flow), null, 2));
  }
  return reply
    .header('content-type', 'application/x-zip-compressed')
    .header('content-disposition', attachmentHeader(fileName))
    .send(Buffer.from(zipSync(files)));
}

