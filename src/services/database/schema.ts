import type { Generated } from 'kysely';

/**
 * Row shapes as stored. Portable across SQLite and PostgreSQL: TEXT UUID ids, JSON as TEXT,
 * ISO-8601 UTC timestamps as TEXT, booleans as INTEGER 0/1. Repositories convert.
 */
export type Bit = 0 | 1;

export interface UserTable {
  id: string;
  username: string;
  password: string;
  profile_image: string | null;
  is_active: Bit;
  is_superuser: Bit;
  create_at: string;
  updated_at: string;
  last_login_at: string | null;
  optins: string | null;
  store_api_key: string | null;
  /** Raised by every password change: tokens carrying an older `ver` stop working. */
  token_version: number;
}

export interface ApiKeyTable {
  id: string;
  name: string | null;
  key_hash: string;
  key_prefix: string;
  user_id: string;
  created_at: string;
  last_used_at: string | null;
  total_uses: Generated<number>;
  is_active: Bit;
}

export interface FolderTable {
  id: string;
  name: string;
  description: string | null;
  parent_id: string | null;
  user_id: string | null;
  auth_settings: string | null;
}

export interface FlowTable {
  id: string;
  name: string;
  description: string | null;
  icon: string | null;
  icon_bg_color: string | null;
  gradient: string | null;
  data: string | null;
  is_component: Bit;
  updated_at: string;
  webhook: Bit;
  endpoint_name: string | null;
  tags: string | null;
  locked: Bit;
  mcp_enabled: Bit;
  action_name: string | null;
  action_description: string | null;
  access_type: string;
  user_id: string | null;
  folder_id: string | null;
  fs_path: string | null;
}

export interface VariableTable {
  id: string;
  name: string;
  value: string;
  type: string;
  default_fields: string | null;
  user_id: string;
  created_at: string;
  updated_at: string;
}

export interface MessageTable {
  id: string;
  flow_id: string | null;
  timestamp: string;
  sender: string | null;
  sender_name: string | null;
  session_id: string;
  context_id: string | null;
  text: string;
  files: string;
  error: Bit;
  edit: Bit;
  properties: string;
  category: string;
  content_blocks: string;
}

export interface VertexBuildTable {
  build_id: string;
  id: string;
  flow_id: string;
  timestamp: string;
  data: string | null;
  artifacts: string | null;
  params: string | null;
  valid: Bit;
}

export interface TransactionTable {
  id: string;
  timestamp: string;
  vertex_id: string;
  target_id: string | null;
  inputs: string | null;
  outputs: string | null;
  status: string;
  error: string | null;
  flow_id: string;
}

/** One run's trace (Langflow's `trace`); its spans are stored with it as one JSON list (see docs/traces.md). */
export interface TraceTable {
  id: string;
  flow_id: string;
  user_id: string | null;
  session_id: string | null;
  name: string;
  status: string;
  start_time: string;
  end_time: string | null;
  total_latency_ms: number;
  total_tokens: number;
  input: string | null;
  output: string | null;
  spans: string;
}

export interface FileTable {
  id: string;
  user_id: string;
  name: string;
  path: string;
  // bigint: PostgreSQL returns it as a string.
  size: number | string;
  provider: string | null;
  created_at: string;
  updated_at: string;
}

export interface RevokedSessionTable {
  session_id: string;
  expires_at: string;
}

/** A login session's refresh-token family: only the newest refresh token (`refresh_jti`) may be used. */
export interface AuthSessionTable {
  session_id: string;
  user_id: string;
  refresh_jti: string;
  expires_at: string;
}

export interface UserPreferenceTable {
  user_id: string;
  name: string;
  /** JSON. */
  value: string;
  updated_at: string;
}

export interface McpServerTable {
  id: string;
  user_id: string;
  name: string;
  /** JSON; `env` and `headers` values sealed with the SecretBox. */
  config: string;
  created_at: string;
  updated_at: string;
}

export interface DatabaseSchema {
  user: UserTable;
  apikey: ApiKeyTable;
  folder: FolderTable;
  flow: FlowTable;
  variable: VariableTable;
  message: MessageTable;
  vertex_build: VertexBuildTable;
  transaction: TransactionTable;
  trace: TraceTable;
  file: FileTable;
  revoked_session: RevokedSessionTable;
  auth_session: AuthSessionTable;
  user_preference: UserPreferenceTable;
  mcp_server: McpServerTable;
}
