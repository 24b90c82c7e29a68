import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PartsSourceClient } from '../src/clients/partssource.js';
import { silentLogger } from '../src/logger.js';
import { SANDBOX_PARTSSOURCE_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { RedisStore } from '../src/state/redis.js';
import type { StateStore } from '../src/state/store.js';
import type { TenantState } from '../src/state/tenant.js';
import { connectCustom, orderArgs, sandboxClients, type Custom, type Result } from './support/custom.js';
import type { Structured } from './support/harness.js';
import { startHostileUpstream, type HostileMode, type HostileUpstream } from './support/hostile-upstream.js';
import { commitThen502, commitThenHold, commitThenReset, isOrderPost } from './support/hostile-modes/orders.js';
import { disposeRedis, startRedis, type RedisServer } from './support/redis.js';
import { describeWithRedis } from './support/redis-suite.js';

/**
 * Issue 14, item 1: an agent that follows our own words never places an order twice. The hostile upstream lets the
 * real sandbox commit the order and then loses the answer (502, reset, no answer in time); the agent retries as the
 * error text says (with the key it names) or simply calls again without a key. Orders are counted in the sandbox.
 */

const acme = SANDBOX_PARTSSOURCE_CREDENTIALS.acme;
const UUID = /idempotencyKey ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/;

let sandbox: Sandbox;
let hostile: HostileUpstream;
/** Straight to the sandbox: the order arguments, and the count of orders it holds. */
let direct: Custom;
let baseOrder: Structured;
const open: Array<{ close(): Promise<void> }> = [];

/** A server whose PartsSource client talks to the hostile upstream. */
async function serverViaHostile(options: { clientTimeoutMs?: number; toolTimeoutMs?: number; state?: TenantState } = {}): Promise<Custom> {
  const partssource = new PartsSourceClient(
    {
      baseUrl: `${hostile.origin}/partssource/customer`,
      tokenUrl: `${hostile.origin}/partssource/oauth2/token`,
      clientId: acme.clientId,
      clientSecret: acme.clientSecret,
      apiKey: acme.apiKey,
      timeoutMs: options.clientTimeoutMs ?? 10_000,
    },
    ...(options.state ? [options.state] : []),
  );
  const server = await connectCustom({
    clients: { partssource },
    toolTimeoutMs: options.toolTimeoutMs ?? 20_000,
    ...(options.state ? { state: options.state } : {}),
  });
  open.push(server);
  return server;
}

/** How many orders the sandbox holds with this PO number. */
async function ordersWithPo(poNumber: string): Promise<number> {
  const found = await direct.call('search_orders', { q: `poNumber:"${poNumber}"` });
  expect(found.isError, JSON.stringify(found.structuredContent)).toBeFalsy();
  return found.structuredContent.total as number;
}

const textOf = (result: Result) => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
const orderPosts = () => hostile.requests.filter(isOrderPost);

/** An error whose order may have been placed: retryable, its key in structuredContent and in the advice text. */
function expectUnknownOutcome(result: Result, key?: string): string {
  expect(result.isError, JSON.stringify(result.structuredContent)).toBe(true);
  const sc = result.structuredContent;
  expect(sc.error.retryable).toBe(true);
  expect(typeof sc.idempotencyKey).toBe('string');
  if (key) expect(sc.idempotencyKey).toBe(key);
  const text = textOf(result);
  expect(text).toContain(`again with the same arguments and idempotencyKey ${sc.idempotencyKey}`);
  expect(text).not.toContain('Try again shortly');
  expect(UUID.exec(text)?.[1]).toBe(sc.idempotencyKey);
  return sc.idempotencyKey as string;
}

beforeAll(async () => {
  sandbox = await startSandbox();
  hostile = await startHostileUpstream(sandbox.origin);
  direct = await connectCustom({ clients: { partssource: sandboxClients(sandbox).partssource } });
  baseOrder = await orderArgs(direct);
});
afterEach(async () => {
  hostile.setModes();
  hostile.clear();
  await Promise.all(open.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await direct?.close();
  await hostile?.close();
  await sandbox?.close();
});

const hold = commitThenHold();
const MODES: Array<{ name: string; mode: HostileMode; server: () => Promise<Custom>; codes: string[] }> = [
  { name: 'commit-then-502', mode: commitThen502, server: () => serverViaHostile(), codes: ['upstream_unavailable'] },
  { name: 'commit-then-reset', mode: commitThenReset, server: () => serverViaHostile(), codes: ['upstream_unavailable'] },
  // Attempts of 2 s within a 6 s call: the held answer never comes, the call ends in a timeout.
  { name: 'commit-then-no-answer (timeout)', mode: hold, server: () => serverViaHostile({ clientTimeoutMs: 2_000, toolTimeoutMs: 6_000 }), codes: ['timeout'] },
];

describe('an order whose answer was lost is placed once, however the agent retries', () => {
  afterEach(() => hold.release());

  for (const { name, mode, server, codes } of MODES) {
    for (const firstKey of [false, true]) {
      for (const retry of ['with the key the error names', 'without a key, same arguments'] as const) {
        it(`${name}, first call ${firstKey ? 'with' : 'without'} an idempotencyKey, retry ${retry} → one order`, async () => {
          const s = await server();
          expect((await s.call('lookup_user', { userId: 12345 })).isError).toBeFalsy(); // the token, before any fault
          const poNumber = `PO-TRUST-${randomUUID().slice(0, 8)}`;
          const args = { ...baseOrder, poNumber };
          const given = firstKey ? randomUUID() : undefined;
          hostile.setModes(mode);
          const first = await s.call('create_order', { ...args, ...(given ? { idempotencyKey: given } : {}) });
          expect(codes).toContain(first.structuredContent.error?.code);
          const key = expectUnknownOutcome(first, given);
          expect(await ordersWithPo(poNumber)).toBe(1); // the sandbox did place it
          expect(orderPosts().every((r) => r.headers['idempotency-key'] === key)).toBe(true);

          hostile.setModes();
          hold.release();
          const advisedKey = UUID.exec(textOf(first))![1]!;
          const again = await s.call('create_order', retry === 'with the key the error names' ? { ...args, idempotencyKey: advisedKey } : args);
          expect(again.isError, JSON.stringify(again.structuredContent)).toBeFalsy();
          expect(again.structuredContent).toMatchObject({ idempotencyKey: key, replayed: true });
          expect(again.structuredContent.order.poNumber).toBe(poNumber);
          expect(await ordersWithPo(poNumber)).toBe(1);
          expect(orderPosts().at(-1)!.headers['idempotency-key']).toBe(key);
        });
      }
    }
  }
});

describe('a keyless order identical to one just placed', () => {
  it('is refused as possible_duplicate naming the orderId and key; the key replays it; allowDuplicate places a second', async () => {
    const s = await serverViaHostile();
    const poNumber = `PO-DUP-${randomUUID().slice(0, 8)}`;
    const args = { ...baseOrder, poNumber };
    const placed = await s.call('create_order', args);
    expect(placed.isError, JSON.stringify(placed.structuredContent)).toBeFalsy();
    const { order, idempotencyKey } = placed.structuredContent;
    expect(placed.structuredContent.replayed).toBe(false);

    const postsBefore = orderPosts().length;
    const refused = await s.call('create_order', args);
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent.error).toMatchObject({ code: 'possible_duplicate', retryable: false, orderId: order.orderId });
    expect(refused.structuredContent.idempotencyKey).toBe(idempotencyKey);
    expect(textOf(refused)).toContain(`orderId ${order.orderId}`);
    expect(textOf(refused)).toContain(`idempotencyKey ${idempotencyKey}`);
    expect(textOf(refused)).toContain('allowDuplicate: true');
    expect(orderPosts()).toHaveLength(postsBefore); // nothing sent
    expect(await ordersWithPo(poNumber)).toBe(1);

    const replay = await s.call('create_order', { ...args, idempotencyKey });
    expect(replay.structuredContent).toMatchObject({ idempotencyKey, replayed: true });
    expect(replay.structuredContent.order.orderId).toBe(order.orderId);
    expect(await ordersWithPo(poNumber)).toBe(1);

    const second = await s.call('create_order', { ...args, allowDuplicate: true });
    expect(second.isError, JSON.stringify(second.structuredContent)).toBeFalsy();
    expect(second.structuredContent.idempotencyKey).not.toBe(idempotencyKey);
    expect(second.structuredContent.order.orderId).not.toBe(order.orderId);
    expect(await ordersWithPo(poNumber)).toBe(2);
    // The allowDuplicate flag never reaches the upstream.
    expect(JSON.parse(orderPosts().at(-1)!.body.toString())).not.toHaveProperty('allowDuplicate');

    // The next keyless call names the latest order.
    const again = await s.call('create_order', args);
    expect(again.structuredContent.error).toMatchObject({ code: 'possible_duplicate', orderId: second.structuredContent.order.orderId });
    // Another body is another order.
    const other = await s.call('create_order', { ...args, poNumber: `${poNumber}-B` });
    expect(other.isError, JSON.stringify(other.structuredContent)).toBeFalsy();
  });

  it('errors the upstream answered for sure carry the key too, and argument errors echo a key that was given', async () => {
    const s = await serverViaHostile();
    const poNumber = `PO-422-${randomUUID().slice(0, 8)}`;
    const wrongPrice = { ...baseOrder, poNumber, items: [{ ...baseOrder.items[0], price: baseOrder.items[0].price + 1 }] };
    const refused = await s.call('create_order', wrongPrice);
    expect(refused.structuredContent.error.code).toBe('unprocessable');
    const key = refused.structuredContent.idempotencyKey as string;
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(textOf(refused)).toContain(`idempotencyKey ${key}`);
    // Nothing was placed, so the same body later gets a key of its own (not refused, not bound to the old one).
    const fixed = await s.call('create_order', { ...baseOrder, poNumber });
    expect(fixed.isError, JSON.stringify(fixed.structuredContent)).toBeFalsy();
    expect(await ordersWithPo(poNumber)).toBe(1);

    const given = randomUUID();
    const invalid = await s.call('create_order', { ...baseOrder, shippingMethod: 'DRONE', idempotencyKey: given });
    expect(invalid.structuredContent.error.code).toBe('invalid_argument');
    expect(invalid.structuredContent.idempotencyKey).toBe(given);
    expect(textOf(invalid)).toContain(`idempotencyKey ${given}`);
  });

  it('tools/list: create_order takes allowDuplicate and says how to retry', async () => {
    const { tools } = await direct.client.listTools();
    const create = tools.find((t) => t.name === 'create_order')!;
    expect(create.description).toContain('allowDuplicate');
    expect(create.description).toContain('idempotencyKey');
    expect(Object.keys(create.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['idempotencyKey', 'allowDuplicate']));
  });
});

describeWithRedis('a Redis fleet', { timeout: 60_000 }, () => {
  let redis: RedisServer;
  const stores: StateStore[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await disposeRedis(redis);
  });

  it('the key of an unknown-outcome attempt on instance A is reused by a keyless retry on instance B: one order', async () => {
    const tenant = `t${randomUUID().slice(0, 8)}`;
    const [a, b] = await Promise.all([RedisStore.start({ url: redis.url, log: silentLogger() }), RedisStore.start({ url: redis.url, log: silentLogger() })]);
    stores.push(a, b);
    const serverA = await serverViaHostile({ state: { store: a, tenant } });
    const serverB = await serverViaHostile({ state: { store: b, tenant } });
    const poNumber = `PO-FLEET-${randomUUID().slice(0, 8)}`;
    const args = { ...baseOrder, poNumber };

    hostile.setModes(commitThen502);
    const first = await serverA.call('create_order', args);
    const key = expectUnknownOutcome(first);
    expect(await ordersWithPo(poNumber)).toBe(1);

    // The pending attempt is in Redis under the tenant's prefix, with a TTL, and names neither body nor secret.
    const raw = createClient({ url: redis.url });
    raw.on('error', () => {});
    await raw.connect();
    try {
      const keys = await raw.keys(`customer-api-mcp:t:${tenant}:order-attempts:*`);
      expect(keys).toHaveLength(1);
      const ttl = await raw.pTTL(keys[0]!);
      expect(ttl).toBeGreaterThan(23 * 3_600_000);
      expect(ttl).toBeLessThanOrEqual(24 * 3_600_000);
      const stored = (await raw.get(keys[0]!))!;
      expect(JSON.parse(stored)).toMatchObject({ key, state: 'pending' });
      for (const secret of [poNumber, acme.clientSecret, acme.apiKey]) expect(stored).not.toContain(secret);

      hostile.setModes();
      const retried = await serverB.call('create_order', args);
      expect(retried.isError, JSON.stringify(retried.structuredContent)).toBeFalsy();
      expect(retried.structuredContent).toMatchObject({ idempotencyKey: key, replayed: true });
      expect(await ordersWithPo(poNumber)).toBe(1);
      expect(new Set(orderPosts().map((r) => r.headers['idempotency-key']))).toEqual(new Set([key]));

      // Placed now: a keyless repeat on A is a possible duplicate, the window (10 min) in Redis.
      const repeat = await serverA.call('create_order', args);
      expect(repeat.structuredContent.error).toMatchObject({ code: 'possible_duplicate', orderId: retried.structuredContent.order.orderId });
      expect(repeat.structuredContent.idempotencyKey).toBe(key);
      const windowTtl = await raw.pTTL(keys[0]!);
      expect(windowTtl).toBeGreaterThan(9 * 60_000);
      expect(windowTtl).toBeLessThanOrEqual(10 * 60_000);
      expect(await ordersWithPo(poNumber)).toBe(1);
    } finally {
      await raw.close().catch(() => {});
    }
  });
});
