import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../src/config.js';
import { startHttpServer, type HttpServerHandle } from '../src/http/server.js';
import { SANDBOX_API_KEYS, resolveTenants, sandboxTenants } from '../src/http/tenants.js';
import { silentLogger } from '../src/logger.js';
import { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { SANDBOX_PARTSSOURCE_FIXTURES as PS } from '../src/sandbox/partssource/index.js';
import { MCP_HEADERS, callBody, connectHttp, initializeBody, ok, rawRequest, waitFor, type HttpClient } from './support/http.js';

const ACME_KEY = SANDBOX_API_KEYS.acme;
const GLOBEX_KEY = SANDBOX_API_KEYS.globex;
const auth = (key: string) => ({ ...MCP_HEADERS, authorization: `Bearer ${key}` });

describe('HTTP hardening (in process)', () => {
  let sandbox: Sandbox;
  let server: HttpServerHandle;
  let clock = Date.now();
  const open: HttpClient[] = [];
  const connect = async (key: string) => {
    const c = await connectHttp(server.url, key);
    open.push(c);
    return c;
  };

  beforeAll(async () => {
    sandbox = await startSandbox();
    server = await startHttpServer({
      tenants: sandboxTenants(sandbox, { timeoutMs: 10_000 }),
      log: silentLogger(),
      port: 0,
      maxConcurrency: 2,
      maxBodyBytes: 64 * 1024,
      sessionIdleMs: 60_000,
      now: () => clock,
      allowedHosts: ['mcp.example.com', 'proxy.internal:8443'],
      allowedOrigins: ['https://app.example.com'],
      readinessCacheMs: 0,
    });
  });
  afterEach(() => sandbox.faults.clear());
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close().catch(() => {})));
    await server.close();
    await sandbox.close();
  });

  it('answers 413 to a body over the limit, declared by Content-Length or streamed in chunks', async () => {
    const big = Buffer.alloc(200 * 1024, 'a');
    const declared = await rawRequest(server.url, { method: 'POST', headers: auth(ACME_KEY), body: big });
    expect(declared.status).toBe(413);
    expect(declared.json()).toMatchObject({ jsonrpc: '2.0', error: { message: expect.stringMatching(/too large.*65536/) } });
    const chunks = Array.from({ length: 20 }, () => Buffer.alloc(8 * 1024, 'b'));
    const streamed = await rawRequest(server.url, {
      method: 'POST',
      headers: { ...auth(ACME_KEY), 'transfer-encoding': 'chunked' },
      chunks,
    });
    expect(streamed.status).toBe(413);
    // The server is fine afterwards.
    expect((await rawRequest(`${server.origin}/healthz`)).status).toBe(200);
  });

  it("answers 429 with Retry-After when a tenant exceeds its concurrency; other tenants are not affected", async () => {
    sandbox.faults.add({ api: 'partssource', path: '^/customer/users/lookup$', latencyMs: 1_500, times: 2, headers: { 'x-api-key': SANDBOX_PARTSSOURCE_CREDENTIALS.acme.apiKey } });
    const acme = await connect(ACME_KEY);
    const globex = await connect(GLOBEX_KEY);
    const slow = [acme.call('lookup_user', { userId: 12345 }), acme.call('lookup_user', { userId: 12345 })];
    await waitFor(() => server.stats().tenants.acme === 2, 'two acme calls in flight');

    const refused = await rawRequest(server.url, {
      method: 'POST',
      headers: { ...auth(ACME_KEY), 'mcp-session-id': acme.transport.sessionId! },
      body: callBody('lookup_user', { userId: 12345 }),
    });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000, message: expect.stringMatching(/limit 2.*retry/i) } });
    // Through the SDK client the same refusal surfaces as an HTTP 429 error.
    await expect(acme.client.callTool({ name: 'lookup_user', arguments: { userId: 12345 } })).rejects.toMatchObject({ code: 429 });

    // globex has its own budget.
    expect(ok(await globex.call('lookup_user', { userId: PS.globex.contactId })).user.contactId).toBe(PS.globex.contactId);
    for (const result of await Promise.all(slow)) expect(ok(result).user.contactId).toBe(12345);
    await waitFor(() => server.stats().tenants.acme === 0, 'acme calls finished');
    expect(ok(await acme.call('lookup_user', { userId: 12345 })).user.contactId).toBe(12345);
  });

  it('refuses a DNS-rebinding Host or a foreign Origin with 403 before authentication; allowed names pass', async () => {
    const port = server.port;
    const post = (headers: Record<string, string>) =>
      rawRequest(server.url, { method: 'POST', headers: { ...auth(ACME_KEY), ...headers }, body: initializeBody() });
    for (const host of [`evil.example:${port}`, 'evil.example', `localhost.evil.example:${port}`, `mcp.example.com.evil:${port}`, `proxy.internal:9999`]) {
      const res = await post({ host });
      expect(res.status, host).toBe(403);
      expect(res.json().error.message).toMatch(/Host header/);
    }
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, 'null']) {
      const res = await post({ origin });
      expect(res.status, origin).toBe(403);
      expect(res.json().error.message).toMatch(/Origin/);
    }
    const accepted: Array<Record<string, string>> = [
      { host: `localhost:${port}` },
      { host: `127.0.0.1:${port}` },
      { host: `[::1]:${port}` },
      { host: 'mcp.example.com' },
      { host: 'MCP.example.com:443' },
      { host: 'proxy.internal:8443' },
      { host: `127.0.0.1:${port}`, origin: 'https://app.example.com' },
      { host: `127.0.0.1:${port}`, origin: `http://localhost:5173` },
    ];
    for (const headers of accepted) {
      const res = await post(headers);
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(res.headers['mcp-session-id']).toBeDefined();
      // end the session this opened
      await rawRequest(server.url, { method: 'DELETE', headers: { ...auth(ACME_KEY), 'mcp-session-id': res.headers['mcp-session-id'] as string } });
    }
  });

  it('/healthz answers 200 without a key; /readyz reports each upstream without a secret', async () => {
    const health = await rawRequest(`${server.origin}/healthz`, { headers: { host: 'pod-10-0-0-7:8080' } });
    expect(health.status).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok' });
    const ready = await rawRequest(`${server.origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ready',
      tenants: 2,
      upstreams: {
        partssource: { tenants: 2, reachable: 2, authenticated: 2 },
        augur: { tenants: 2, reachable: 2, authenticated: 2 },
      },
    });
    for (const secret of [
      SANDBOX_PARTSSOURCE_CREDENTIALS.acme.clientSecret,
      SANDBOX_PARTSSOURCE_CREDENTIALS.acme.apiKey,
      SANDBOX_AUGUR_SITES.acme.token,
      ACME_KEY,
      'acme',
    ]) {
      expect(ready.text).not.toContain(secret);
    }
  });

  it('/readyz answers 503 when an upstream is unreachable', async () => {
    const dead = await startSandbox();
    const tenants = sandboxTenants(dead, { timeoutMs: 1_000 });
    await dead.close(); // its port now refuses connections
    const lonely = await startHttpServer({ tenants, log: silentLogger(), port: 0 });
    try {
      const ready = await rawRequest(`${lonely.origin}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.json()).toMatchObject({ status: 'not_ready', upstreams: { partssource: { reachable: 0 }, augur: { reachable: 0 } } });
    } finally {
      await lonely.close();
    }
  });

  it('closes a session after its idle timeout: its id then gets 404', async () => {
    const c = await connect(ACME_KEY);
    const sessionId = c.transport.sessionId!;
    expect(ok(await c.call('lookup_user', { userId: 12345 })).user.contactId).toBe(12345);
    clock += 30_000;
    expect(ok(await c.call('lookup_user', { userId: 12345 })).user.contactId).toBe(12345); // activity resets the timer
    clock += 59_000;
    expect(ok(await c.call('lookup_user', { userId: 12345 })).user.contactId).toBe(12345);
    const sessions = server.stats().sessions;
    clock += 61_000;
    const res = await rawRequest(server.url, {
      method: 'POST',
      headers: { ...auth(ACME_KEY), 'mcp-session-id': sessionId },
      body: callBody('lookup_user', { userId: 12345 }),
    });
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: -32001, message: expect.stringMatching(/Session not found/) } });
    await expect(c.client.callTool({ name: 'lookup_user', arguments: { userId: 12345 } })).rejects.toMatchObject({ code: 404 });
    // every other session was idle as long: all are gone
    expect(server.stats().sessions).toBeLessThan(sessions);
  });
});

