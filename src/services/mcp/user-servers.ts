import { randomUUID } from 'node:crypto';
import { ConflictError } from '../../engine/errors.js';
import { SecretBox } from '../crypto.js';
import { nowIso } from '../database/codec.js';
import { mapUniqueViolation, UniqueViolationError } from '../database/errors.js';
import type { Db } from '../database/repos/types.js';

/** A server config as the UI sends it (Claude-desktop style): `{command, args, env}` or `{url, headers}`. */
export type McpServerDocument = Record<string, unknown>;

/** The fields that may hold secrets: sealed together with the SecretBox, never stored in plaintext. */
const SECRET_FIELDS = ['env', 'headers'] as const;

interface StoredConfig {
  config: McpServerDocument;
  /** `SecretBox` ciphertext of `{env?, headers?}`. */
  secrets?: string;
}

/** Langflow's text; a conflict (409) where Langflow answers 500. */
export class McpServerExistsError extends ConflictError {
  constructor() {
    super('Server already exists.');
  }
}

/**
 * The user's outgoing MCP servers (`/api/v2/mcp/servers`, the MCP Tools component). Langflow keeps them
 * in a per-user JSON file; here they are rows of `mcp_server`, one per (user, name), listed in creation order.
 */
export class McpServerStore {
  private readonly box: SecretBox;

  constructor(
    private readonly db: Db,
    secretKey: string,
  ) {
    this.box = new SecretBox(secretKey);
  }

  private seal(document: McpServerDocument): string {
    const config: McpServerDocument = { ...document };
    const secrets: Record<string, unknown> = {};
    for (const field of SECRET_FIELDS) {
      if (field in config) {
        secrets[field] = config[field];
        delete config[field];
      }
    }
    const stored: StoredConfig = { config };
    if (Object.keys(secrets).length > 0) stored.secrets = this.box.encrypt(JSON.stringify(secrets));
    return JSON.stringify(stored);
  }

  private open(text: string): McpServerDocument {
    const stored = JSON.parse(text) as StoredConfig;
    const secrets = stored.secrets ? (JSON.parse(this.box.decrypt(stored.secrets)) as Record<string, unknown>) : {};
    return { ...stored.config, ...secrets };
  }

  async names(userId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('mcp_server').select('name').where('user_id', '=', userId).orderBy('created_at').orderBy('name').execute();
    return rows.map((r) => r.name);
  }

  async list(userId: string): Promise<{ name: string; config: McpServerDocument }[]> {
    const rows = await this.db.selectFrom('mcp_server').select(['name', 'config']).where('user_id', '=', userId).orderBy('created_at').orderBy('name').execute();
    return rows.map((r) => ({ name: r.name, config: this.open(r.config) }));
  }

  async get(userId: string, name: string): Promise<McpServerDocument | undefined> {
    const row = await this.db.selectFrom('mcp_server').select('config').where('user_id', '=', userId).where('name', '=', name).executeTakeFirst();
    return row ? this.open(row.config) : undefined;
  }

  /** Adds a server; `McpServerExistsError` when the user already has one by that name. */
  async add(userId: string, name: string, document: McpServerDocument): Promise<McpServerDocument> {
    if (await this.get(userId, name)) throw new McpServerExistsError();
    const now = nowIso();
    try {
      await mapUniqueViolation(() =>
        this.db.insertInto('mcp_server').values({ id: randomUUID(), user_id: userId, name, config: this.seal(document), created_at: now, updated_at: now }).execute(),
      );
    } catch (error) {
      if (error instanceof UniqueViolationError) throw new McpServerExistsError();
      throw error;
    }
    return document;
  }

  /** Replaces a server's config, creating it when missing (Langflow's PATCH). */
  async put(userId: string, name: string, document: McpServerDocument): Promise<McpServerDocument> {
    const now = nowIso();
    const config = this.seal(document);
    await this.db
      .insertInto('mcp_server')
      .values({ id: randomUUID(), user_id: userId, name, config, created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['user_id', 'name']).doUpdateSet({ config, updated_at: now }))
      .execute();
    return document;
  }

  /** False when there was no such server. */
  async delete(userId: string, name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('mcp_server').where('user_id', '=', userId).where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
