import { describe, expect, it } from 'vitest';
import { SANDBOX_PARTSSOURCE_CREDENTIALS } from '../src/sandbox/index.js';
import { startHarness } from './support/harness.js';

// The PartsSource client's OAuth2 token: one fetch for many calls, renewal on expiry and on 401, bad credentials.
describe('token handling', () => {
  it('50 concurrent tool calls cause exactly one token request', async () => {
    const h = await startHarness();
    try {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => h.call('search_parts', { keyword: 'probe', limit: 1, offset: i % 5 })),
      );
      expect(results.every((r) => !r.isError)).toBe(true);
      expect(h.tokenRequests()).toHaveLength(1);
      expect(h.apiRequests()).toHaveLength(50);
      expect(new Set(h.apiRequests().map((r) => r.headers.authorization)).size).toBe(1);
    } finally {
      await h.close();
    }
  });

  it('replaces an expired token before using it', async () => {
    const h = await startHarness({ sandbox: { partssource: { tokenLifetimeSeconds: 1 } } });
    try {
      expect((await h.call('lookup_user', { userId: 12345 })).isError).toBeFalsy();
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect((await h.call('lookup_user', { userId: 12345 })).isError).toBeFalsy();
      expect(h.tokenRequests()).toHaveLength(2);
      const [first, second] = h.apiRequests();
      expect(first!.headers.authorization).not.toBe(second!.headers.authorization);
      expect(h.apiRequests().every((r) => r.status === 200)).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('a 401 causes one token refetch and one retry', async () => {
    const h = await startHarness();
    try {
      await h.call('lookup_user', { userId: 12345 });
      h.sandbox.partssource.controls.revokeAllTokens();
      const result = await h.call('lookup_user', { userId: 12345 });
      expect(result.isError).toBeFalsy();
      expect(h.tokenRequests()).toHaveLength(2);
      const api = h.apiRequests();
      expect(api.map((r) => r.status)).toEqual([200, 401, 200]);
      expect(api[1]!.headers.authorization).toBe(api[0]!.headers.authorization);
      expect(api[2]!.headers.authorization).not.toBe(api[1]!.headers.authorization);
    } finally {
      await h.close();
    }
  });

  it('wrong client credentials give an unauthorized result, not a crash', async () => {
    const h = await startHarness();
    const { PartsSourceClient } = await import('../src/clients/partssource.js');
    const bad = new PartsSourceClient({
      baseUrl: h.sandbox.partssource.baseUrl,
      tokenUrl: h.sandbox.partssource.tokenUrl,
      clientId: SANDBOX_PARTSSOURCE_CREDENTIALS.acme.clientId,
      clientSecret: 'wrong-secret',
      apiKey: SANDBOX_PARTSSOURCE_CREDENTIALS.acme.apiKey,
    });
    try {
      await expect(bad.lookupUser({ userId: 12345 }, { correlationId: 'c-1' })).rejects.toMatchObject({
        info: { kind: 'auth', status: 401, correlationId: 'c-1' },
      });
      expect(h.apiRequests()).toHaveLength(0);
    } finally {
      await h.close();
    }
  });
});
