import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  assertSafeName,
  contentTypeOf,
  createFlowFileStorage,
  isRenderableImage,
  LocalFileStorage,
  StoredFileNotFoundError,
  uploadTimestamp,
} from '../../services/files/index.js';
import { currentUser, type ApiContext } from '../context.js';
import { badRequest, HttpError, notFound } from '../errors.js';
import { attachmentHeader, receiveUpload, saveNamedByHash, uploadChunks } from '../file-transfer.js';
import { fileNotFoundInFlow, v1FileName } from './file-names.js';
import { bundledPicture, bundledPictureFolders, bundledPictures } from './profile-pictures.js';
import { FlowIdParams, Uuid } from '../schemas.js';

const FlowFileParams = Type.Object({ flow_id: Uuid, file_name: Type.String() });
type FlowFileParams = Static<typeof FlowFileParams>;
const PictureParams = Type.Object({ folder_name: Type.String(), file_name: Type.String() });
type PictureParams = Static<typeof PictureParams>;

/**
 * `/api/v1/files`: files attached to a flow, stored at `<config_dir>/flow_files/<flow_id>/<timestamp>_<name>`.
 * Every route needs the flow's owner (others get 404 "Flow not found"), `images` included (as
 * Langflow since PR #12234); only `profile_pictures` are public. Names are checked before any disk access.
 */
