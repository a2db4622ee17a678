import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Fixed HKDF info: the same SECRET_KEY must always yield the same encryption key.
const KEY_INFO = 'weft secrets at rest v1';

// Each run builds a variable resolver with its own SecretBox; derive the key once per secret.
const derivedKeys = new Map<string, Buffer>();

function derivedKey(secretKey: string): Buffer {
  let key = derivedKeys.get(secretKey);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), KEY_INFO, 32));
    derivedKeys.set(secretKey, key);
  }
  return key;
}

export class DecryptionError extends Error {
  constructor(message = 'Could not decrypt the value: wrong secret key or corrupted data') {
    super(message);
    this.name = 'DecryptionError';
  }
}

/** Encrypts and decrypts secrets at rest with AES-256-GCM under a key derived from SECRET_KEY. */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    if (!secretKey) throw new Error('A secret key is required to encrypt secrets');
    this.key = derivedKey(secretKey);
  }

  /** `v1.<iv>.<ciphertext>.<tag>`, base64url parts; a fresh IV each time, so equal values encrypt differently. */
  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  decrypt(sealed: string): string {
    const [version, iv, ciphertext, tag, ...rest] = sealed.split('.');
    if (version !== VERSION || rest.length > 0 || iv === undefined || ciphertext === undefined || tag === undefined) {
      throw new DecryptionError('Not a value encrypted by this server');
    }
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new DecryptionError('Not a value encrypted by this server');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, ivBytes);
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new DecryptionError();
    }
  }
}
