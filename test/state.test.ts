import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PartsSourceClient } from '../src/clients/partssource.js';
import { loadStateConfig } from '../src/config.js';
import { FleetConcurrencyLimit } from '../src/http/limits.js';
import { startHttpServer, type HttpServerHandle } from '../src/http/server.js';
import { SANDBOX_API_KEYS, sandboxTenants } from '../src/http/tenants.js';
import { createLogger, silentLogger } from '../src/logger.js';
import { SANDBOX_PARTSSOURCE_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { Sealer } from '../src/state/crypto.js';
import { MemoryStore } from '../src/state/memory.js';
import { RedisStore } from '../src/state/redis.js';
import { stateKey, StoreUnavailableError, type StateStore } from '../src/state/store.js';
import { confirmationSecretFor, type TenantState } from '../src/state/tenant.js';
import { connectCustom, orderArgs, type Custom } from './support/custom.js';
import { MCP_HEADERS, callBody, rawRequest } from './support/http.js';
import type { Structured } from './support/harness.js';
import { disposeRedis, startRedis, type RedisServer } from './support/redis.js';
import { describeWithRedis } from './support/redis-suite.js';

/**
 * The state seam against a real redis-server (Debian's, on a random loopback port, no persistence): the store
 * contract on both stores, and the fleet guarantees with two clients in this process, each on its own Redis
 * connection, over one real sandbox.
 */

const acme = SANDBOX_PARTSSOURCE_CREDENTIALS.acme;
const clientFor = (sandbox: Sandbox, state: TenantState) =>
  new PartsSourceClient(
    { baseUrl: sandbox.partssource.baseUrl, tokenUrl: sandbox.partssource.tokenUrl, clientId: acme.clientId, clientSecret: acme.clientSecret, apiKey: acme.apiKey, timeoutMs: 5_000 },
    state,
  );
const ctx = () => ({ correlationId: randomUUID() });
const tokenRequests = (sandbox: Sandbox) => sandbox.requests.filter((r) => r.api === 'partssource' && r.path === '/oauth2/token');
const orderPosts = (sandbox: Sandbox) => sandbox.requests.filter((r) => r.api === 'partssource' && r.method === 'POST' && r.path === '/customer/orders');

describeWithRedis('state seam on a real Redis', { timeout: 60_000 }, () => {
  let redis: RedisServer;
  let sandbox: Sandbox;
  let raw: ReturnType<typeof createClient>;
  const stores: StateStore[] = [];
  const logLines: string[] = [];
  const log = createLogger('warn', { write: (line: string) => void logLines.push(line) });
  const openRedis = async (commandTimeoutMs?: number, slowBackoffMs?: number, settleMs?: number) => {
    const store = await RedisStore.start({
      url: redis.url,
      log,
      ...(commandTimeoutMs ? { commandTimeoutMs } : {}),
      ...(slowBackoffMs ? { slowBackoffMs } : {}),
      ...(settleMs ? { settleMs } : {}),
    });
    stores.push(store);
    return store;
  };
  /** A tenant namespace per test, so tests never see each other's keys. */
  const tenant = () => `t${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    redis = await startRedis();
    sandbox = await startSandbox();
    raw = createClient({ url: redis.url });
    raw.on('error', () => {});
    await raw.connect();
  });
  afterEach(() => sandbox.faults.clear());
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await raw?.close().catch(() => {});
    await sandbox?.close();
    await disposeRedis(redis);
  });

  for (const kind of ['memory', 'redis'] as const) {
    it(`${kind} store: TTL on every key, set-if-absent, delete-if-equals, leased slots`, async () => {
      const store = kind === 'memory' ? new MemoryStore() : await openRedis();
      const t = tenant();
      const key = stateKey(t, 'probe');
      expect(key).toBe(`customer-api-mcp:t:${t}:probe`);
      expect(await store.get(key)).toBeUndefined();
      await store.set(key, 'a', 200);
      expect(await store.get(key)).toBe('a');
      expect(await store.setIfAbsent(key, 'b', 1_000)).toBe(false);
      expect(await store.deleteIfEquals(key, 'b')).toBe(false);
      expect(await store.deleteIfEquals(key, 'a')).toBe(true);
      expect(await store.setIfAbsent(key, 'c', 150)).toBe(true);
      await new Promise((r) => setTimeout(r, 250));
      expect(await store.get(key)).toBeUndefined(); // expired

      const slots = stateKey(t, 'slots');
      expect(await store.acquireSlot(slots, 'x', 2, 300)).toBe(true);
      expect(await store.acquireSlot(slots, 'y', 2, 10_000)).toBe(true);
      expect(await store.acquireSlot(slots, 'z', 2, 10_000)).toBe(false);
      await store.releaseSlot(slots, 'y');
      expect(await store.acquireSlot(slots, 'z', 2, 10_000)).toBe(true);
      expect(await store.acquireSlot(slots, 'w', 2, 10_000)).toBe(false);
      await new Promise((r) => setTimeout(r, 350)); // x's lease ended: its holder "died"
      expect(await store.acquireSlot(slots, 'w', 2, 10_000)).toBe(true);
      if (kind === 'redis') {
        expect(await raw.pTTL(slots)).toBeGreaterThan(0);
        expect(store.status()).toBe('ok');
      }
    });
  }

  it('two clients, each on its own Redis connection: 50 concurrent first calls → exactly 1 token request', async () => {
    const t = tenant();
    const [a, b] = await Promise.all([openRedis(), openRedis()]);
    const clientA = clientFor(sandbox, { store: a, tenant: t, log });
    const clientB = clientFor(sandbox, { store: b, tenant: t, log });
    const before = tokenRequests(sandbox).length;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? clientA : clientB).lookupUser({ userId: 12345 }, ctx())),
    );
    expect(results.every((r) => r.data.contactId === 12345)).toBe(true);
    expect(tokenRequests(sandbox).length - before).toBe(1);
    expect(clientA.tokenRequestCount + clientB.tokenRequestCount).toBe(1);
    // The token is in Redis, sealed: neither the token nor the client secret is readable there.
    const sealed = await raw.get(stateKey(t, 'token', 'partssource'));
    const token = /^Bearer (\S+)$/.exec(sandbox.requests.at(-1)!.headers.authorization ?? '')![1]!;
    expect(sealed).toMatch(/^v1\./);
    for (const secret of [token, acme.clientSecret, acme.apiKey]) {
      for (const spelling of [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url'), Buffer.from(secret).toString('hex')]) {
        expect(sealed).not.toContain(spelling);
      }
    }
    const ttl = await raw.pTTL(stateKey(t, 'token', 'partssource'));
    expect(ttl).toBeGreaterThan(0);
    // Sealed for this key and credential: opening it with the key derived from another secret fails.
    expect(new Sealer('another-secret', `token:${t}`).open(sealed!, `${stateKey(t, 'token', 'partssource')}\n`)).toBeUndefined();
  });

  it('a busy process is not a slow Redis: an event loop blocked past the store timeout still gets the answer, and Redis stays in use', async () => {
    const store = await openRedis(300);
    const key = stateKey(tenant(), 'busy');
    await store.set(key, 'kept', 60_000);
    logLines.length = 0;
    const answer = store.get(key);
    // This process's own work holds the event loop past the 300 ms timeout, as a CPU-starved machine does.
    const until = Date.now() + 800;
    while (Date.now() < until);
    expect(await answer).toBe('kept');
    expect(store.status()).toBe('ok');
    expect(logLines.filter((line) => line.includes('redis: slow to answer'))).toEqual([]);
  });

  it('Redis slow (DEBUG SLEEP) when two instances need their first token: each fetches its own, once, and every read answers', async () => {
    const t = tenant();
    const [a, b] = await Promise.all([openRedis(300), openRedis(300)]);
    const clientA = clientFor(sandbox, { store: a, tenant: t, log });
    const clientB = clientFor(sandbox, { store: b, tenant: t, log });
    const blocker = await redis.connect();
    const sleeping = blocker.sendCommand(['DEBUG', 'SLEEP', '2']);
    try {
      await new Promise((r) => setTimeout(r, 50));
      const before = tokenRequests(sandbox).length;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? clientA : clientB).lookupUser({ userId: 12345 }, ctx())),
      );
      expect(results.every((r) => r.data.contactId === 12345)).toBe(true);
      // The degraded mode, on purpose: without the shared lock each instance's own single flight still holds.
      expect(tokenRequests(sandbox).length - before).toBe(2);
      expect([clientA.tokenRequestCount, clientB.tokenRequestCount]).toEqual([1, 1]);
      expect([a.status(), b.status()]).toEqual(['unavailable', 'unavailable']);
    } finally {
      await sleeping;
      blocker.close();
    }
  });

  it('a lock holder that died (never releases) → the others proceed when its lease ends, with one token request', async () => {
    const t = tenant();
    const store = await openRedis();
    // A "dead" instance took the lock with a 700 ms lease and never came back.
    await raw.set(`${stateKey(t, 'token', 'partssource')}:lock`, 'dead-holder', { PX: 700 });
    const client = clientFor(sandbox, { store, tenant: t, log, tokenLeaseMs: 700 });
    const before = tokenRequests(sandbox).length;
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 5 }, () => client.lookupUser({ userId: 12345 }, ctx())));
    const elapsed = Date.now() - started;
    expect(results).toHaveLength(5);
    expect(elapsed).toBeGreaterThanOrEqual(600);
    expect(elapsed).toBeLessThan(5_000);
    expect(tokenRequests(sandbox).length - before).toBe(1);
  });

  it('the same idempotencyKey on two instances at once → one upstream POST, the same orderId', async () => {
    const t = tenant();
    const [a, b] = await Promise.all([openRedis(), openRedis()]);
    const serverA = await connectCustom({ clients: { partssource: clientFor(sandbox, { store: a, tenant: t, log }) }, state: { store: a, tenant: t } });
    const serverB = await connectCustom({ clients: { partssource: clientFor(sandbox, { store: b, tenant: t, log }) }, state: { store: b, tenant: t } });
    try {
      const args = { ...(await orderArgs(serverA)), poNumber: 'PO-STATE-SAME-KEY', idempotencyKey: randomUUID() };
      const before = orderPosts(sandbox).length;
      const [x, y] = await Promise.all([serverA.call('create_order', args), serverB.call('create_order', args)]);
      expect(x.isError, JSON.stringify(x.structuredContent)).toBeFalsy();
      expect(y.isError, JSON.stringify(y.structuredContent)).toBeFalsy();
      expect(y.structuredContent.order.orderId).toBe(x.structuredContent.order.orderId);
      expect([x.structuredContent.replayed, y.structuredContent.replayed].sort()).toEqual([false, true]);
      expect(orderPosts(sandbox).length - before).toBe(1);
      // Other arguments under that key: refused on either instance, before any request.
      const other = await serverB.call('create_order', { ...args, poNumber: 'PO-OTHER' });
      expect(other.structuredContent.error.code).toBe('conflict');
      expect(orderPosts(sandbox).length - before).toBe(1);
      // The record expires (24 h) and its key names no secret.
      const keys = await raw.keys(`customer-api-mcp:t:${t}:idempotency:*`);
      expect(keys).toHaveLength(1);
      expect(keys[0]).not.toContain(args.idempotencyKey);
      const ttl = await raw.pTTL(keys[0]!);
      expect(ttl).toBeGreaterThan(23 * 3_600_000);
    } finally {
      await serverA.close();
      await serverB.close();
    }
  });

  it('confirmation tokens: minted on one instance, accepted on another, once; a Redis that restarted empty cannot make a used one good again', async () => {
    const t = tenant();
    const [a, b] = await Promise.all([openRedis(undefined, undefined, 300), openRedis(undefined, undefined, 300)]);
    const servers: Custom[] = [];
    for (const store of [a, b]) {
      const state = { store, tenant: t };
      servers.push(
        await connectCustom({
          clients: { partssource: clientFor(sandbox, { ...state, log }) },
          confirmWrites: 'always',
          state,
          confirmationSecret: confirmationSecretFor(state, acme.clientSecret),
        }),
      );
    }
    try {
      const args = { ...(await orderArgs(servers[0]!)), poNumber: 'PO-STATE-CONFIRM' };
      const before = orderPosts(sandbox).length;
      const preview = await servers[0]!.call('create_order', args);
      expect(preview.structuredContent.confirmationRequired).toBe(true);
      const done = await servers[1]!.call('create_order', { ...args, confirmationToken: preview.structuredContent.confirmationToken });
      expect(done.isError, JSON.stringify(done.structuredContent)).toBeFalsy();
      for (const s of servers) {
        const again = await s.call('create_order', { ...args, confirmationToken: preview.structuredContent.confirmationToken });
        expect(again.structuredContent.error.code).toBe('confirmation_invalid');
      }
      expect(orderPosts(sandbox).length - before).toBe(1);

      // Redis restarts empty: the record of that use is gone, so tokens minted before the reconnect are refused.
      await redis.stop({ hard: true });
      await redis.restart();
      const deadline = Date.now() + 10_000;
      while ((a.status() !== 'ok' || b.status() !== 'ok') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect([a.status(), b.status()]).toEqual(['ok', 'ok']);
      for (const s of servers) {
        const replay = await s.call('create_order', { ...args, confirmationToken: preview.structuredContent.confirmationToken });
        expect(replay.structuredContent.error.code).toBe('confirmation_expired');
        expect(replay.structuredContent.error.message).toMatch(/new preview/);
      }
      expect(orderPosts(sandbox).length - before).toBe(1);
      // A preview minted after the reconnect is good, once (orders wait for the stores to settle first).
      await new Promise((r) => setTimeout(r, Math.max(a.settlingMs(), b.settlingMs()) + 20));
      // (Other arguments: the same ones again would be refused as possible_duplicate, the put-back record says so.)
      const otherArgs = { ...args, poNumber: 'PO-STATE-CONFIRM-2' };
      const fresh = await servers[0]!.call('create_order', otherArgs);
      const second = await servers[1]!.call('create_order', { ...otherArgs, confirmationToken: fresh.structuredContent.confirmationToken });
      expect(second.isError, JSON.stringify(second.structuredContent)).toBeFalsy();
      expect(orderPosts(sandbox).length - before).toBe(2);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  it('fleet concurrency limit: two instances share one budget; a slot of a dead instance frees itself', async () => {
    const t = tenant();
    const [a, b] = await Promise.all([openRedis(), openRedis()]);
    const key = stateKey(t, 'limit', 'concurrency');
    const onA = new FleetConcurrencyLimit(2, a, key, silentLogger(), 400);
    const onB = new FleetConcurrencyLimit(2, b, key, silentLogger(), 400);
    const first = await onA.tryAcquire();
    const second = await onB.tryAcquire();
    expect(first).toBeTypeOf('function');
    expect(second).toBeTypeOf('function');
    expect(await onA.tryAcquire()).toBeUndefined();
    expect(await onB.tryAcquire()).toBeUndefined();
    await second!();
    const third = await onA.tryAcquire();
    expect(third).toBeTypeOf('function');
    // While A lives, the slots it holds are renewed: well past the 400 ms lease, B still finds none free.
    await new Promise((r) => setTimeout(r, 700));
    expect(await onB.tryAcquire()).toBeUndefined();
    // Instance A "dies" holding two slots (connection gone, no more renewals): after the lease B can take them.
    await a.close();
    await new Promise((r) => setTimeout(r, 450));
    expect(await onB.tryAcquire()).toBeTypeOf('function');
  });

  it('a slow Redis (DEBUG SLEEP): one call waits out the store timeout, the next skip Redis for the backoff (rate limit counted locally), then a probe finds it back', async () => {
    const store = await openRedis(300, 1_000);
    const limit = await store.rateLimiter({ points: 3, durationSeconds: 60 });
    const key = `${tenant()}:rate:http`;
    expect(await limit.consume(key)).toBeUndefined(); // counted in Redis
    const blocker = await redis.connect();
    logLines.length = 0;
    const sleeping = blocker.sendCommand(['DEBUG', 'SLEEP', '1.5']);
    await new Promise((r) => setTimeout(r, 50));
    const answers: Array<number | undefined> = [];
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      answers.push(await limit.consume(key));
      waits.push(Date.now() - started);
    }
    // Local budget of 3 while Redis is skipped: the first answer waited for the timeout, the rest did not.
    expect(answers.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(answers[3]).toBeGreaterThanOrEqual(1);
    expect(waits.filter((ms) => ms >= 250)).toHaveLength(1);
    expect(store.status()).toBe('unavailable');
    expect(logLines.filter((line) => line.includes('redis: slow to answer'))).toHaveLength(1);
    await sleeping;
    blocker.close();
    await new Promise((r) => setTimeout(r, 1_000)); // the backoff ends
    expect(store.status()).toBe('ok');
    // Back on Redis, its count decides again: 1 before the stall, plus the consume that timed out (Redis ran it
    // after waking: a late request is counted, never lost), so one more is allowed, then refused.
    expect(await limit.consume(key)).toBeUndefined();
    expect(await limit.consume(key)).toBeGreaterThanOrEqual(1);
  });

  it('per-tenant rate limit over HTTP, fleet-wide on Redis: 3 per minute across two servers → the 4th gets 429 with Retry-After; /readyz reports the store', async () => {
    const [a, b] = await Promise.all([openRedis(), openRedis()]);
    // A fresh namespace: tenant names are fixed (acme), so clear acme's rate key first.
    await raw.del('customer-api-mcp:t:acme:rate:http');
    const servers: HttpServerHandle[] = [];
    for (const store of [a, b]) {
      servers.push(await startHttpServer({ tenants: sandboxTenants(sandbox), log: silentLogger(), port: 0, stateless: true, store, rateLimitPerMinute: 3 }));
    }
    try {
      const headers = { ...MCP_HEADERS, 'mcp-protocol-version': '2025-06-18', authorization: `Bearer ${SANDBOX_API_KEYS.acme}` };
      const statuses: number[] = [];
      let refused;
      for (let i = 0; i < 4; i++) {
        const answer = await rawRequest(servers[i % 2]!.url, { method: 'POST', headers, body: callBody('lookup_user', { userId: 12345 }, i + 1) });
        statuses.push(answer.status);
        if (answer.status === 429) refused = answer;
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(Number(refused!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(await raw.pTTL('customer-api-mcp:t:acme:rate:http')).toBeGreaterThan(0);
      // globex has its own budget.
      const globex = await rawRequest(servers[0]!.url, { method: 'POST', headers: { ...headers, authorization: `Bearer ${SANDBOX_API_KEYS.globex}` }, body: callBody('lookup_user', { userId: 22222 }, 9) });
      expect(globex.status).toBe(200);
      const ready = (await rawRequest(servers[0]!.origin + '/readyz')).json();
      expect(ready.store).toEqual({ kind: 'redis', status: 'ok' });
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  it('Redis killed: reads still answer on local state (with a warning), create_order is state_unavailable with nothing sent, then it reconnects', async () => {
    const t = tenant();
    const store = await openRedis(300, undefined, 600);
    const state = { store, tenant: t, log };
    const server = await connectCustom({ clients: { partssource: clientFor(sandbox, state) }, state });
    try {
      const args = { ...(await orderArgs(server)), poNumber: 'PO-STATE-DOWN', idempotencyKey: randomUUID() };
      logLines.length = 0;
      await redis.stop({ hard: true });
      await new Promise((r) => setTimeout(r, 100));
      expect(store.status()).toBe('unavailable');
      await expect(store.get(stateKey(t, 'x'))).rejects.toBeInstanceOf(StoreUnavailableError);

      // Reads: the cached token; and after a 401 drops it, a token of this instance's own.
      const started = Date.now();
      const read = await server.call('lookup_user', { userId: 12345 });
      expect(read.structuredContent.user.contactId).toBe(12345);
      sandbox.faults.add({ api: 'partssource', path: '^/customer/users/lookup$', status: 401, times: 1 });
      const tokensBefore = tokenRequests(sandbox).length;
      const afterRefresh = await server.call('lookup_user', { userId: 12345 });
      expect(afterRefresh.structuredContent.user.contactId).toBe(12345);
      expect(tokenRequests(sandbox).length - tokensBefore).toBe(1);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(logLines.some((l) => /"level":40/.test(l) && /state store unavailable|redis/i.test(l))).toBe(true);

      // The order: refused with state_unavailable (retryable) and a correlationId; nothing sent.
      const postsBefore = orderPosts(sandbox).length;
      const refused = await server.call('create_order', args);
      expect(refused.isError).toBe(true);
      expect(refused.structuredContent.error).toMatchObject({ code: 'state_unavailable', retryable: true });
      expect(refused.structuredContent.idempotencyKey).toBe(args.idempotencyKey);
      expect(typeof refused.structuredContent.correlationId).toBe('string');
      expect(orderPosts(sandbox).length).toBe(postsBefore);

      // Redis back: the client reconnects by itself. Right after, orders still wait a moment (other instances may
      // be putting back what a restarted Redis lost), then the same call places the order once.
      await redis.restart();
      const deadline = Date.now() + 10_000;
      while (store.status() !== 'ok' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(store.status()).toBe('ok');
      const settling = await server.call('create_order', args);
      expect(settling.structuredContent.error).toMatchObject({ code: 'state_unavailable', retryable: true, retryAfterSeconds: 1 });
      expect(orderPosts(sandbox).length).toBe(postsBefore);
      await new Promise((r) => setTimeout(r, store.settlingMs() + 20));
      const placed = await server.call('create_order', args);
      expect(placed.isError, JSON.stringify(placed.structuredContent)).toBeFalsy();
      expect((placed.structuredContent as Structured).order.orderId).toBeGreaterThan(0);
      expect(orderPosts(sandbox).length - postsBefore).toBe(1);
    } finally {
      await server.close();
    }
  });
});

describe('state seam without Redis', () => {
  it('the memory store is the default: /readyz says so, and --rate-limit applies per tenant (429 + Retry-After)', async () => {
    const sandbox = await startSandbox();
    const server = await startHttpServer({ tenants: sandboxTenants(sandbox), log: silentLogger(), port: 0, stateless: true, rateLimitPerMinute: 2 });
    try {
      const headers = { ...MCP_HEADERS, 'mcp-protocol-version': '2025-06-18', authorization: `Bearer ${SANDBOX_API_KEYS.acme}` };
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await rawRequest(server.url, { method: 'POST', headers, body: callBody('lookup_user', { userId: 12345 }, i + 1) })).status);
      expect(statuses).toEqual([200, 200, 429]);
      const ready = (await rawRequest(`${server.origin}/readyz`)).json();
      expect(ready.store).toEqual({ kind: 'memory', status: 'ok' });
    } finally {
      await server.close();
      await sandbox.close();
    }
  });

  it('configuration: REDIS_URL / --redis-url must be redis(s)://, never echoed; STATE_ENCRYPTION_KEY at least 32 characters', () => {
    expect(loadStateConfig({})).toEqual({});
    expect(loadStateConfig({ REDIS_URL: 'redis://:pw@127.0.0.1:6379/0' })).toEqual({ redisUrl: 'redis://:pw@127.0.0.1:6379/0' });
    expect(loadStateConfig({ REDIS_URL: 'redis://a' }, { redisUrl: 'rediss://b:6380' }).redisUrl).toBe('rediss://b:6380');
    expect(() => loadStateConfig({ REDIS_URL: 'http://user:hunter2@host' })).toThrow(/^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL$/);
    expect(() => loadStateConfig({}, { redisUrl: 'nonsense-hunter2' })).toThrow(/^--redis-url must be/);
    expect(() => loadStateConfig({ STATE_ENCRYPTION_KEY: 'short-hunter2' })).toThrow(/^STATE_ENCRYPTION_KEY must be at least 32 characters$/);
    expect(loadStateConfig({ STATE_ENCRYPTION_KEY: 'k'.repeat(32) }).encryptionKey).toBe('k'.repeat(32));
  });
});