export async function filesV1Routes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const storage = createFlowFileStorage(ctx.settings);
  const pictures = new LocalFileStorage(join(ctx.settings.configDir, 'profile_pictures'));
  const limitBytes = ctx.settings.maxFileSizeUpload * 1024 * 1024;
  const tags = ['Files'];
  const user = { preHandler: ctx.auth.userPreHandler };

  async function ownedFlowId(flowId: string, userId: string): Promise<string> {
    const flow = await ctx.database.flows.getForUser(flowId, userId);
    if (!flow) throw notFound('Flow not found');
    return flow.id;
  }

  async function readFlowFile(folder: string, fileName: string): Promise<Buffer> {
    try {
      return await storage.read(folder, fileName);
    } catch (error) {
      if (error instanceof StoredFileNotFoundError) throw fileNotFoundInFlow(fileName, folder);
      throw error;
    }
  }

  // `/api/v1/upload/{flow_id}` is Langflow's deprecated alias (endpoints.py `create_upload_file`), which
  // anyone could call until Langflow 1.9.1; here it needs the flow's owner, as the files route does.
  const uploadRoutes = [['/api/v1/files/upload/:flow_id', false], ['/api/v1/upload/:flow_id', true]] as const;
  for (const [path, deprecated] of uploadRoutes) app.post<{ Params: FlowIdParams }>(
    path,
    { ...user, schema: { tags, params: FlowIdParams, consumes: ['multipart/form-data'], deprecated } },
    async (request, reply) => {
      const folder = await ownedFlowId(request.params.flow_id, currentUser(request).id);
      const filePath = await receiveUpload(request, limitBytes, async (part) => {
        if (part.filename) {
          assertSafeName(part.filename);
          const fullName = assertSafeName(`${uploadTimestamp()}_${part.filename}`);
          await storage.save(folder, fullName, uploadChunks(part, limitBytes));
          return `${folder}/${fullName}`;
        }
        // No file name: Langflow names the file after the SHA-256 of its content.
        return `${folder}/${await saveNamedByHash(storage, folder, uploadChunks(part, limitBytes))}`;
      });
      return reply.code(201).send({ flowId: folder, file_path: filePath });
    },
  );

  app.get<{ Params: FlowFileParams }>(
    '/api/v1/files/download/:flow_id/:file_name',
    { ...user, schema: { tags, params: FlowFileParams } },
    async (request, reply) => {
      const fileName = v1FileName(request.params.file_name);
      const folder = await ownedFlowId(request.params.flow_id, currentUser(request).id);
      const bytes = await readFlowFile(folder, fileName);
      return reply
        .header('Content-Disposition', attachmentHeader(fileName))
        .header('Content-Type', 'application/octet-stream')
        .send(bytes);
    },
  );

  app.get<{ Params: FlowFileParams }>(
    '/api/v1/files/images/:flow_id/:file_name',
    { ...user, schema: { tags, params: FlowFileParams } },
    async (request, reply) => {
      const fileName = v1FileName(request.params.file_name);
      // As Langflow's `get_flow` dependency: the caller's flow first (others' are 404), then the name's type.
      const folder = await ownedFlowId(request.params.flow_id, currentUser(request).id);
      const contentType = contentTypeOf(fileName);
      // Langflow's texts; 400 where Langflow answers 500 (the client named a file that is no image).
      if (contentType === null) throw badRequest(`Content type not found for extension ${fileName.split('.').pop() ?? ''}`);
      if (!isRenderableImage(contentType)) throw badRequest(`Content type ${contentType} is not an image`);
      const bytes = await readFlowFile(folder, fileName);
      return reply.header('Content-Type', contentType).header('X-Content-Type-Options', 'nosniff').send(bytes);
    },
  );

  /** Folders under `<config_dir>/profile_pictures` plus the bundled ones (Langflow: config plus package folders). */
  async function pictureFolders(): Promise<string[]> {
    let configured: string[] = [];
    try {
      const entries = await readdir(pictures.root, { withFileTypes: true });
      configured = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    } catch {
      // No profile_pictures folder in config_dir: the bundled pictures only.
    }
    return [...new Set([...configured, ...bundledPictureFolders()])].sort();
  }

  app.get('/api/v1/files/profile_pictures/list', { schema: { tags } }, async () => {
    const folders = await pictureFolders();
    const files: string[] = [];
    for (const folder of folders) {
      for (const name of await pictures.list(folder)) files.push(`${folder}/${name}`);
    }
    // As Langflow: when config_dir has none, the pictures that ship with the server.
    if (files.length === 0) {
      for (const folder of folders) for (const name of bundledPictures(folder)) files.push(`${folder}/${name}`);
    }
    return { files };
  });

  app.get<{ Params: PictureParams }>(
    '/api/v1/files/profile_pictures/:folder_name/:file_name',
    { schema: { tags, params: PictureParams } },
    async (request, reply) => {
      const { folder_name: folder, file_name: fileName } = request.params;
      if (folder.includes('..') || fileName.includes('..')) {
        throw new HttpError(400, "Path traversal patterns ('..') are not allowed in folder or file names");
      }
      const allowed = await pictureFolders();
      if (!allowed.includes(folder)) throw new HttpError(400, `Folder must be one of: ${allowed.join(', ')}`);
      if (fileName.includes('/') || fileName.includes('\\')) {
        throw new HttpError(400, "File name cannot contain path separators ('/' or '\\')");
      }
      assertSafeName(fileName);
      let bytes: Buffer | null;
      try {
        bytes = await pictures.read(folder, fileName);
      } catch (error) {
        if (!(error instanceof StoredFileNotFoundError)) throw error;
        bytes = bundledPicture(folder, fileName);
      }
      if (bytes === null) throw notFound(`Profile picture ${folder}/${fileName} not found`);
      return reply.header('Content-Type', contentTypeOf(fileName) ?? 'application/octet-stream').header('X-Content-Type-Options', 'nosniff').send(bytes);
    },
  );

  app.get<{ Params: FlowIdParams }>('/api/v1/files/list/:flow_id', { ...user, schema: { tags, params: FlowIdParams } }, async (request) => {
    const folder = await ownedFlowId(request.params.flow_id, currentUser(request).id);
    return { files: await storage.list(folder) };
  });

  app.delete<{ Params: FlowFileParams }>(
    '/api/v1/files/delete/:flow_id/:file_name',
    { ...user, schema: { tags, params: FlowFileParams } },
    async (request) => {
      const fileName = v1FileName(request.params.file_name);
      const folder = await ownedFlowId(request.params.flow_id, currentUser(request).id);
      // As Langflow's local storage: deleting a file that is not there is not an error.
      await storage.delete(folder, fileName);
      return { message: `File ${fileName} deleted successfully` };
    },
  );
}
