import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { cleanEnv } from './support/cli.js';
import { startHostileUpstream, type HostileUpstream } from './support/hostile-upstream.js';
import { holdRequests } from './support/hostile-modes/shutdown.js';
import { MCP_HEADERS, connectHttp, initializeBody, killAllChildren, ok, spawnHttpCli, waitFor } from './support/http.js';

const API_KEY = 'http-shutdown-test-key-0123456789';

/** One request on a connection of its own (no keep-alive pool): what a load balancer's new connection sees. */
function freshRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers ?? {}, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject); // ECONNREFUSED is the bug this test is about
    req.end(init.body);
  });
}

describe('customer-api-mcp --http: SIGTERM grace period', { timeout: 90_000 }, () => {
  let sandbox: Sandbox;
  let hostile: HostileUpstream;

  beforeAll(async () => {
    sandbox = await startSandbox();
    hostile = await startHostileUpstream(sandbox.origin);
  });
  afterAll(async () => {
    killAllChildren();
    await hostile.close();
    await sandbox.close();
  });

  it('answers new requests 503 + Retry-After: 1 (not connection refused) while a call is in flight, then exits 0', async () => {
    const held = holdRequests(/\/users\/lookup/);
    hostile.setModes(held.mode);
    const acme = SANDBOX_PARTSSOURCE_CREDENTIALS.acme;
    const server = await spawnHttpCli(
      ['--port', '0', '--shutdown-grace-ms', '60000'],
      cleanEnv({
        PARTSSOURCE_BASE_URL: `${hostile.origin}/partssource/customer`,
        PARTSSOURCE_TOKEN_URL: `${hostile.origin}/partssource/oauth2/token`,
        PARTSSOURCE_CLIENT_ID: acme.clientId,
        PARTSSOURCE_CLIENT_SECRET: acme.clientSecret,
        PARTSSOURCE_API_KEY: acme.apiKey,
        AUGUR_BASE_URL: `${hostile.origin}/augur`,
        AUGUR_TOKEN: SANDBOX_AUGUR_SITES.acme.token,
        AUGUR_SITE_ID: SANDBOX_AUGUR_SITES.acme.siteId,
        MCP_HTTP_API_KEY: API_KEY,
        LOG_LEVEL: 'info',
      }),
    );
    const origin = server.url.replace(/\/mcp$/, '');
    const client = await connectHttp(server.url, API_KEY);
    try {
      const inFlight = client.call('lookup_user', { userId: 12345 });
      await held.arrived; // the call is now held upstream: in flight for as long as the test wants
      server.child.kill('SIGTERM');
      await waitFor(() => /shutting down/.test(server.stderr()), 'the shutdown log line', 30_000);

      const refused = await freshRequest(server.url, {
        method: 'POST',
        headers: { ...MCP_HEADERS, authorization: `Bearer ${API_KEY}` },
        body: initializeBody(),
      });
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.headers.connection).toBe('close');
      expect(JSON.parse(refused.text)).toMatchObject({ jsonrpc: '2.0', error: { code: -32000, message: expect.stringMatching(/shutting down/) } });

      for (const probe of ['/readyz', '/healthz']) {
        const answer = await freshRequest(`${origin}${probe}`);
        expect(answer.status, probe).toBe(503);
        expect(answer.headers['retry-after'], probe).toBe('1');
        expect(JSON.parse(answer.text), probe).toMatchObject({ status: 'shutting_down' });
      }
      expect(server.child.exitCode).toBeNull(); // still in its grace period

      held.release();
      const result = await inFlight;
      expect(ok(result).user.contactId).toBe(12345);
      expect(await server.exited).toBe(0);
      expect(hostile.requests.filter((r) => r.url.includes('/users/lookup'))).toHaveLength(1);
    } finally {
      held.release();
      await client.close().catch(() => {});
    }
  });
});
