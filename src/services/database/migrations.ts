import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

// Migrations take Kysely<any> by design: they describe the schema before the typed interfaces apply.
/* eslint-disable @typescript-eslint/no-explicit-any */
type AnyDb = Kysely<any>;

const TEXT = 'text';
const INT = 'integer';

async function createInitialSchema(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('user')
    .addColumn('id', TEXT, (c) => c.primaryKey())
    .addColumn('username', TEXT, (c) => c.notNull().unique())
    .addColumn('password', TEXT, (c) => c.notNull())
    .addColumn('profile_image', TEXT)
    .addColumn('is_active', INT, (c) => c.notNull().defaultTo(0))
    .addColumn('is_superuser', INT, (c) => c.notNull().defaultTo(0))
    .addColumn('create_at', TEXT, (c) => c.notNull())
    .addColumn('updated_at', TEXT, (c) => c.notNull())
    .addColumn('last_login_at', TEXT)
    .addColumn('optins', TEXT)
    .addColumn('store_api_key', TEXT)
    .execute();

  await db.schema
    .createTable('apikey')
    .addColumn('id', TEXT, (c) => c.primaryKey())
    .addColumn('name', TEXT)
    .addColumn('key_hash', TEXT, (c) => c.notNull().unique())
    .addColumn('key_prefix', TEXT, (c) => c.notNull())
    .addColumn('user_id', TEXT, (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('created_at', TEXT, (c) => c.notNull())
    .addColumn('last_used_at', TEXT)
    .addColumn('total_uses', INT, (c) => c.notNull().defaultTo(0))
    .addColumn('is_active', INT, (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('ix_apikey_user_id').on('apikey').column('user_id').execute();

  await db.schema
    .createTable('folder')
    .addColumn('id', TEXT, (c) => c.primaryKey())
    .addColumn('name', TEXT, (c) => c.notNull())
    .addColumn('description', TEXT)
    .addColumn('parent_id', TEXT, (c) => c.references('folder.id').onDelete('cascade'))
    .addColumn('user_id', TEXT, (c) => c.references('user.id').onDelete('cascade'))
    .addColumn('auth_settings', TEXT)
    .addUniqueConstraint('unique_folder_name', ['user_id', 'name'])
    .execute();

  await db.schema
    .createTable('flow')
    .addColumn('id', TEXT, (c) => c.primaryKey())
    .addColumn('name', TEXT, (c) => c.notNull())
    .addColumn('description', TEXT)
    .addColumn('icon', TEXT)
    .addColumn('icon_bg_color', TEXT)
    .addColumn('gradient', TEXT)
    .addColumn('data', TEXT)
    .addColumn('is_component', INT, (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', TEXT, (c) => c.notNull())
    .addColumn('webhook', INT, (c) => c.notNull().defaultTo(0))
    .addColumn('endpoint_name', TEXT)
    .addColumn('tags', TEXT)
    .addColumn('locked', INT, (c) => c.notNull().defaultTo(0))
    .addColumn('mcp_enabled', INT, (c) => c.notNull().defaultTo(0))
    .addColumn('action_name', TEXT)
    .addColumn('action_description', TEXT)
    .addColumn('access_type', TEXT, (c) => c.notNull().defaultTo('PRIVATE'))
    .addColumn('user_id', TEXT, (c) => c.references('user.id').onDelete('cascade'))
    .addColumn('folder_id', TEXT, (c) => c.references('folder.id').onDelete('cascade'))
    .addColumn('fs_path', TEXT)
    .addUniqueConstraint('unique_flow_name', ['user_id', 'name'])
    .addUniqueConstraint('unique_flow_endpoint_name', ['user_id', 'endpoint_name'])
    .execute();
  await db.schema.createIndex('ix_flow_user_id').on('flow').column('user_id').execute();
  await db.schema.createIndex('ix_flow_folder_id').on('flow').column('folder_id').execute();
  await db.schema.createIndex('ix_flow_endpoint_name').on('flow').column('endpoint_name').execute();

  await db.schema
    .createTable('variable')
    .addColumn('id', TEXT, (c) => c.primaryKey())
    .addColumn('name', TEXT, (c) => c.notNull())
    .addColumn('value', TEXT, (c) => c.notNull())
    .addColumn('type', TEXT, (c) => c.notNull())
    .addColumn('default_fields', TEXT)
    .addColumn('user_id', TEXT, (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('created_at', TEXT, (c) => c.notNull())
    .addColumn('updated_at', TEXT, (c) => c.notNull())
    .addUniqueConstraint('unique_variable_name', ['user_id', 'name'])
    .execute();

  // Monitor tables carry flow_id without a foreign key, as Langflow does: runs of unsaved flows record
  // too, and deleting a flow removes them explicitly (FlowsRepository.delete).
  await db.schema
    .createTable('message')
    .addColumn('id', TEXT, (c) => c.primaryKey())
    .addColumn('flow_id', TEXT)
    .addColumn('timestamp', TEXT, (c) => c.notNull())
    .addColumn('sender', TEXT)
    .addColumn('sender_name', TEXT)
    .addColumn('session_id', TEXT, (c) => c.notNull())
    .addColumn('context_id', TEXT)
    .addColumn('text', TEXT, (c) => c.notNull())
    .addColumn('files', TEXT, (c) => c.notNull())
    .addColumn('error', INT, (c) => c.notNull().defaultTo(0))
    .addColumn('edit', INT, (c) => c.notNull().defaultTo(0))
    .addColumn('properties', TEXT, (c) => c.notNull())
    .addColumn('category', TEXT, (c) => c.notNull())
    .addColumn('content_blocks', TEXT, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ix_message_flow_session').on('message').columns(['flow_id', 'session_id']).execute();
  await db.schema.createIndex('ix_message_session').on('message').column('session_id').execute();

  await db.schema
    .createTable('vertex_build')
    .addColumn('build_id', TEXT, (c) => c.primaryKey())
    .addColumn('id', TEXT, (c) => c.notNull())
    .addColumn('flow_id', TEXT, (c) => c.notNull())
    .addColumn('timestamp', TEXT, (c) => c.notNull())
    .addColumn('data', TEXT)
    .addColumn('artifacts', TEXT)
    .addColumn('params', TEXT)
    .addColumn('valid', INT, (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('ix_vertex_build_flow_id').on('vertex_build').column('flow_id').execute();

  await db.schema
    .createTable('transaction')
    .addColumn('id', TEXT, (c) => c.primaryKey())
    .addColumn('timestamp', TEXT, (c) => c.notNull())
    .addColumn('vertex_id', TEXT, (c) => c.notNull())
    .addColumn('target_id', TEXT)
    .addColumn('inputs', TEXT)
    .addColumn('outputs', TEXT)
    .addColumn('status', TEXT, (c) => c.notNull())
    .addColumn('error', TEXT)
    .addColumn('flow_id', TEXT, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ix_transaction_flow_id').on('transaction').column('flow_id').execute();

  await db.schema
    .createTable('file')
    .addColumn('id', TEXT, (c) => c.primaryKey())
    .addColumn('user_id', TEXT, (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('name', TEXT, (c) => c.notNull())
    .addColumn('path', TEXT, (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('provider', TEXT)
    .addColumn('created_at', TEXT, (c) => c.notNull())
    .addColumn('updated_at', TEXT, (c) => c.notNull())
    .addUniqueConstraint('unique_file_name', ['user_id', 'name'])
    .execute();

  await db.schema
    .createTable('revoked_session')
    .addColumn('session_id', TEXT, (c) => c.primaryKey())
    .addColumn('expires_at', TEXT, (c) => c.notNull())
    .execute();
}

/**
 * Per-user settings that are not variables (default/enabled models) and the user's outgoing MCP server
 * configs. Dedicated tables rather than hidden `__name__` variables: those would show up in the
 * variables list and API, could collide with a user's own names, and a Generic variable holding MCP
 * headers would leave secrets in plaintext.
 */
async function addUserPreferencesAndMcpServers(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('user_preference')
    .addColumn('user_id', TEXT, (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('name', TEXT, (c) => c.notNull())
    .addColumn('value', TEXT, (c) => c.notNull())
    .addColumn('updated_at', TEXT, (c) => c.notNull())
    .addPrimaryKeyConstraint('pk_user_preference', ['user_id', 'name'])
    .execute();

  await db.schema
    .createTable('mcp_server')
    .addColumn('id', TEXT, (c) => c.primaryKey())
    .addColumn('user_id', TEXT, (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('name', TEXT, (c) => c.notNull())
    .addColumn('config', TEXT, (c) => c.notNull())
    .addColumn('created_at', TEXT, (c) => c.notNull())
    .addColumn('updated_at', TEXT, (c) => c.notNull())
    .addUniqueConstraint('unique_mcp_server_name', ['user_id', 'name'])
    .execute();
}

/** Pruning keeps the newest builds of each vertex: an index over exactly that order. */
async function indexVertexBuildsByVertex(db: AnyDb): Promise<void> {
  await db.schema.createIndex('ix_vertex_build_vertex_time').on('vertex_build').columns(['flow_id', 'id', 'timestamp']).execute();
  await db.schema.createIndex('ix_vertex_build_time').on('vertex_build').column('timestamp').execute();
}

/**
 * Transactions are listed and pruned per flow, newest first (ties by id): an index in exactly that order. The
 * single-column flow_id indexes of both record tables are prefixes of a compound index now: each was one more
 * index to update on every insert.
 */
async function indexTransactionsByFlowTime(db: AnyDb): Promise<void> {
  await sql`CREATE INDEX ix_transaction_flow_time ON "transaction" (flow_id, timestamp DESC, id)`.execute(db);
  await db.schema.dropIndex('ix_transaction_flow_id').execute();
  await db.schema.dropIndex('ix_vertex_build_flow_id').execute();
}

/**
 * Session revocation: a per-user token version (raised by every password change, carried by every token) and one
 * row per login session holding the id of its one usable refresh token (rotation with reuse detection).
 */
async function addSessionRotation(db: AnyDb): Promise<void> {
  await db.schema.alterTable('user').addColumn('token_version', INT, (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('auth_session')
    .addColumn('session_id', TEXT, (c) => c.primaryKey())
    .addColumn('user_id', TEXT, (c) => c.notNull().references('user.id').onDelete('cascade'))
    .addColumn('refresh_jti', TEXT, (c) => c.notNull())
    .addColumn('expires_at', TEXT, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ix_auth_session_user_id').on('auth_session').column('user_id').execute();
}

/**
 * Run traces (Langflow's traces API): one row per run with its spans as a JSON list, listed per flow newest
 * first and pruned per flow in that order, and filtered by session.
 */
async function addTraces(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('trace')
    .addColumn('id', TEXT, (c) => c.primaryKey())
    .addColumn('flow_id', TEXT, (c) => c.notNull())
    .addColumn('user_id', TEXT)
    .addColumn('session_id', TEXT)
    .addColumn('name', TEXT, (c) => c.notNull())
    .addColumn('status', TEXT, (c) => c.notNull())
    .addColumn('start_time', TEXT, (c) => c.notNull())
    .addColumn('end_time', TEXT)
    .addColumn('total_latency_ms', INT, (c) => c.notNull().defaultTo(0))
    .addColumn('total_tokens', INT, (c) => c.notNull().defaultTo(0))
    .addColumn('input', TEXT)
    .addColumn('output', TEXT)
    .addColumn('spans', TEXT, (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX ix_trace_flow_time ON "trace" (flow_id, start_time DESC, id)`.execute(db);
  await db.schema.createIndex('ix_trace_session_id').on('trace').column('session_id').execute();
}

const migrations: Record<string, Migration> = {
  '0001_initial_schema': { up: createInitialSchema },
  '0002_user_preferences_mcp_servers': { up: addUserPreferencesAndMcpServers },
  '0003_vertex_build_indexes': { up: indexVertexBuildsByVertex },
  '0004_transaction_flow_time_index': { up: indexTransactionsByFlowTime },
  '0005_session_rotation': { up: addSessionRotation },
  '0006_traces': { up: addTraces },
};

/** Migrations compiled into the program, so nothing is read from disk at runtime. */
export const inCodeMigrations: MigrationProvider = {
  getMigrations: async () => migrations,
};
