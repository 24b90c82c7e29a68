import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, it } from 'vitest';
import { PartsSourceClient } from '../src/clients/partssource.js';
import { SANDBOX_PARTSSOURCE_CREDENTIALS } from '../src/sandbox/index.js';
import { createMcpServer } from '../src/server.js';
import { startHarness } from './support/harness.js';
import { captureLogs } from './support/logs.js';

describe('secrets stay secret', () => {
  it('no client secret, API key or access token appears in any log line, error or result', async () => {
    const { lines, log } = captureLogs();
    const h = await startHarness({ log });
    const seen: string[] = [];
    const record = (value: unknown) => seen.push(JSON.stringify(value));
    const acme = SANDBOX_PARTSSOURCE_CREDENTIALS.acme;
    const wrongSecret = 'wrong-secret-7d1f2c9b';
    try {
      const user = await h.call('lookup_user', { userId: 12345 });
      record(user);
      record(await h.call('search_parts', { keyword: 'probe', limit: 2 }));
      record(await h.call('get_order', { orderId: 99_999_999 })); // 404
      record(await h.call('lookup_user', { userId: 22222_222 }));
      record(await h.call('lookup_user', { username: '' })); // invalid argument
      record(await h.call('search_orders', { q: 'nonsense~~' })); // 400 from upstream
      h.sandbox.partssource.controls.revokeAllTokens();
      record(await h.call('lookup_user', { userId: 12345 })); // 401 → refetch → retry

      // A server whose client secret is wrong: the token endpoint refuses.
      const badClient = new PartsSourceClient({
        baseUrl: h.sandbox.partssource.baseUrl,
        tokenUrl: h.sandbox.partssource.tokenUrl,
        clientId: acme.clientId,
        clientSecret: wrongSecret,
        apiKey: acme.apiKey,
      });
      const server = createMcpServer({ clients: { partssource: badClient }, log });
      const client = new Client({ name: 't', version: '1' });
      const [a, b] = InMemoryTransport.createLinkedPair();
      await Promise.all([server.connect(b), client.connect(a)]);
      const refused = await client.callTool({ name: 'lookup_user', arguments: { userId: 12345 } });
      expect(refused.isError).toBe(true);
      expect((refused.structuredContent as { error: { code: string } }).error.code).toBe('unauthorized');
      record(refused);
      try {
        await badClient.lookupUser({ userId: 12345 }, { correlationId: 'x' });
      } catch (error) {
        record({ message: (error as Error).message, stack: (error as Error).stack, info: (error as { info: unknown }).info });
      }
      await client.close();

      const tokens = h.sandbox.requests
        .map((r) => r.headers.authorization?.replace(/^Bearer /, ''))
        .filter((t): t is string => Boolean(t));
      expect(tokens.length).toBeGreaterThan(0);
      const secrets = [acme.clientSecret, acme.apiKey, wrongSecret, ...new Set(tokens)];
      expect(lines.length).toBeGreaterThan(5);
      const haystack = [...lines, ...seen].join('\n');
      for (const secret of secrets) expect(haystack, `secret leaked: ${secret.slice(0, 6)}…`).not.toContain(secret);
    } finally {
      await h.close();
    }
  });
});
