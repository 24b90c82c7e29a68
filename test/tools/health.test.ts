import type { UpstreamClients } from '../../src/clients/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AugurClient } from '../../src/clients/augur.js';
import { SANDBOX_AUGUR_SITES, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { sandboxClients } from '../support/custom.js';
import { augurClient, connect as connectServer, ok } from '../support/augur.js';
import type { Structured } from '../support/harness.js';

// check_health (src/tools/health.ts) over the SDK Client against the sandbox.
const ACME = SANDBOX_AUGUR_SITES.acme!;
// As in the resource files: no result byte cap (test/budget.test.ts covers the cap).
const connect = (clients: UpstreamClients) => connectServer(clients, { maxResultBytes: 0 });


describe('check_health', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

  it('reports both upstreams reachable and authenticated, with correlation ids', async () => {
    const h = await connect({ augur: augurClient(sandbox, ACME), partssource: sandboxClients(sandbox).partssource });
    try {
      const result = ok(await h.call('check_health'));
      const byName = Object.fromEntries(result.upstreams.map((u: Structured) => [u.name, u]));
      expect(Object.keys(byName).sort()).toEqual(['augur', 'partssource']);
      for (const upstream of result.upstreams) {
        expect(upstream).toMatchObject({ reachable: true, authenticated: true });
        expect(typeof upstream.latencyMs).toBe('number');
        expect(upstream.correlationId.length).toBeGreaterThan(0);
        expect(upstream).not.toHaveProperty('message');
      }
      const augur = sandbox.requests.filter((r) => r.api === 'augur');
      expect(augur.map((r) => r.path)).toEqual(['/health-check', '/whoami']);
      expect(augur[0]!.headers).not.toHaveProperty('authorization');
      expect(augur[0]!.headers['x-site-id']).toBe(ACME.siteId);
      expect(augur[1]!.headers.authorization).toBe(`Bearer ${ACME.token}`);
      expect(sandbox.requests.some((r) => r.api === 'partssource' && r.path === '/oauth2/token')).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('reports a rejected token and an unreachable upstream without failing', async () => {
    const down = new AugurClient({ baseUrl: 'http://127.0.0.1:9/augur', siteId: ACME.siteId, token: ACME.token, timeoutMs: 2_000 });
    const h = await connect({ augur: augurClient(sandbox, { siteId: ACME.siteId, token: 'not-a-jwt' }) });
    const d = await connect({ augur: down });
    try {
      const rejected = ok(await h.call('check_health')).upstreams[0];
      expect(rejected).toMatchObject({ name: 'augur', reachable: true, authenticated: false });
      expect(rejected.message).toContain('AUGUR_TOKEN');
      const unreachable = ok(await d.call('check_health')).upstreams[0];
      expect(unreachable).toMatchObject({ name: 'augur', reachable: false, authenticated: false });
      expect(unreachable.message).toBeTruthy();
    } finally {
      await h.close();
      await d.close();
    }
  });
});
