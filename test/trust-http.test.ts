import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpServerHandle, type HttpServerOptions } from '../src/http/server.js';
import { SANDBOX_API_KEYS, sandboxTenants } from '../src/http/tenants.js';
import { silentLogger } from '../src/logger.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { RedisStore } from '../src/state/redis.js';
import { cleanEnv } from './support/cli.js';
import type { Structured } from './support/harness.js';
import { slowRequests, type InFlightGauge } from './support/hostile-modes/http-limits.js';
import { startHostileUpstream, type HostileUpstream } from './support/hostile-upstream.js';
import { MCP_HEADERS, killAllChildren, rawRequest, spawnHttpCli, waitFor, type RawResponse } from './support/http.js';
import { disposeRedis, startRedis, type RedisServer } from './support/redis.js';
import { describeWithRedis } from './support/redis-suite.js';
import { captureLogs } from './support/logs.js';

/**
 * Issue 14 item 7: HTTP limits count every message. Every tools/call member of a JSON-RPC batch takes a slot of
 * --max-concurrency and a point of --rate-limit (measured at a slow upstream); batches are refused under protocol
 * 2025-06-18 and later; sessions are capped per tenant and in all; failed authentication is logged (sampled, never
 * the key) and a client that keeps failing gets 429.
 */

const ACME = SANDBOX_API_KEYS.acme;
const GLOBEX = SANDBOX_API_KEYS.globex;
const OLD = '2025-03-26';
const auth = (key: string) => ({ ...MCP_HEADERS, authorization: `Bearer ${key}` });
const LOOKUP = /\/users\/lookup/;

const initialize = (version: string, id: number | string = 0) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
const lookup = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'lookup_user', arguments: { userId: 12345 } } });
const batchOf = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => lookup(i + 1)));

/** The JSON-RPC messages of an SSE (or plain JSON) answer. */
function messages(res: RawResponse): Structured[] {
  if (!String(res.headers['content-type']).includes('text/event-stream')) {
    const body = res.json();
    return Array.isArray(body) ? body : [body];
  }
  return res.text
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line.length > 6)
    .map((line) => JSON.parse(line.slice(6)) as Structured);
}

