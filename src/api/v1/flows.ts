import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { strToU8, zipSync } from 'fflate';
import { InvalidEndpointNameError, UniqueViolationError, type FlowRecord } from '../../services/database/index.js';
import { currentUser, type ApiContext } from '../context.js';
import { badRequest, forbidden, notFound, validationError } from '../errors.js';
import { exampleFlows } from '../examples/index.js';
import { flowExport, flowHeader, flowInput, flowRead, stripApiKeys } from '../flow-shapes.js';
import { FlowCreate, FlowIdParams, FlowUpdate, IdList, Uuid } from '../schemas.js';
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

  /** The folder a new flow goes to: the given one if the caller owns it, else their default project. */
  async function targetFolder(userId: string, folderId: string | null | undefined): Promise<string> {
    if (folderId) {
      if (!(await folders.getForUser(folderId, userId))) throw notFound('Project not found');
      return folderId;
    }
    return (await folders.ensureDefault(userId, ctx.settings.defaultFolderName)).id;
  }

  async function createFlow(userId: string, body: FlowCreate, folderId?: string | null): Promise<FlowRecord> {
    try {
      return await flows.create(userId, flowInput(body, await targetFolder(userId, folderId ?? body.folder_id)));
    } catch (error) {
      throw mapWriteError(error);
    }
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
    return flowRead(flow);
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
      if (body.folder_id) await targetFolder(caller.id, body.folder_id);
      // Only fields the client set are applied; `name: null` means "leave it".
      const patch = Object.fromEntries(Object.entries(body).filter(([key, value]) => value !== undefined && !(key === 'name' && value === null) && key in PATCHABLE));
      if (patch.data && ctx.settings.removeApiKeys) patch.data = stripApiKeys(patch.data as Record<string, unknown>);
      try {
        const updated = await flows.update(request.params.flow_id, caller.id, patch);
        if (!updated) throw notFound('Flow not found');
        return flowRead(updated);
      } catch (error) {
        throw mapWriteError(error);
      }
    },
  );

  app.delete<{ Params: FlowIdParams }>('/api/v1/flows/:flow_id', { ...user, schema: { tags, params: FlowIdParams } }, async (request) => {
    if (!(await flows.delete(request.params.flow_id, currentUser(request).id))) throw notFound('Flow not found');
    return { message: 'Flow deleted successfully' };
  });

  app.delete<{ Body: string[] }>('/api/v1/flows/', { ...user, schema: { tags, body: IdList } }, async (request) => {
    return { deleted: await flows.deleteMany(request.body, currentUser(request).id) };
  });

  const Batch = Type.Object({ flows: Type.Array(FlowCreate) });
  app.post<{ Body: Static<typeof Batch> }>('/api/v1/flows/batch/', { ...user, schema: { tags, body: Batch } }, async (request, reply) => {
    const caller = currentUser(request);
    const created: Record<string, unknown>[] = [];
    for (const body of request.body.flows) created.push(flowRead(await createFlow(caller.id, body)));
    return reply.code(201).send(created);
  });

  app.post<{ Querystring: Static<typeof FolderQuery> }>('/api/v1/flows/upload/', { ...user, schema: { tags, querystring: FolderQuery } }, async (request, reply) => {
    const caller = currentUser(request);
    const dicts = flowsFromUpload(await uploadedFile(request));
    const created: Record<string, unknown>[] = [];
    for (const dict of dicts) created.push(flowRead(await createFlow(caller.id, uploadedFlowBody(dict), request.query.folder_id)));
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
    .header('content-disposition', `attachment; filename=${fileName}`)
    .send(Buffer.from(zipSync(files)));
}

