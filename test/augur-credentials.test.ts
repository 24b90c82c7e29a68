import type { UpstreamClients } from '../src/clients/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_AUGUR_SITES, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { SANDBOX_AUGUR_FIXTURES as FIX } from '../src/sandbox/augur/index.js';
import { augurClient, connect as connectServer, failed } from './support/augur.js';

// The Augur client's bearer token and site: another site's token, an expired or malformed one.
const ACME = SANDBOX_AUGUR_SITES.acme!;
// As in the resource files: no result byte cap (test/budget.test.ts covers the cap).
const connect = (clients: UpstreamClients) => connectServer(clients, { maxResultBytes: 0 });
const GLOBEX = SANDBOX_AUGUR_SITES.globex!;

describe('Augur credentials', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

  it("refuses a token of another site with forbidden_tenant and never shows the other site's rows", async () => {
    const h = await connect({ augur: augurClient(sandbox, { siteId: ACME.siteId, token: GLOBEX.token }) });
    try {
      const error = failed(await h.call('get_customer', { customerId: FIX.acme.customerId }), 'forbidden_tenant');
      expect(error.upstreamStatus).toBe(403);
    } finally {
      await h.close();
    }
    // A valid globex client cannot read an acme customer either.
    const g = await connect({ augur: augurClient(sandbox, GLOBEX) });
    try {
      const result = await g.call('get_customer', { customerId: FIX.acme.customerId });
      expect(result.isError).toBe(true);
      expect(['not_found', 'forbidden_tenant']).toContain(result.structuredContent.error.code);
    } finally {
      await g.close();
    }
  });

  it('reports an expired or invalid token as unauthorized with the AUGUR_TOKEN advice', async () => {
    const expired = sandbox.augur.controls.issueToken(ACME.siteId, -60);
    for (const token of [expired, 'not-a-jwt']) {
      const h = await connect({ augur: augurClient(sandbox, { siteId: ACME.siteId, token }) });
      try {
        sandbox.clearRequests();
        const error = failed(await h.call('lookup_customer', { q: 'a' }), 'unauthorized');
        expect(error.upstreamStatus).toBe(401);
        expect(error.message).toContain('AUGUR_TOKEN');
        expect(error.retryable).toBe(false);
        // 401 is terminal: one request, no retry, no refresh.
        expect(sandbox.requests.filter((r) => r.api === 'augur')).toHaveLength(1);
      } finally {
        await h.close();
      }
    }
  });
});
