import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { sha256 } from './tenants.js';

export const REALM = 'customer-api-mcp';
export const WWW_AUTHENTICATE = `Bearer realm="${REALM}"`;

/**
 * Maps a presented API key to its tenant. Keys are never kept: only their SHA-256 digests. The presented key is
 * hashed and compared with every digest by `timingSafeEqual` (equal-length digests, no early exit), so neither the
 * comparison nor the loop tells an attacker how close a guess was.
 */
export class KeyRing<T> {
  readonly #entries: Array<{ digest: Buffer; owner: T }> = [];

  add(digest: Buffer, owner: T): void {
    if (digest.length !== 32) throw new Error('a key digest is 32 bytes (SHA-256)');
    this.#entries.push({ digest, owner });
  }

  match(key: string): T | undefined {
    const presented = sha256(key);
    let found: T | undefined;
    for (const entry of this.#entries) {
      if (timingSafeEqual(presented, entry.digest) && found === undefined) found = entry.owner;
    }
    return found;
  }
}

/** The token of `Authorization: Bearer <token>`, or undefined when the header is absent or of another scheme. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}
