export { SqliteVectorService } from './sqlite-store.js';
export { canonicalJson, cosineSimilarity, maximalMarginalRelevance } from './math.js';
export {
  assertCollectionName,
  CollectionNotFoundError,
  VectorStoreError,
  type CollectionInfo,
  type IngestOptions,
  type IngestResult,
  type SearchHit,
  type SearchOptions,
  type SearchType,
  type StoredChunk,
  type VectorRecord,
  type VectorSpace,
  type VectorStore,
  type VectorStoreService,
} from '../../engine/vector-store.js';
export { createPgVectorService, PgVectorService, type PgDistance, type PgVectorOptions } from './pg-store.js';
