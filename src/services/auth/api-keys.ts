import { createHash, randomBytes } from 'node:crypto';
import type { Repositories, UserRecord } from '../database/index.js';
import type { ApiKeyRecord } from '../database/repos/api-keys.js';

const PREFIX_LENGTH = 8;

/** Langflow's format: `sk-` + urlsafe base64 of 32 random bytes. */
export function generateApiKey(): string {
  return `sk-${randomBytes(32).toString('base64url')}`;
}

/** Keys are 256-bit random, so a fast hash is enough; only the hash is stored. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Langflow's listing mask: the first 8 characters, the rest as `*`. */
export function maskApiKey(prefix: string, length: number): string {
  return prefix + '*'.repeat(Math.max(0, length - prefix.length));
}

/** The stored key length is not kept; Langflow's keys are always this long. */
export const API_KEY_LENGTH = generateApiKey().length;

export interface ApiKeyRead {
  id: string;
  name: string | null;
  api_key: string;
  user_id: string;
  created_at: string;
  last_used_at: string | null;
  total_uses: number;
  is_active: boolean;
}

export function toApiKeyRead(record: ApiKeyRecord, plaintext?: string): ApiKeyRead {
  return {
    id: record.id,
    name: record.name,
    api_key: plaintext ?? maskApiKey(record.key_prefix, API_KEY_LENGTH),
    user_id: record.user_id,
    created_at: record.created_at,
    last_used_at: record.last_used_at,
    total_uses: record.total_uses,
    is_active: record.is_active,
  };
}

/** Creates a key for the user; the plaintext is in the result and nowhere else, ever. */
export async function createApiKey(repos: Pick<Repositories, 'apiKeys'>, userId: string, name: string | null): Promise<ApiKeyRead> {
  const key = generateApiKey();
  const record = await repos.apiKeys.create({ userId, name, keyHash: hashApiKey(key), keyPrefix: key.slice(0, PREFIX_LENGTH) });
  return toApiKeyRead(record, key);
}

export async function listApiKeys(repos: Pick<Repositories, 'apiKeys'>, userId: string): Promise<ApiKeyRead[]> {
  return (await repos.apiKeys.listForUser(userId)).map((record) => toApiKeyRead(record));
}

/** The owner of an active presented key, counting the use; undefined if the key is unknown or inactive. */
export async function ownerOfApiKey(repos: Pick<Repositories, 'apiKeys'>, key: string): Promise<UserRecord | undefined> {
  const found = await repos.apiKeys.findActiveOwnerByHash(hashApiKey(key));
  if (found) await repos.apiKeys.recordUse(found.keyId);
  return found?.owner;
}
