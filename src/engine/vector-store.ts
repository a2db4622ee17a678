import { WeftError, type ErrorCode } from './errors.js';

/** One chunk to store: its text, its metadata and its embedding. */
export interface VectorRecord {
  text: string;
  metadata: Record<string, unknown>;
  vector: ArrayLike<number>;
  /**
   * What makes two records the same for `allowDuplicates: false`; defaults to a hash of the text and
   * the metadata (Langflow compares whole `Data` objects; its knowledge bases compare a content hash).
   */
  key?: string;
}

export interface IngestOptions {
  /** Add records whose key the collection (or this batch) already holds; default false. */
  allowDuplicates?: boolean;
  /** Replace everything the collection holds with these records, in the same transaction (FAISS's rebuilt index). */
  replace?: boolean;
}

export interface IngestResult {
  added: number;
  skipped: number;
}

export type SearchType = 'similarity' | 'mmr';

export interface SearchOptions {
  /** Number of results. */
  k: number;
  type?: SearchType;
  /** MMR: candidates fetched before re-ranking (LangChain's default 20). */
  fetchK?: number;
  /** MMR: 1 = relevance only, 0 = diversity only (LangChain's default 0.5). */
  lambda?: number;
  /** Drop hits whose score (cosine similarity, 1 - cosine distance) is below this. */
  scoreThreshold?: number;
  /** Metadata equality filter: every key must equal its value. */
  filter?: Record<string, string | number | boolean>;
}

export interface SearchHit {
  id: string;
  text: string;
  metadata: Record<string, unknown>;
  /** Cosine similarity to the query, 1 - cosine distance (LangChain's relevance score for cosine). */
  score: number;
}

export interface StoredChunk {
  id: string;
  text: string;
  metadata: Record<string, unknown>;
}

export interface CollectionInfo {
  name: string;
  /** Null until the first vectors fix it. */
  dimensions: number | null;
  count: number;
  words: number;
  characters: number;
  sizeBytes: number;
  /** Collection-level metadata (a knowledge base's embedding model and column schema). */
  metadata: Record<string, unknown>;
  createdAt: string;
}

/**
 * One user's collections in one space. Every method is scoped to that owner: another user's
 * collection of the same name is a different collection, and invisible.
 */
export interface VectorStore {
  /** Adds the records in one transaction: all of them, or (on any error) none. */
  ingest(collection: string, records: VectorRecord[], options?: IngestOptions): Promise<IngestResult>;
  search(collection: string, query: ArrayLike<number>, options: SearchOptions): Promise<SearchHit[]>;
  /** The stored chunks, oldest first, at most `limit`. */
  chunks(collection: string, limit?: number): Promise<StoredChunk[]>;
  list(): Promise<CollectionInfo[]>;
  info(collection: string): Promise<CollectionInfo | undefined>;
  /** Creates the collection if needed and merges `metadata` into its collection-level metadata. */
  setMetadata(collection: string, metadata: Record<string, unknown>): Promise<void>;
  /** False when there was none. */
  delete(collection: string): Promise<boolean>;
}

/** Where a store keeps things: vector store components' collections, or knowledge bases. */
export type VectorSpace = 'vector_stores' | 'knowledge_bases';

export interface VectorStoreService {
  readonly backend: 'sqlite-vec' | 'pgvector';
  forUser(userId: string, space: VectorSpace): VectorStore;
  close(): Promise<void>;
}

export class VectorStoreError extends WeftError {
  constructor(code: ErrorCode, message: string) {
    super(code, message);
  }
}

/** Chroma's rule, which Langflow's knowledge bases follow too (3-63 chars there; Weft allows 1-100). */
const COLLECTION_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,98}[A-Za-z0-9])?$/;

export function assertCollectionName(name: string): void {
  if (!COLLECTION_NAME.test(name) || name.includes('..')) {
    throw new VectorStoreError(
      'invalid_request',
      `Invalid collection name ${JSON.stringify(name.slice(0, 120))}: use 1-100 letters, digits, '_', '-' or '.', starting and ending with a letter or digit`,
    );
  }
}

export class CollectionNotFoundError extends VectorStoreError {
  constructor(readonly collection: string) {
    super('not_found', `Collection '${collection}' not found`);
  }
}