/** Opens a stateful session with the given protocol version (raw HTTP); returns its id. */
async function openSession(url: string, key: string, version: string): Promise<string> {
  const res = await rawRequest(url, { method: 'POST', headers: auth(key), body: JSON.stringify(initialize(version)) });
  expect(res.status, res.text).toBe(200);
  const id = res.headers['mcp-session-id'] as string;
  const done = await rawRequest(url, {
    method: 'POST',
    headers: { ...auth(key), 'mcp-session-id': id, 'mcp-protocol-version': version },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  expect(done.status).toBe(202);
  return id;
}

/** A GET (SSE) stream held open until close(). */
function openStream(url: string, headers: Record<string, string>): Promise<{ status: number; close(): void }> {
  return new Promise((resolve, reject) => {
    const req: ClientRequest = httpRequest(url, { method: 'GET', headers: { ...headers, accept: 'text/event-stream' } }, (res) => {
      res.on('data', () => {});
      res.on('error', () => {});
      resolve({ status: res.statusCode ?? 0, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Tenants of the sandbox, reached through the hostile upstream. */
function tenantsBehind(sandbox: Sandbox, hostile: HostileUpstream) {
  return sandboxTenants(
    {
      partssource: { ...sandbox.partssource, baseUrl: `${hostile.origin}/partssource/customer`, tokenUrl: `${hostile.origin}/partssource/oauth2/token` },
      augur: { ...sandbox.augur, baseUrl: `${hostile.origin}/augur` },
    },
    { timeoutMs: 20_000 },
  );
}

/** Splits a batch answer into results and errors, checking each of the n ids is answered once. */
function answers(res: RawResponse, n: number) {
  const all = messages(res);
  expect(all.map((m) => m.id).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  return { results: all.filter((m) => m.result), errors: all.filter((m) => m.error) };
}

describe('JSON-RPC batches against the limits (in process, slow upstream)', { timeout: 60_000 }, () => {
  let sandbox: Sandbox;
  let hostile: HostileUpstream;
  let gauge: InFlightGauge;
  let server: HttpServerHandle;
  const MAX = 4;

  beforeAll(async () => {
    sandbox = await startSandbox();
    hostile = await startHostileUpstream(sandbox.origin);
    const slow = slowRequests(LOOKUP, 1_000);
    gauge = slow.gauge;
    hostile.setModes(slow.mode);
    server = await startHttpServer({ tenants: tenantsBehind(sandbox, hostile), log: silentLogger(), port: 0, maxConcurrency: MAX, readinessCacheMs: 0 });
  });
  afterAll(async () => {
    await server.close();
    await hostile.close();
    await sandbox.close();
  });
  afterEach(() => {
    gauge.max = 0;
    gauge.total = 0;
  });

  it(`a 100-call batch (protocol ${OLD}) has at most --max-concurrency calls at the upstream; the others are refused one by one`, async () => {
    const session = await openSession(server.url, ACME, OLD);
    const res = await rawRequest(server.url, {
      method: 'POST',
      headers: { ...auth(ACME), 'mcp-session-id': session, 'mcp-protocol-version': OLD },
      body: batchOf(100),
    });
    expect(res.status).toBe(200);
    const { results, errors } = answers(res, 100);
    expect(results).toHaveLength(MAX);
    for (const r of results) expect(r.result.structuredContent.user.contactId).toBe(12345);
    expect(errors).toHaveLength(100 - MAX);
    for (const e of errors) {
      expect(e.error).toMatchObject({ code: -32000, message: expect.stringMatching(/Too many concurrent requests for this tenant \(limit 4\); retry/), data: { retryAfterSeconds: 1 } });
    }
    // Measured at the upstream: never more than the limit at once, and the refused members never ran.
    expect(gauge.max).toBeLessThanOrEqual(MAX);
    expect(gauge.total).toBe(MAX);
    await waitFor(() => server.stats().tenants.acme === 0, 'every slot released');
  });

  it('in stateless mode the same batch is held to the same limit', async () => {
    const stateless = await startHttpServer({ tenants: tenantsBehind(sandbox, hostile), log: silentLogger(), port: 0, maxConcurrency: MAX, stateless: true });
    try {
      const res = await rawRequest(stateless.url, { method: 'POST', headers: auth(GLOBEX), body: batchOf(100) });
      expect(res.status).toBe(200);
      const { results, errors } = answers(res, 100);
      expect(results).toHaveLength(MAX);
      expect(errors).toHaveLength(100 - MAX);
      expect(gauge.max).toBeLessThanOrEqual(MAX);
      expect(gauge.total).toBe(MAX);
    } finally {
      await stateless.close();
    }
  });

  it('every member of a batch takes a point of --rate-limit', async () => {
    const limited = await startHttpServer({ tenants: sandboxTenants(sandbox), log: silentLogger(), port: 0, maxConcurrency: 64, rateLimitPerMinute: 5, stateless: true });
    try {
      const res = await rawRequest(limited.url, { method: 'POST', headers: auth(ACME), body: batchOf(10) });
      expect(res.status).toBe(200);
      const { results, errors } = answers(res, 10);
      expect(results).toHaveLength(5);
      expect(errors).toHaveLength(5);
      for (const e of errors) {
        expect(e.error.message).toMatch(/Too many requests for this tenant; retry after \d+ s/);
        expect(e.error.data.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      }
      // The budget is spent: the next POST is refused as a whole.
      const next = await rawRequest(limited.url, { method: 'POST', headers: auth(ACME), body: JSON.stringify(lookup(1)) });
      expect(next.status).toBe(429);
      expect(Number(next.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.close();
    }
  });

  it('a batch is refused (400, -32600) where the protocol version is 2025-06-18 or later; nothing runs', async () => {
    const refusedBatch = async (headers: Record<string, string>, body = batchOf(3)) => {
      const res = await rawRequest(server.url, { method: 'POST', headers: { ...auth(ACME), ...headers }, body });
      expect(res.status, res.text).toBe(400);
      expect(res.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32600, message: expect.stringMatching(/batches are not part of MCP protocol version 2025-(06-18|11-25)/) } });
    };
    const s0618 = await openSession(server.url, ACME, '2025-06-18');
    await refusedBatch({ 'mcp-session-id': s0618, 'mcp-protocol-version': '2025-06-18' });
    // The session's negotiated version decides when the header is absent.
    const s1125 = await openSession(server.url, ACME, '2025-11-25');
    await refusedBatch({ 'mcp-session-id': s1125 });
    // A header naming another version than the session's is refused before the batch is looked at (a mismatch).
    const sOld = await openSession(server.url, ACME, OLD);
    const mismatch = await rawRequest(server.url, {
      method: 'POST',
      headers: { ...auth(ACME), 'mcp-session-id': sOld, 'mcp-protocol-version': '2025-11-25' },
      body: batchOf(3),
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json().error.message).toMatch(/does not match the version this session negotiated/);
    // An initialize batch asking for 2025-06-18 is refused too.
    await refusedBatch({}, JSON.stringify([initialize('2025-06-18', 1)]));
    expect(gauge.total).toBe(0);
    // A single message is fine under every version.
    const single = await rawRequest(server.url, {
      method: 'POST',
      headers: { ...auth(ACME), 'mcp-session-id': s1125, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify(lookup(1)),
    });
    expect(single.status).toBe(200);
    expect(messages(single)[0]!.result.structuredContent.user.contactId).toBe(12345);
  });
});

describe('session cap (in process)', { timeout: 60_000 }, () => {
  let sandbox: Sandbox;
  let server: HttpServerHandle;
  let clock = 1_000_000;
  const streams: Array<{ close(): void }> = [];

  beforeAll(async () => {
    sandbox = await startSandbox();
    server = await startHttpServer({
      tenants: sandboxTenants(sandbox),
      log: silentLogger(),
      port: 0,
      maxSessions: 5,
      maxSessionsPerTenant: 3,
      now: () => clock,
    });
  });
  afterAll(async () => {
    streams.forEach((s) => s.close());
    await server.close();
    await sandbox.close();
  });

  const post = (key: string, session: string, body = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' })) =>
    rawRequest(server.url, { method: 'POST', headers: { ...auth(key), 'mcp-session-id': session, 'mcp-protocol-version': OLD }, body });
  const init = () => JSON.stringify(initialize(OLD));
  const open = async (key: string) => {
    clock += 1_000; // distinct lastSeen: "oldest" is well defined
    return openSession(server.url, key, OLD);
  };
  const hold = async (key: string, session: string) => {
    const stream = await openStream(server.url, { authorization: `Bearer ${key}`, 'mcp-session-id': session, 'mcp-protocol-version': OLD });
    expect(stream.status).toBe(200);
    streams.push(stream);
  };

  it("a tenant's new session closes its oldest idle one; where all are busy (GET streams open) it gets 429 + Retry-After", async () => {
    const a = [await open(ACME), await open(ACME), await open(ACME)];
    expect(server.stats().sessionsByTenant.acme).toBe(3);
    const a4 = await open(ACME);
    expect(server.stats().sessionsByTenant.acme).toBe(3);
    expect((await post(ACME, a[0]!)).status).toBe(404); // the oldest idle one was closed
    expect((await post(ACME, a[1]!)).status).toBe(200);

    for (const id of [a[1]!, a[2]!, a4]) await hold(ACME, id);
    await waitFor(() => server.stats().streams.acme === 3, 'three acme GET streams counted');
    const refused = await rawRequest(server.url, { method: 'POST', headers: auth(ACME), body: init() });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json()).toMatchObject({ error: { code: -32000, message: expect.stringMatching(/Too many sessions for this tenant \(limit 3/) } });
    expect(server.stats().sessionsByTenant.acme).toBe(3);
  });

  it("at the server's cap the oldest idle session of any tenant is closed; where none is idle, 503 + Retry-After", async () => {
    const g = [await open(GLOBEX), await open(GLOBEX)];
    expect(server.stats().sessions).toBe(5);
    const g3 = await open(GLOBEX); // server full: globex's own oldest idle session makes room (acme's are busy)
    expect(server.stats().sessions).toBe(5);
    expect((await post(GLOBEX, g[0]!)).status).toBe(404);
    await hold(GLOBEX, g[1]!);
    await hold(GLOBEX, g3);
    await waitFor(() => server.stats().streams.globex === 2, 'globex GET streams counted');
    const refused = await rawRequest(server.url, { method: 'POST', headers: auth(GLOBEX), body: init() });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json().error.message).toMatch(/session limit \(5, all busy\)/);
    // A second GET stream on a session is refused by the SDK (one per session), so streams are capped by sessions.
    const second = await openStream(server.url, { authorization: `Bearer ${GLOBEX}`, 'mcp-session-id': g3, 'mcp-protocol-version': OLD });
    second.close();
    expect(second.status).toBe(409);
    // Closing a stream makes its session idle again: the next initialize takes its place.
    streams.splice(0).forEach((s) => s.close());
    await waitFor(() => server.stats().streams.globex === 0 && server.stats().streams.acme === 0, 'streams closed');
    const next = await rawRequest(server.url, { method: 'POST', headers: auth(GLOBEX), body: init() });
    expect(next.status).toBe(200);
    expect(server.stats().sessions).toBe(5);
  });
});

describe('failed authentication (in process)', { timeout: 60_000 }, () => {
  it('is logged at warn once per client per window, never with the key; the 5th failure in a window gets 429', async () => {
    const sandbox = await startSandbox();
    const { lines, log } = captureLogs('debug');
    let clock = 5_000_000;
    const server = await startHttpServer({ tenants: sandboxTenants(sandbox), log, port: 0, authFailureLimit: 5, now: () => clock });
    try {
      const bad = 'not-a-key-but-a-guess-0123456789';
      const digest = createHash('sha256').update(bad).digest('hex');
      const attempt = (key?: string) =>
        rawRequest(server.url, { method: 'POST', headers: key ? auth(key) : MCP_HEADERS, body: JSON.stringify(initialize(OLD)) });
      expect((await attempt()).status).toBe(401);
      for (let i = 0; i < 3; i++) expect((await attempt(bad)).status).toBe(401);
      const fifth = await attempt(bad);
      expect(fifth.status).toBe(429);
      const retryAfter = Number(fifth.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(fifth.json().error.message).toMatch(/Too many failed authentications/);
      // A valid key from the same client is never slowed.
      expect((await attempt(ACME)).status).toBe(200);

      const warns = lines.map((l) => JSON.parse(l) as Structured).filter((l) => l.level === 40);
      expect(warns.filter((l) => l.msg === 'authentication failed')).toHaveLength(1);
      expect(warns.filter((l) => l.msg === 'authentication failed')[0]).toMatchObject({ client: '127.0.0.1', reason: 'missing' });
      expect(warns.filter((l) => /repeated authentication failures/.test(l.msg))).toHaveLength(1);
      for (const line of lines) {
        expect(line).not.toContain(bad);
        expect(line).not.toContain(digest.slice(0, 8));
      }

      // A new window: 401 again, and the warn line carries the previous window's count.
      clock += 61_000;
      expect((await attempt(bad)).status).toBe(401);
      const again = lines.map((l) => JSON.parse(l) as Structured).filter((l) => l.msg === 'authentication failed');
      expect(again).toHaveLength(2);
      expect(again[1]).toMatchObject({ reason: 'invalid', failuresPreviousWindow: 5 });
      expect(server.stats().authFailureClients).toBe(1);
    } finally {
      await server.close();
      await sandbox.close();
    }
  });
});

/** VmRSS of a process in MB (Linux). */
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

describe('session cap of the CLI under a flood of initializations', { timeout: 180_000 }, () => {
  afterAll(() => killAllChildren());

  // bench/session-flood.mjs runs the same with 20,000 attempts (figures in docs/RELIABILITY.md).
  it('1,000 initializations from one key: the cap holds (100 sessions) and memory stays bounded', async () => {
    const server = await spawnHttpCli(['--sandbox', '--port', '0'], { ...cleanEnv(), LOG_LEVEL: 'warn' });
    const origin = server.url.replace(/\/mcp$/, '');
    const pid = server.child.pid!;
    const before = rssMb(pid);
    const { Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const body = JSON.stringify(initialize(OLD));
    let opened = 0;
    let next = 0;
    const worker = async () => {
      while (next < 1_000) {
        next++;
        const status = await new Promise<number>((resolve, reject) => {
          const req = httpRequest(server.url, { method: 'POST', agent, headers: auth(ACME) }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', reject);
          req.end(body);
        });
        if (status === 200) opened++;
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    agent.destroy();
    const after = rssMb(pid);
    const ready = await rawRequest(`${origin}/readyz`);
    expect(ready.json().sessions).toEqual({ open: 100, max: 1000 });
    expect(opened).toBe(1_000); // every initialize succeeded: each took the place of the oldest idle session
    process.stderr.write(`session flood (1,000 inits): RSS ${before.toFixed(0)} MB → ${after.toFixed(0)} MB\n`);
    expect(after).toBeLessThan(300);
    server.kill();
  });
});

describeWithRedis('batches on a Redis fleet', { timeout: 90_000 }, () => {
  let redis: RedisServer;
  let sandbox: Sandbox;
  let hostile: HostileUpstream;
  let gauge: InFlightGauge;
  const servers: HttpServerHandle[] = [];
  const stores: RedisStore[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    sandbox = await startSandbox();
    hostile = await startHostileUpstream(sandbox.origin);
    const slow = slowRequests(LOOKUP, 1_500);
    gauge = slow.gauge;
    hostile.setModes(slow.mode);
    for (let i = 0; i < 2; i++) {
      const store = await RedisStore.start({ url: redis.url, log: silentLogger(), commandTimeoutMs: 5_000 });
      stores.push(store);
      const options: HttpServerOptions = { tenants: tenantsBehind(sandbox, hostile), log: silentLogger(), port: 0, maxConcurrency: 4, stateless: true, store };
      servers.push(await startHttpServer(options));
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await Promise.all(stores.map((s) => s.close()));
    await hostile.close();
    await sandbox.close();
    await disposeRedis(redis);
  });

  it('two instances each given a 100-call batch at once: at most --max-concurrency calls at the upstream for the fleet', async () => {
    const replies = await Promise.all(servers.map((s) => rawRequest(s.url, { method: 'POST', headers: auth(ACME), body: batchOf(100) })));
    let ran = 0;
    let refused = 0;
    for (const res of replies) {
      if (res.status === 429) {
        refused += 100; // the POST's first slot was taken by the other instance: the whole batch is refused
        continue;
      }
      expect(res.status).toBe(200);
      const { results, errors } = answers(res, 100);
      ran += results.length;
      refused += errors.length;
    }
    expect(gauge.max).toBeLessThanOrEqual(4);
    expect(ran).toBe(gauge.total);
    expect(ran).toBeGreaterThanOrEqual(1);
    expect(ran).toBeLessThanOrEqual(4);
    expect(ran + refused).toBe(200);
  });
});
