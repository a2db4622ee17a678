import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/bcrypt';

// Langflow's passlib bcrypt default cost. @node-rs/bcrypt is native and async: hashing runs on libuv's thread
// pool, so a login (≈0.2 s of CPU) never stalls the event loop. It reads Langflow's $2b$ (and bcryptjs') hashes.
const COST = 12;

export function hashPassword(password: string): Promise<string> {
  return hash(password, COST);
}

export async function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  try {
    return await verify(password, passwordHash);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends what checking a real password costs, for a user who does not exist: a login for an unknown name then takes
 * as long as one with a wrong password, so timing does not tell which names exist.
 */
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString('base64url'));
  await verifyPassword(password, await dummyHash);
}
