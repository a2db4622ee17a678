import { DEFAULT_RUN_RECORDS, type Settings } from '../settings.js';
import { connect, type DialectName } from './connection.js';
import { migrateToLatest } from './migrate.js';
import { RunRecorder } from './run-recorder.js';
import { ApiKeysRepository } from './repos/api-keys.js';
import { AuthSessionsRepository } from './repos/auth-sessions.js';
import { FilesRepository } from './repos/files.js';
import { FlowsRepository } from './repos/flows.js';
import { FoldersRepository } from './repos/folders.js';
import { DatabaseMessageStore } from './repos/message-store.js';
import { MessagesRepository } from './repos/messages.js';
import { RevokedSessionsRepository } from './repos/revoked-sessions.js';
import { TracesRepository } from './repos/traces.js';
import { TransactionsRepository } from './repos/transactions.js';
import { nothingPending, type CountKeyUse, type Db, type Settle } from './repos/types.js';
import { UsersRepository } from './repos/users.js';
import { VariablesRepository } from './repos/variables.js';
import { VertexBuildsRepository } from './repos/vertex-builds.js';

export interface Repositories {
  users: UsersRepository;
  apiKeys: ApiKeysRepository;
  folders: FoldersRepository;
  flows: FlowsRepository;
  variables: VariablesRepository;
  messages: MessagesRepository;
  messageStore: DatabaseMessageStore;
  vertexBuilds: VertexBuildsRepository;
  transactions: TransactionsRepository;
  traces: TracesRepository;
  files: FilesRepository;
  revokedSessions: RevokedSessionsRepository;
  authSessions: AuthSessionsRepository;
}

export interface Database extends Repositories {
  db: Db;
  /** Write-behind of vertex builds and transactions (closing the database writes what is pending). */
  recorder: RunRecorder;
  dialect: DialectName;
  schema: string | null;
  close(): Promise<void>;
}

export function createRepositories(db: Db, settle: Settle = nothingPending, countKeyUse?: CountKeyUse): Repositories {
  return {
    users: new UsersRepository(db, settle),
    apiKeys: new ApiKeysRepository(db, settle, countKeyUse),
    folders: new FoldersRepository(db, settle),
    flows: new FlowsRepository(db, settle),
    variables: new VariablesRepository(db),
    messages: new MessagesRepository(db),
    messageStore: new DatabaseMessageStore(db),
    vertexBuilds: new VertexBuildsRepository(db, { settle }),
    transactions: new TransactionsRepository(db, settle),
    traces: new TracesRepository(db, settle),
    files: new FilesRepository(db),
    revokedSessions: new RevokedSessionsRepository(db),
    authSessions: new AuthSessionsRepository(db),
  };
}

/**
 * Opens SQLite (default) or PostgreSQL (`postgres://` / `postgresql://`, optional `?schema=NAME`) and
 * brings the schema up to date before returning.
 */
export async function openDatabase(target: (Pick<Settings, 'databaseUrl'> & Partial<Pick<Settings, 'runRecords'>>) | string): Promise<Database> {
  const url = typeof target === 'string' ? target : target.databaseUrl;
  const records = (typeof target === 'string' ? undefined : target.runRecords) ?? DEFAULT_RUN_RECORDS;
  const { db, dialect, schema, stopHelpers } = await connect(url);
  try {
    await migrateToLatest(db, schema);
  } catch (error) {
    await stopHelpers();
    await db.destroy();
    throw error;
  }
  const recorder = new RunRecorder(db, {
    storeTransactions: records.transactionsStorageEnabled,
    storeBuilds: records.vertexBuildsStorageEnabled,
    transactionsKeptPerFlow: records.maxTransactionsToKeep,
    buildsKeptInTotal: records.maxVertexBuildsToKeep,
    buildsKeptPerVertex: records.maxVertexBuildsPerVertex,
    storeTraces: records.tracesStorageEnabled,
    tracesKeptPerFlow: records.maxTracesToKeep,
    onError: (error) => process.stderr.write(`weft: could not record run builds, transactions or key uses: ${String(error)}\n`),
  });
  const repositories = createRepositories(db, () => recorder.flush(), (keyId) => recorder.countKeyUse(keyId));
  const close = async () => {
    await recorder.close();
    await stopHelpers();
    await db.destroy();
  };
  return { db, dialect, schema, ...repositories, recorder, close };
}

export type { DialectName } from './connection.js';
export { UniqueViolationError } from './errors.js';
export { migrateToLatest } from './migrate.js';
export { RunRecorder } from './run-recorder.js';
export { toUserRead, type UserRecord, type UserRead } from './repos/users.js';
export type { ApiKeyRecord } from './repos/api-keys.js';
export type { FolderRecord } from './repos/folders.js';
export { containsWebhook, InvalidEndpointNameError, isFlowIdLike, type FlowRecord, type FlowInput, type FlowPatch } from './repos/flows.js';
export type { VariableRecord } from './repos/variables.js';
export type { MessageRecord, MessageFilter, MessagePatch } from './repos/messages.js';
export type { VertexBuildRecord } from './repos/vertex-builds.js';
export type { TransactionRecord } from './repos/transactions.js';
export { storedSpans, type NewTrace, type TraceFilter, type TraceRow, type TraceSummaryRow } from './repos/traces.js';
export type { FileRecord } from './repos/files.js';
export type { Page, PageRequest } from './repos/types.js';
export { copyNumberOf, isValidEndpointName } from './repos/naming.js';
