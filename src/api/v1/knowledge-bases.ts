import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { assertCollectionName, type CollectionInfo } from '../../engine/vector-store.js';
import { currentUser, type ApiContext } from '../context.js';
import { notFound } from '../errors.js';

const NameParams = Type.Object({ kb_name: Type.String() });
const BulkDelete = Type.Object({ kb_names: Type.Array(Type.String()) });

/** Langflow's `KnowledgeBaseInfo` for `/api/v1/knowledge_bases`. */
function knowledgeBaseInfo(info: CollectionInfo): Record<string, unknown> {
  return {
    id: info.name,
    name: info.name.replace(/[_-]/g, ' ').replace(/\w\S*/g, (w) => w[0].toUpperCase() + w.slice(1).toLowerCase()),
    embedding_provider: typeof info.metadata.embedding_provider === 'string' ? info.metadata.embedding_provider : 'Unknown',
    embedding_model: typeof info.metadata.embedding_model === 'string' ? info.metadata.embedding_model : 'Unknown',
    size: info.sizeBytes,
    words: info.words,
    characters: info.characters,
    chunks: info.count,
    avg_chunk_size: info.count > 0 ? Math.round((info.characters / info.count) * 10) / 10 : 0,
  };
}

function validName(name: string): boolean {
  try {
    assertCollectionName(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * `/api/v1/knowledge_bases` (Langflow's local knowledge bases): the caller's own, from the embedded
 * vector store. Another user's knowledge base, or a name that could not be one, is a 404 like a missing one.
 */
export async function knowledgeBaseRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const tags = ['Knowledge Bases'];
  const user = { preHandler: ctx.auth.userPreHandler };
  const storeOf = (request: Parameters<typeof currentUser>[0]) => ctx.host.vectorStores.forUser(currentUser(request).id, 'knowledge_bases');
  const missing = (name: string) => notFound(`Knowledge base '${name}' not found`);

  app.get('/api/v1/knowledge_bases', { ...user, schema: { tags } }, async (request) => {
    const list = (await storeOf(request).list()).map(knowledgeBaseInfo);
    return list.sort((a, b) => String(a.name).localeCompare(String(b.name)));
  });

  app.get<{ Params: Static<typeof NameParams> }>('/api/v1/knowledge_bases/:kb_name', { ...user, schema: { tags, params: NameParams } }, async (request) => {
    const name = request.params.kb_name;
    const info = validName(name) ? await storeOf(request).info(name) : undefined;
    if (!info) throw missing(name);
    return knowledgeBaseInfo(info);
  });

  app.delete<{ Params: Static<typeof NameParams> }>('/api/v1/knowledge_bases/:kb_name', { ...user, schema: { tags, params: NameParams } }, async (request) => {
    const name = request.params.kb_name;
    if (!validName(name) || !(await storeOf(request).delete(name))) throw missing(name);
    return { message: `Knowledge base '${name}' deleted successfully` };
  });

  app.delete<{ Body: Static<typeof BulkDelete> }>('/api/v1/knowledge_bases', { ...user, schema: { tags, body: BulkDelete } }, async (request) => {
    const store = storeOf(request);
    let deleted = 0;
    const notFoundNames: string[] = [];
    for (const name of request.body.kb_names) {
      if (validName(name) && (await store.delete(name))) deleted++;
      else notFoundNames.push(name);
    }
    if (notFoundNames.length > 0 && deleted === 0) throw notFound(`Knowledge bases not found: ${notFoundNames.join(', ')}`);
    return { message: `Successfully deleted ${deleted} knowledge base(s)`, deleted_count: deleted, ...(notFoundNames.length > 0 ? { not_found: notFoundNames.join(', ') } : {}) };
  });
}
