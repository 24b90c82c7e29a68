import { newApiKey } from '../http/weak-keys.js';

/**
 * `new-key`: a random key for a client and its digest for the tenants file, so that nobody types a weak key.
 * Shell-friendly: `KEY=` and `SHA256=` lines (e.g. `customer-api-mcp new-key | sed -n 's/^KEY=//p'`).
 */
export function printNewKey(): number {
  const { key, sha256 } = newApiKey();
  process.stdout.write(
    [
      '# A new API key (32 random bytes, base64url). The client sends it as "Authorization: Bearer <KEY>"; keep it',
      '# secret. The tenants file needs only its SHA-256, e.g.',
      `#   "keys": [{ "sha256": "${sha256}" }]`,
      '# or the key itself in an environment variable: "keys": [{ "env": "ACME_MCP_KEY" }].',
      `KEY=${key}`,
      `SHA256=${sha256}`,
      '',
    ].join('\n'),
  );
  return 0;
}