describe('tenants from a tenants document (in process)', () => {
  let sandbox: Sandbox;
  let server: HttpServerHandle;
  const NORTH_KEY = 'north-key-0123456789abcdef';
  const SOUTH_KEY = 'south-key-fedcba9876543210';

  beforeAll(async () => {
    sandbox = await startSandbox();
    const acme = SANDBOX_PARTSSOURCE_CREDENTIALS.acme;
    const globex = SANDBOX_PARTSSOURCE_CREDENTIALS.globex;
    const doc = {
      tenants: [
        {
          name: 'north',
          keys: [{ env: 'NORTH_MCP_KEY' }],
          partssource: {
            clientId: acme.clientId,
            clientSecret: { env: 'NORTH_PS_SECRET' },
            apiKey: { env: 'NORTH_PS_API_KEY' },
            baseUrl: sandbox.partssource.baseUrl,
            tokenUrl: sandbox.partssource.tokenUrl,
          },
          augur: { token: { env: 'NORTH_AUGUR_TOKEN' }, siteId: SANDBOX_AUGUR_SITES.acme.siteId, baseUrl: sandbox.augur.baseUrl },
        },
        {
          name: 'south',
          keys: [{ sha256: createHash('sha256').update(SOUTH_KEY).digest('hex') }],
          partssource: { clientId: globex.clientId, clientSecret: globex.clientSecret, apiKey: globex.apiKey },
        },
      ],
    };
    const env = {
      NORTH_MCP_KEY: NORTH_KEY,
      NORTH_PS_SECRET: acme.clientSecret,
      NORTH_PS_API_KEY: acme.apiKey,
      NORTH_AUGUR_TOKEN: SANDBOX_AUGUR_SITES.acme.token,
    };
    const tenants = resolveTenants(doc, env, {
      partssourceBaseUrl: sandbox.partssource.baseUrl,
      partssourceTokenUrl: sandbox.partssource.tokenUrl,
      augurBaseUrl: DEFAULTS.augurBaseUrl,
      timeoutMs: 10_000,
    });
    server = await startHttpServer({ tenants, log: silentLogger(), port: 0 });
  });
  afterAll(async () => {
    await server.close();
    await sandbox.close();
  });

  it('maps each key (env reference or SHA-256 digest) to its tenant and its credentials', async () => {
    const north = await connectHttp(server.url, NORTH_KEY);
    const south = await connectHttp(server.url, SOUTH_KEY);
    try {
      expect(ok(await north.call('lookup_user', { userId: 12345 })).user.contactId).toBe(12345);
      expect(ok(await south.call('lookup_user', { userId: PS.globex.contactId })).user.contactId).toBe(PS.globex.contactId);
      const northTools = (await north.client.listTools()).tools.map((t) => t.name);
      const southTools = (await south.client.listTools()).tools.map((t) => t.name);
      expect(northTools).toContain('list_invoices');
      expect(southTools).not.toContain('list_invoices'); // south has no Augur credentials
      expect(southTools).toContain('lookup_user');
      const denied = await south.call('lookup_user', { userId: 12345 });
      expect(denied.structuredContent.error.code).toBe('forbidden_tenant');
      const keys = sandbox.requests.filter((r) => r.path === '/customer/users/lookup').map((r) => r.headers['x-api-key']);
      expect(keys).toEqual([
        SANDBOX_PARTSSOURCE_CREDENTIALS.acme.apiKey,
        SANDBOX_PARTSSOURCE_CREDENTIALS.globex.apiKey,
        SANDBOX_PARTSSOURCE_CREDENTIALS.globex.apiKey,
      ]);
    } finally {
      await north.close();
      await south.close();
    }
    expect((await rawRequest(server.url, { method: 'POST', headers: auth(GLOBEX_KEY), body: initializeBody() })).status).toBe(401);
  });
});
