import { parseUntrustedJson } from '../../engine/safe-json.js';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { FolderRecord } from '../../services/database/index.js';
import { safeFlowPath } from '../../services/files/index.js';
import { currentUser, type ApiContext } from '../context.js';
import { notFound } from '../errors.js';
import { clearFilesOfNewFlow, mirrorFlowToDisk, removeFilesOfDeletedFlows } from '../flow-files.js';
import { flowHeader, flowRead } from '../flow-shapes.js';
import { Uuid } from '../schemas.js';
import { flowsFromUpload, uploadedFile } from '../uploads.js';
import { mapWriteError, sendZip, uploadedFlowBody } from './flows.js';

const AuthSettings = Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]);
const FolderCreate = Type.Object({
  name: Type.String(),
  description: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  parent_id: Type.Optional(Type.Union([Uuid, Type.Null()])),
  auth_settings: Type.Optional(AuthSettings),
  // `list[UUID] | None` in Langflow: clients that dump the whole model send null.
  components_list: Type.Optional(Type.Union([Type.Array(Uuid), Type.Null()])),
  flows_list: Type.Optional(Type.Union([Type.Array(Uuid), Type.Null()])),
});
const FolderUpdate = Type.Object({
  name: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  description: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  parent_id: Type.Optional(Type.Union([Uuid, Type.Null()])),
  components: Type.Optional(Type.Array(Uuid)),
  flows: Type.Optional(Type.Array(Uuid)),
  auth_settings: Type.Optional(AuthSettings),
});
const ProjectParams = Type.Object({ project_id: Uuid });
type ProjectParams = Static<typeof ProjectParams>;
const ReadQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1 })),
  size: Type.Optional(Type.Integer({ minimum: 1 })),
  is_component: Type.Boolean({ default: false }),
  is_flow: Type.Boolean({ default: false }),
  search: Type.String({ default: '' }),
});

function folderRead(folder: FolderRecord): Record<string, unknown> {
  return { id: folder.id, name: folder.name, description: folder.description, parent_id: folder.parent_id, auth_settings: folder.auth_settings };
}

/**
 * `/api/v1/projects` and its legacy alias `/api/v1/folders` (§A.5): the same handlers under both
 * prefixes; the alias is marked deprecated in the OpenAPI document.
 */
export async function projectRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  for (const [prefix, tag, deprecated] of [['/api/v1/projects', 'Projects', false], ['/api/v1/folders', 'Folders', true]] as const) {
    await registerProjectRoutes(app, ctx, prefix, { tags: [tag], deprecated });
  }
}

