import { createHash, randomBytes } from 'node:crypto';

/**
 * Keys anyone would guess first, and the demo keys printed in the README and the sandbox: a tenants file that
 * lists the digest of one of them would open a tenant to whoever tries it, so the server refuses it at start.
 * A digest hides the key, so short keys can only be caught this way, by name.
 */
const WEAK_KEYS = [
  'test', 'testing', 'test123', 'password', 'password1', 'passw0rd', 'secret', 'changeme', 'change-me', 'changeit',
  'key', 'apikey', 'api-key', 'api_key', 'mykey', 'admin', 'administrator', 'root', 'token', 'default', 'example',
  'demo', 'guest', 'letmein', 'welcome', 'qwerty', 'abc123', 'foo', 'bar', 'foobar', 'hello', 'x', 'a',
  '0', '1', '12', '123', '1234', '12345', '123456', '1234567', '12345678', '123456789', '1234567890', '0000', '000000',
  'sandbox-acme', 'sandbox-globex', 'your-key', 'your-api-key', 'your-mcp-key',
];

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const WEAK_DIGESTS = new Set(WEAK_KEYS.flatMap((key) => [key, key.toUpperCase()]).map(sha256Hex));

/** Whether a hex SHA-256 digest is that of a well-known weak key. */
export const isWeakKeyDigest = (hex: string): boolean => WEAK_DIGESTS.has(hex.toLowerCase());

/** A new random API key (32 random bytes, base64url: 43 characters) and the hex SHA-256 the tenants file holds. */
export function newApiKey(): { key: string; sha256: string } {
  const key = randomBytes(32).toString('base64url');
  return { key, sha256: sha256Hex(key) };
}
