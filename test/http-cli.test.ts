import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { cleanEnv, runCli, sandboxLiveVariables } from './support/cli.js';
import { walkSearchToOrder } from './support/harness.js';
import { connectHttp, killAllChildren, ok, rawRequest, spawnHttpCli, waitFor, type HttpClient } from './support/http.js';

const API_KEY = 'http-cli-test-key-0123456789';

/** The environment of a live-mode server pointed at one shared sandbox with tenant acme's demo credentials. */
function liveEnv(sandbox: Sandbox, extra: Record<string, string> = {}): Record<string, string> {
  return cleanEnv({
    ...sandboxLiveVariables(sandbox),
    MCP_HTTP_API_KEY: API_KEY,
    LOG_LEVEL: 'info',
    ...extra,
  });
}

describe('customer-api-mcp --http: configuration refusals (exit 2)', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-tenants-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to bind 0.0.0.0 without a tenants file or MCP_HTTP_API_KEY', async () => {
    const result = await runCli(['--http', '--host', '0.0.0.0', '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refusing to listen on 0\.0\.0\.0.*--tenants FILE or MCP_HTTP_API_KEY/);
    const viaEnv = await runCli(['--http', '--port', '0'], cleanEnv({ MCP_HTTP_HOST: '::' }));
    expect(viaEnv.code).toBe(2);
    expect(viaEnv.stderr).toContain('refusing to listen on ::');
  });

  it('refuses real credentials without an API key, a short key, and HTTP flags without --http', async () => {
    const live = cleanEnv({ PARTSSOURCE_CLIENT_ID: 'id', PARTSSOURCE_CLIENT_SECRET: 'S3cret-never-printed', PARTSSOURCE_API_KEY: 'k' });
    const noKey = await runCli(['--http', '--port', '0'], live);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('MCP_HTTP_API_KEY');
    expect(noKey.stderr).not.toContain('S3cret-never-printed');
    const short = await runCli(['--http', '--port', '0'], cleanEnv({ MCP_HTTP_API_KEY: 'short' }));
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('MCP_HTTP_API_KEY must be at least 16 characters');
    expect(short.stderr).not.toContain('short"');
    const orphan = await runCli(['--stateless']);
    expect(orphan.code).toBe(2);
    expect(orphan.stderr).toContain('--stateless needs --http');
    const badPort = await runCli(['--http', '--port', 'eighty']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port must be an integer');
  });

  it('validates the tenants file with zod and names the bad field', async () => {
    const write = (name: string, body: unknown) => {
      const path = join(dir, name);
      writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
      return path;
    };
    const tenant = {
      name: 'acme',
      keys: [{ sha256: 'a'.repeat(64) }],
      partssource: { clientId: 'id', clientSecret: { env: 'ACME_SECRET' }, apiKey: 'k' },
    };
    const cases: Array<[string, unknown, RegExp]> = [
      ['bad-digest.json', { tenants: [{ ...tenant, keys: [{ sha256: 'xyz' }] }] }, /tenants\[0\]\.keys\[0\]\.sha256: must be the 64 hex digits/],
      ['unknown-field.json', { tenants: [{ ...tenant, colour: 'red' }] }, /tenants\[0\].*colour/],
      ['no-upstream.json', { tenants: [{ name: 'acme', keys: tenant.keys }] }, /tenants\[0\]: a tenant needs "partssource" and\/or "augur"/],
      ['bad-url.json', { tenants: [{ ...tenant, partssource: { ...tenant.partssource, baseUrl: 'ftp://x' } }] }, /tenants\[0\]\.partssource\.baseUrl: must be an http\(s\) URL/],
      ['bad-secret.json', { tenants: [{ ...tenant, partssource: { ...tenant.partssource, apiKey: 42 } }] }, /tenants\[0\]\.partssource\.apiKey: must be a non-empty string or \{"env"/],
      ['missing-env.json', { tenants: [tenant] }, /tenants\[0\]\.partssource\.clientSecret refers to ACME_SECRET, which is not set/],
      ['duplicate.json', { tenants: [tenant, { ...tenant }] }, /tenants\[1\]\.name: duplicate tenant name "acme"/],
      ['not-json.json', '{ tenants: ', /not valid JSON/],
    ];
    for (const [name, body, message] of cases) {
      const result = await runCli(['--http', '--port', '0', '--tenants', write(name, body)]);
      expect(result.code, name).toBe(2);
      expect(result.stderr, name).toMatch(message);
    }
    const missing = await runCli(['--http', '--port', '0'], cleanEnv({ MCP_TENANTS_FILE: join(dir, 'absent.json') }));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read the tenants file');
    const both = await runCli(['--http', '--sandbox', '--tenants', write('ok.json', { tenants: [tenant] })]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('with --sandbox every tenant uses the embedded sandbox'); // see test/http-sandbox-tenants.test.ts
  });
});

describe('customer-api-mcp --http: server processes', { timeout: 60_000 }, () => {
  let sandbox: Sandbox;
  const clients: HttpClient[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => {})));
    killAllChildren();
    sandbox.faults.clear();
  });
  afterAll(async () => {
    killAllChildren();
    await sandbox.close();
  });

  it('sandbox mode by default: sandbox-acme and sandbox-globex open the two sandbox tenants', async () => {
    const server = await spawnHttpCli(['--port', '0'], cleanEnv());
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const acme = await connectHttp(server.url, 'sandbox-acme');
    const globex = await connectHttp(server.url, 'sandbox-globex');
    clients.push(acme, globex);
    expect(ok(await acme.call('lookup_user', { userId: 12345 })).user.contactId).toBe(12345);
    expect(ok(await globex.call('lookup_user', { userId: 22222 })).user.contactId).toBe(22222);
    expect((await globex.call('lookup_user', { userId: 12345 })).structuredContent.error.code).toBe('forbidden_tenant');
    const ready = await rawRequest(server.url.replace(/\/mcp$/, '/readyz'));
    expect(ready.status).toBe(200);
    expect(server.stderr()).toContain('sandbox-acme');
  });

  it('two --stateless processes on one upstream answer alternate requests of one client (round-robin)', async () => {
    const env = liveEnv(sandbox);
    const [a, b] = await Promise.all([spawnHttpCli(['--stateless', '--port', '0'], env), spawnHttpCli(['--stateless', '--port', '0'], env)]);
    expect(a.stderr()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\/mcp \(stateless, 1 tenant\)/);
    const targets = [new URL(a.url), new URL(b.url)];
    const routed: Array<{ port: string; method: string; body: string }> = [];
    let next = 0;
    // A real round-robin balancer in the client: each HTTP request goes to the next process.
    const roundRobin: typeof fetch = async (input, init) => {
      const target = targets[next++ % 2]!;
      const url = new URL(input instanceof Request ? input.url : String(input));
      url.host = target.host;
      routed.push({ port: target.port, method: init?.method ?? 'GET', body: typeof init?.body === 'string' ? init.body : '' });
      return fetch(url, init);
    };
    const c = await connectHttp(a.url, API_KEY, { fetch: roundRobin });
    clients.push(c);
    expect(c.transport.sessionId).toBeUndefined();

    const { created, fetched } = await walkSearchToOrder(async (name, args) => ok(await c.call(name, args)), {
      shippingMethod: 'GROUND',
      poNumber: 'PO-ROUND-ROBIN',
      searchLimit: 5,
    });
    expect(fetched.order).toMatchObject({ orderId: created.order.orderId, poNumber: 'PO-ROUND-ROBIN' });

    const toolCalls = routed.filter((r) => r.body.includes('"tools/call"'));
    expect(toolCalls).toHaveLength(5);
    const portOf = (tool: string) => toolCalls.find((r) => r.body.includes(`"name":"${tool}"`))!.port;
    expect(portOf('create_order')).not.toBe(portOf('get_order'));
    expect(new Set(toolCalls.map((r) => r.port))).toEqual(new Set([targets[0]!.port, targets[1]!.port]));
    expect(sandbox.requests.filter((r) => r.method === 'POST' && r.path === '/customer/orders')).toHaveLength(1);

    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
  });

  it('SIGTERM during an in-flight call lets it finish, then exits 0', async () => {
    sandbox.clearRequests();
    sandbox.faults.add({ api: 'partssource', path: '^/customer/users/lookup$', latencyMs: 2_500 });
    const server = await spawnHttpCli(['--port', '0'], liveEnv(sandbox));
    const c = await connectHttp(server.url, API_KEY);
    clients.push(c);
    const inFlight = c.call('lookup_user', { userId: 12345 });
    // The call has reached the upstream (its token was fetched first; the lookup itself is delayed 2.5 s).
    await waitFor(() => sandbox.requests.some((r) => r.path === '/oauth2/token'), 'the token request of the in-flight call');
    server.child.kill('SIGTERM');
    const result = await inFlight;
    expect(ok(result).user.contactId).toBe(12345);
    expect(await server.exited).toBe(0);
    expect(server.stderr()).toMatch(/"inFlight":1,.*shutting down/); // the SIGTERM came while the call was in flight
    expect(sandbox.requests.some((r) => r.path === '/customer/users/lookup' && r.status === 200)).toBe(true);
  });
});
