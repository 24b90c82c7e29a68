import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption of state at rest (AES-256-GCM). The key comes from HKDF-SHA256 over STATE_ENCRYPTION_KEY when set,
 * else over the tenant's own credential secret, with the purpose as HKDF info: nobody who can read the store but
 * lacks the secret can read a token, and a tenant's key opens nothing of another tenant's.
 */
export class Sealer {
  readonly #secret: string;
  readonly #purpose: string;
  #derived: Buffer | undefined;

  constructor(secret: string, purpose: string) {
    this.#secret = secret;
    this.#purpose = purpose;
  }

  /** Derived on first use: every tenant builds a Sealer at start, and most never seal (1,000 tenants: ~60 ms). */
  get #key(): Buffer {
    return (this.#derived ??= deriveKey(this.#secret, this.#purpose));
  }

  /** `aad` binds the ciphertext to where it is stored (its key name), so it cannot be moved elsewhere. */
  seal(plaintext: string, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(aad));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** The plaintext, or undefined when it was sealed with another key, for another place, or tampered with. */
  open(sealed: string, aad: string): string | undefined {
    if (!sealed.startsWith('v1.')) return undefined;
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    if (raw.length < 28) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(aad));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}

/** Derives a key for a purpose (e.g. confirmation tokens) from the same inputs, for HMACs shared by a fleet. */
export function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'customer-api-mcp/state', purpose, 32));
}
