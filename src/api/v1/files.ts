import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  assertSafeName,
  contentTypeOf,
  createFileStorage,
  isRenderableImage,
  LocalFileStorage,
  StoredFileNotFoundError,
  uploadTimestamp,
} from '../../services/files/index.js';
import { currentUser, type ApiContext } from '../context.js';
import { HttpError, notFound } from '../errors.js';
import { attachmentHeader, receiveUpload, uploadChunks } from '../file-transfer.js';
import { FlowIdParams, Uuid } from '../schemas.js';

const FlowFileParams = Type.Object({ flow_id: Uuid, file_name: Type.String() });
type FlowFileParams = Static<typeof FlowFileParams>;
const PictureParams = Type.Object({ folder_name: Type.String(), file_name: Type.String() });
type PictureParams = Static<typeof PictureParams>;

/** Langflow's fallback profile picture folders. */
const DEFAULT_PICTURE_FOLDERS = ['People', 'Space'];

/**
 * `/api/v1/files`: files attached to a flow, stored at `<config_dir>/<flow_id>/<timestamp>_<name>`.
 * Every route needs the flow's owner (others get 404 "Flow not found"), except `images` and
 * `profile_pictures`, which are public as in Langflow. Names are checked before any disk access.
 */
export async function filesV1Routes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const storage = createFileStorage(ctx.settings);
  const pictures = new LocalFileStorage(join(ctx.settings.configDir, 'profile_pictures'));
  const limitBytes = ctx.settings.maxFileSizeUpload * 1024 * 1024;
  const tags = ['Files'];
  const user = { preHandler: ctx.auth.userPreHandler };

  async function ownedFlowId(flowId: string, userId: string): Promise<string> {
    const flow = await ctx.database.flows.getForUser(flowId, userId);
    if (!flow) throw notFound('Flow not found');
    return flow.id;
  }

  app.post<{ Params: FlowIdParams }>(
    '/api/v1/files/upload/:flow_id',
    { ...user, schema: { tags, params: FlowIdParams, consumes: ['multipart/form-data'] } },
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
        const bytes = await part.toBuffer();
        const fullName = `${uploadTimestamp()}_${createHash('sha256').update(bytes).digest('hex')}`;
        await storage.save(folder, fullName, bytes);
        return `${folder}/${fullName}`;
      });
      return reply.code(201).send({ flowId: folder, file_path: filePath });
    },
  );

  app.get<{ Params: FlowFileParams }>(
    '/api/v1/files/download/:flow_id/:file_name',
    { ...user, schema: { tags, params: FlowFileParams } },
    async (request, reply) => {
      const fileName = assertSafeName(request.params.file_name);
      const folder = await ownedFlowId(request.params.flow_id, currentUser(request).id);
      const bytes = await storage.read(folder, fileName);
      return reply
        .header('Content-Disposition', attachmentHeader(fileName))
        .header('Content-Type', 'application/octet-stream')
        .send(bytes);
    },
  );

  app.get<{ Params: FlowFileParams }>(
    '/api/v1/files/images/:flow_id/:file_name',
    { schema: { tags, params: FlowFileParams } },
    async (request, reply) => {
      const fileName = assertSafeName(request.params.file_name);
      const contentType = contentTypeOf(fileName);
      if (contentType === null) throw new HttpError(500, `Content type not found for extension ${fileName.split('.').pop() ?? ''}`);
      if (!isRenderableImage(contentType)) throw new HttpError(500, `Content type ${contentType} is not an image`);
      const bytes = await storage.read(request.params.flow_id, fileName);
      return reply.header('Content-Type', contentType).header('X-Content-Type-Options', 'nosniff').send(bytes);
    },
  );

  async function pictureFolders(): Promise<string[]> {
    try {
      const entries = await readdir(pictures.root, { withFileTypes: true });
      const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
      return folders.length > 0 ? folders : DEFAULT_PICTURE_FOLDERS;
    } catch {
      return DEFAULT_PICTURE_FOLDERS;
    }
  }

  app.get('/api/v1/files/profile_pictures/list', { schema: { tags } }, async () => {
    const files: string[] = [];
    for (const folder of await pictureFolders()) {
      for (const name of await pictures.list(folder)) files.push(`${folder}/${name}`);
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
      try {
        const bytes = await pictures.read(folder, fileName);
        return await reply.header('Content-Type', contentTypeOf(fileName) ?? 'application/octet-stream').header('X-Content-Type-Options', 'nosniff').send(bytes);
      } catch (error) {
        if (error instanceof StoredFileNotFoundError) throw notFound(`Profile picture ${folder}/${fileName} not found`);
        throw error;
      }
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
      const fileName = assertSafeName(request.params.file_name);
      const folder = await ownedFlowId(request.params.flow_id, currentUser(request).id);
      // As Langflow's local storage: deleting a file that is not there is not an error.
      await storage.delete(folder, fileName);
      return { message: `File ${fileName} deleted successfully` };
    },
  );
}