async function registerProjectRoutes(app: FastifyInstance, ctx: ApiContext, prefix: string, doc: { tags: string[]; deprecated: boolean }): Promise<void> {
  const { folders, flows } = ctx.database;
  const user = { preHandler: ctx.auth.userPreHandler };

  async function ownedFolder(id: string, userId: string): Promise<FolderRecord> {
    const folder = await folders.getForUser(id, userId);
    if (!folder) throw notFound('Project not found');
    return folder;
  }

  /** Moves the caller's flows among `ids` into the folder; other users' ids are ignored. */
  async function moveFlows(ids: string[], folderId: string, userId: string): Promise<void> {
    for (const id of ids) if (await flows.getForUser(id, userId)) await flows.update(id, userId, { folder_id: folderId });
  }

  app.post<{ Body: Static<typeof FolderCreate> }>(`${prefix}/`, { ...user, schema: { ...doc, body: FolderCreate } }, async (request, reply) => {
    const caller = currentUser(request);
    const body = request.body;
    if (body.parent_id) await ownedFolder(body.parent_id, caller.id);
    const folder = await folders.create(caller.id, { name: body.name, description: body.description ?? null, parentId: body.parent_id ?? null, authSettings: body.auth_settings ?? null });
    await moveFlows([...(body.flows_list ?? []), ...(body.components_list ?? [])], folder.id, caller.id);
    return reply.code(201).send(folderRead(folder));
  });

  app.get(`${prefix}/`, { ...user, schema: doc }, async (request) => {
    const caller = currentUser(request);
    await folders.ensureDefault(caller.id, ctx.settings.defaultFolderName);
    return (await folders.listForUser(caller.id)).map(folderRead);
  });

  app.get<{ Params: ProjectParams; Querystring: Static<typeof ReadQuery> }>(
    `${prefix}/:project_id`,
    { ...user, schema: { ...doc, params: ProjectParams, querystring: ReadQuery } },
    async (request) => {
      const caller = currentUser(request);
      const folder = await ownedFolder(request.params.project_id, caller.id);
      const { page, size, is_component, is_flow, search } = request.query;
      let inFolder = await flows.list(caller.id, { folderId: folder.id });
      if (is_component !== is_flow) inFolder = inFolder.filter((f) => f.is_component === is_component);
      if (search) inFolder = inFolder.filter((f) => f.name.toLowerCase().includes(search.toLowerCase()));
      if (page !== undefined && size !== undefined) {
        const items = inFolder.slice((page - 1) * size, page * size).map(flowHeader);
        return { folder: folderRead(folder), flows: { items, total: inFolder.length, page, size, pages: Math.ceil(inFolder.length / size) } };
      }
      return { ...folderRead(folder), flows: inFolder.map(flowRead) };
    },
  );

  app.patch<{ Params: ProjectParams; Body: Static<typeof FolderUpdate> }>(
    `${prefix}/:project_id`,
    { ...user, schema: { ...doc, params: ProjectParams, body: FolderUpdate } },
    async (request) => {
      const caller = currentUser(request);
      await ownedFolder(request.params.project_id, caller.id);
      const body = request.body;
      if (body.parent_id) await ownedFolder(body.parent_id, caller.id);
      try {
        const updated = await folders.update(request.params.project_id, caller.id, {
          name: body.name ?? undefined,
          description: body.description ?? undefined,
          parentId: body.parent_id,
          authSettings: body.auth_settings,
        });
        await moveFlows([...(body.flows ?? []), ...(body.components ?? [])], request.params.project_id, caller.id);
        return folderRead(updated!);
      } catch (error) {
        throw mapWriteError(error);
      }
    },
  );

  app.delete<{ Params: ProjectParams }>(`${prefix}/:project_id`, { ...user, schema: { ...doc, params: ProjectParams } }, async (request, reply) => {
    const caller = currentUser(request);
    const inProject = await flows.list(caller.id, { folderId: request.params.project_id });
    if (!(await folders.delete(request.params.project_id, caller.id))) throw notFound('Project not found');
    await removeFilesOfDeletedFlows(ctx, inProject.map((flow) => flow.id));
    return reply.code(204).send();
  });

  app.get<{ Params: ProjectParams }>(`${prefix}/download/:project_id`, { ...user, schema: { ...doc, params: ProjectParams } }, async (request, reply) => {
    const caller = currentUser(request);
    const folder = await ownedFolder(request.params.project_id, caller.id);
    const inFolder = await flows.list(caller.id, { folderId: folder.id });
    if (inFolder.length === 0) throw notFound('No flows found in project');
    return sendZip(reply, `${folder.name}.zip`, inFolder);
  });

  app.post(`${prefix}/upload/`, { ...user, schema: doc }, async (request, reply) => {
    const caller = currentUser(request);
    const file = await uploadedFile(request);
    const dicts = flowsFromUpload(file);
    // Every flow's fs_path is checked before anything is written, so a refused one leaves no half-made project.
    for (const dict of dicts) safeFlowPath(ctx.settings.configDir, caller.id, uploadedFlowBody(dict).fs_path);
    const parsed = file.name.toLowerCase().endsWith('.json') ? (parseUntrustedJson(file.bytes.toString('utf8')) as Record<string, unknown>) : {};
    const folderName = typeof parsed.folder_name === 'string' ? parsed.folder_name : file.name.replace(/\.(json|zip)$/i, '') || 'Uploaded Project';
    const description = typeof parsed.folder_description === 'string' ? parsed.folder_description : null;
    const folder = await folders.create(caller.id, { name: folderName, description });
    const created: Record<string, unknown>[] = [];
    for (const dict of dicts) {
      try {
        const flow = await flows.create(caller.id, { ...uploadedFlowBody(dict), folder_id: folder.id } as Parameters<typeof flows.create>[1]);
        await clearFilesOfNewFlow(ctx, flow.id);
        await mirrorFlowToDisk(ctx, flow);
        created.push(flowRead(flow));
      } catch (error) {
        throw mapWriteError(error);
      }
    }
    return reply.code(201).send(created);
  });
}
