import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { zipSync } from 'fflate';
import { copyNumberOf, UniqueViolationError, type FileRecord } from '../../services/database/index.js';
import { assertSafeName, createUserFileStorage, splitExtension, StoredFileNotFoundError, suffixOf } from '../../services/files/index.js';
import { currentUser, type ApiContext } from '../context.js';
import { badRequest, HttpError, notFound } from '../errors.js';
import { attachmentHeader, receiveUpload, uploadChunks } from '../file-transfer.js';
import { IdList, Uuid } from '../schemas.js';

const FileIdParams = Type.Object({ file_id: Uuid });
type FileIdParams = Static<typeof FileIdParams>;
const UploadQuery = Type.Object({ append: Type.Boolean({ default: false }) });
type UploadQuery = Static<typeof UploadQuery>;
const DownloadQuery = Type.Object({ return_content: Type.Boolean({ default: false }) });
type DownloadQuery = Static<typeof DownloadQuery>;
const RenameQuery = Type.Object({ name: Type.String({ minLength: 1 }) });
type RenameQuery = Static<typeof RenameQuery>;

/** Langflow keeps each user's MCP server config as a hidden user file with this name prefix. */
const MCP_SERVERS_FILE = '_mcp_servers';

/** Langflow's UploadFileResponse. */
function uploadResponse(file: FileRecord) {
  return { id: file.id, name: file.name, path: file.path, size: file.size, provider: file.provider };
}

/** The file's name on disk: the last segment of its `<user_id>/<stored name>` path. */
function storedName(file: FileRecord): string {
  return file.path.slice(file.path.lastIndexOf('/') + 1);
}

/** `name (n)` with n one past the highest copy number among `names`, or `name` itself when free. */
function nextFreeName(root: string, names: Set<string>, taken: (candidate: string) => Promise<boolean>): Promise<string> {
  let highest = 0;
  for (const name of names) highest = Math.max(highest, copyNumberOf(name, root) ?? 0);
  const first = names.has(root) || highest > 0 ? highest + 1 : 0;
  return (async () => {
    for (let n = first; ; n += 1) {
      const candidate = n === 0 ? root : `${root} (${n})`;
      if (!names.has(candidate) && !(await taken(candidate))) return candidate;
    }
  })();
}

/**
 * `/api/v2/files`: the user's file manager. Bytes live at `<config_dir>/<user_id>/<stored name>`,
 * metadata in the `file` table; a file's `name` is its upload name without the extension, made
 * unique per user as `name (n)`. Every route is scoped to the caller: others' files are 404.
 */
export async function filesV2Routes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const storage = createUserFileStorage(ctx.settings);
  const files = ctx.database.files;
  const limitBytes = ctx.settings.maxFileSizeUpload * 1024 * 1024;
  const tags = ['Files'];
  const user = { preHandler: ctx.auth.userPreHandler };

  async function ownedFile(fileId: string, userId: string): Promise<FileRecord> {
    const file = await files.getForUser(fileId, userId);
    if (!file) throw notFound('File not found');
    return file;
  }

  /** Removes the bytes, then the record; a file already gone from storage still loses its record. */
  async function removeFile(file: FileRecord, userId: string): Promise<void> {
    await storage.delete(userId, assertSafeName(storedName(file)));
    await files.deleteMany([file.id], userId);
  }

  app.post<{ Querystring: UploadQuery }>(
    '/api/v2/files/',
    { ...user, schema: { tags, querystring: UploadQuery, consumes: ['multipart/form-data'] } },
    async (request, reply) => {
      const caller = currentUser(request);
      const record = await receiveUpload(request, limitBytes, async (part) => {
        if (!part.filename) throw badRequest('No file provided');
        const uploadName = assertSafeName(part.filename);
        const [uploadRoot, extension] = splitExtension(uploadName);
        const withExtension = (root: string) => (extension ? `${root}.${extension}` : root);
        const mcpFile = `${MCP_SERVERS_FILE}_${caller.id}`;

        if (uploadName === `${mcpFile}.json`) {
          // The MCP config is replaced, never copied.
          const existing = await files.getByName(caller.id, mcpFile);
          if (existing) await removeFile(existing, caller.id);
        } else if (request.query.append) {
          const existing = await files.getByName(caller.id, uploadRoot);
          if (existing) {
            const size = await storage.save(caller.id, assertSafeName(storedName(existing)), uploadChunks(part, limitBytes), { append: true });
            return (await files.update(existing.id, caller.id, { size })) ?? existing;
          }
        }

        const names = new Set((await files.listForUser(caller.id)).map((file) => file.name));
        const root = uploadName === `${mcpFile}.json`
          ? uploadRoot
          : await nextFreeName(uploadRoot, names, (candidate) => storage.exists(caller.id, assertSafeName(withExtension(candidate))));
        const diskName = assertSafeName(withExtension(root));
        const size = await storage.save(caller.id, diskName, uploadChunks(part, limitBytes));
        try {
          return await files.create(caller.id, { name: root, path: `${caller.id}/${diskName}`, size });
        } catch (error) {
          await storage.delete(caller.id, diskName).catch(() => undefined);
          if (error instanceof UniqueViolationError) throw new HttpError(409, `A file named ${root} already exists`);
          throw new HttpError(500, `Error inserting file metadata into database: ${(error as Error).message}`);
        }
      });
      return reply.code(201).send(uploadResponse(record));
    },
  );

  app.get('/api/v2/files/', { ...user, schema: { tags } }, async (request) => {
    const caller = currentUser(request);
    const mcpFile = `${MCP_SERVERS_FILE}_${caller.id}`;
    return (await files.listForUser(caller.id)).filter((file) => file.name !== mcpFile);
  });

  app.delete('/api/v2/files/', { ...user, schema: { tags } }, async (request) => {
    const caller = currentUser(request);
    const all = await files.listForUser(caller.id);
    for (const file of all) await storage.delete(caller.id, assertSafeName(storedName(file)));
    await files.deleteAllForUser(caller.id);
    return { message: `All ${all.length} files deleted successfully` };
  });

  app.post<{ Body: Static<typeof IdList> }>('/api/v2/files/batch/', { ...user, schema: { tags, body: IdList } }, async (request, reply) => {
    const caller = currentUser(request);
    const wanted = new Set(request.body);
    const selected = (await files.listForUser(caller.id)).filter((file) => wanted.has(file.id));
    if (selected.length === 0) throw notFound('No files found');
    const entries: Record<string, Uint8Array> = {};
    for (const file of selected) {
      const stored = assertSafeName(storedName(file));
      let entryName = `${file.name}${suffixOf(stored)}`;
      for (let n = 1; entryName in entries; n += 1) entryName = `${file.name} (${n})${suffixOf(stored)}`;
      try {
        entries[entryName] = new Uint8Array(await storage.read(caller.id, stored));
      } catch (error) {
        if (error instanceof StoredFileNotFoundError) throw notFound(`File not found: ${file.name}`);
        throw error;
      }
    }
    const zipped = zipSync(entries);
    const now = new Date();
    const pad = (n: number) => String(n).padStart(2, '0');
    const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}_${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
    return reply
      .header('Content-Type', 'application/x-zip-compressed')
      .header('Content-Disposition', attachmentHeader(`${stamp}_langflow_files.zip`))
      .send(Buffer.from(zipped.buffer, zipped.byteOffset, zipped.byteLength));
  });

  app.delete<{ Body: Static<typeof IdList> }>('/api/v2/files/batch/', { ...user, schema: { tags, body: IdList } }, async (request) => {
    const caller = currentUser(request);
    const wanted = new Set(request.body);
    const selected = (await files.listForUser(caller.id)).filter((file) => wanted.has(file.id));
    if (selected.length === 0) throw notFound('No files found');
    for (const file of selected) await storage.delete(caller.id, assertSafeName(storedName(file)));
    await files.deleteMany(selected.map((file) => file.id), caller.id);
    return { message: `${selected.length} files deleted successfully` };
  });

  app.get<{ Params: FileIdParams; Querystring: DownloadQuery }>(
    '/api/v2/files/:file_id',
    { ...user, schema: { tags, params: FileIdParams, querystring: DownloadQuery } },
    async (request, reply) => {
      const caller = currentUser(request);
      const file = await ownedFile(request.params.file_id, caller.id);
      const stored = assertSafeName(storedName(file));
      if (request.query.return_content) {
        const bytes = await storage.read(caller.id, stored);
        const text = new TextDecoder('utf-8', { fatal: true });
        let content: string;
        try {
          content = text.decode(bytes);
        } catch {
          throw new HttpError(500, 'Invalid file encoding');
        }
        // FastAPI sends a returned str as a JSON string.
        return reply.type('application/json').send(JSON.stringify(content));
      }
      const stream = await storage.stream(caller.id, stored);
      return reply
        .header('Content-Type', 'application/octet-stream')
        .header('Content-Disposition', attachmentHeader(`${file.name}${suffixOf(stored)}`))
        .send(stream);
    },
  );

  app.put<{ Params: FileIdParams; Querystring: RenameQuery }>(
    '/api/v2/files/:file_id',
    { ...user, schema: { tags, params: FileIdParams, querystring: RenameQuery } },
    async (request) => {
      const caller = currentUser(request);
      await ownedFile(request.params.file_id, caller.id);
      try {
        const updated = await files.update(request.params.file_id, caller.id, { name: request.query.name });
        if (!updated) throw notFound('File not found');
        return uploadResponse(updated);
      } catch (error) {
        if (error instanceof UniqueViolationError) throw new HttpError(409, `A file named ${request.query.name} already exists`);
        throw error;
      }
    },
  );

  app.delete<{ Params: FileIdParams }>('/api/v2/files/:file_id', { ...user, schema: { tags, params: FileIdParams } }, async (request) => {
    const caller = currentUser(request);
    const file = await ownedFile(request.params.file_id, caller.id);
    await removeFile(file, caller.id);
    return { detail: `File ${file.name} deleted successfully` };
  });
}
