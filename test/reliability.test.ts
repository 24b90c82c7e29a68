import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultRule } from '../src/sandbox/index.js';
import { startHarness, type Harness, type Structured } from './support/harness.js';

/**
 * The fault matrix: every fault the sandbox can inject, on a read tool and on create_order. The agent always gets
 * an isError result with a code and a correlation id, or a correct result after a successful retry; the process
 * stays alive; and the sandbox's order count proves that no order was ever placed twice.
 */

const READ_PATH = '^/customer/users/lookup$';
const ORDER_PATH = '^/customer/orders$';
const TOKEN_PATH = '^/oauth2/token$';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harness(faults: FaultRule[] = []) {
  h = await startHarness({ clientTimeoutMs: 400, toolTimeoutMs: 8_000 });
  // Warm the token first unless the fault is about the token endpoint itself.
  faults.forEach((f) => h!.sandbox.faults.add(f));
  return h;
}

const order = {
  requesterId: 12345,
  facilityId: 1001,
  shippingAddressId: 2001,
  billingAddressId: 3001,
  shippingMethod: 'GROUND',
};

/** A fresh quote for CAT-100's New OEM option, fetched with no fault active. */
async function quote(h: Harness) {
  const { structuredContent } = await h.call('get_part_detail', { productId: 'CAT-100', requesterId: 12345 });
  const option = structuredContent.part.options.find((o: Structured) => !o.requiredFields?.length);
  return { priceOptionId: option.priceOptionId, productId: 'CAT-100', quantity: 1, price: option.price };
}

async function ordersWithPo(h: Harness, poNumber: string): Promise<number> {
  h.sandbox.faults.clear();
  const result = await h.call('search_orders', { q: `poNumber:"${poNumber}"` });
  expect(result.isError, JSON.stringify(result.structuredContent)).toBeFalsy();
  return result.structuredContent.total as number;
}

const postsTo = (h: Harness, path: string) => h.apiRequests().filter((r) => r.method === 'POST' && r.path === path);

interface Case {
  name: string;
  fault: Omit<FaultRule, 'api' | 'path'>;
  /** For a read: expected code, or 'ok' after a successful retry. */
  read: string;
  /** For create_order: expected code, or 'ok'. */
  write: string;
}

const CASES: Case[] = [
  { name: '500 on every call', fault: { status: 500 }, read: 'upstream_unavailable', write: 'upstream_unavailable' },
  { name: '502 on every call', fault: { status: 502 }, read: 'upstream_unavailable', write: 'upstream_unavailable' },
  { name: '503 on every call', fault: { status: 503, retryAfterSeconds: 0 }, read: 'upstream_unavailable', write: 'upstream_unavailable' },
  { name: '504 on every call', fault: { status: 504 }, read: 'upstream_unavailable', write: 'upstream_unavailable' },
  { name: 'one 503, then healthy', fault: { status: 503, times: 1 }, read: 'ok', write: 'ok' },
  { name: 'one 502 HTML gateway page, then healthy', fault: { status: 502, body: 'html', times: 1 }, read: 'ok', write: 'ok' },
  { name: 'HTML gateway page on every call', fault: { status: 502, body: 'html' }, read: 'upstream_unavailable', write: 'upstream_unavailable' },
  { name: '429 with Retry-After 120', fault: { status: 429, retryAfterSeconds: 120 }, read: 'rate_limited', write: 'rate_limited' },
  { name: 'one 429 with Retry-After 1, then healthy', fault: { status: 429, retryAfterSeconds: 1, times: 1 }, read: 'ok', write: 'rate_limited' },
  { name: 'latency past the attempt timeout, once', fault: { latencyMs: 900, times: 1 }, read: 'ok', write: 'ok' },
  { name: 'latency under the attempt timeout', fault: { latencyMs: 150 }, read: 'ok', write: 'ok' },
  { name: 'connection reset, once', fault: { reset: true, times: 1 }, read: 'ok', write: 'ok' },
  { name: 'connection reset on every call', fault: { reset: true }, read: 'upstream_unavailable', write: 'upstream_unavailable' },
  { name: 'truncated JSON', fault: { status: 200, body: 'truncated-json', times: 1 }, read: 'upstream_invalid_response', write: 'upstream_invalid_response' },
  { name: 'malformed JSON', fault: { status: 200, body: 'malformed-json', times: 1 }, read: 'upstream_invalid_response', write: 'upstream_invalid_response' },
  { name: 'empty 200 body', fault: { status: 200, body: 'empty', times: 1 }, read: 'upstream_invalid_response', write: 'upstream_invalid_response' },
  { name: 'a 200 whose envelope says success: false', fault: { status: 200, body: 'envelope-failure', times: 1 }, read: 'upstream_error', write: 'upstream_error' },
];

describe('fault matrix: read tool (lookup_user)', () => {
  for (const c of CASES) {
    it(`${c.name} → ${c.read}`, async () => {
      const h = await harness();
      await h.call('lookup_user', { userId: 12345 }); // token cached
      h.sandbox.faults.add({ api: 'partssource', path: READ_PATH, ...c.fault });
      const started = performance.now();
      const result = await h.call('lookup_user', { userId: 12345 });
      if (c.read === 'ok') {
        expect(result.isError, JSON.stringify(result.structuredContent)).toBeFalsy();
        expect(result.structuredContent.user.contactId).toBe(12345);
      } else {
        expect(result.isError).toBe(true);
        expect(result.structuredContent.error.code).toBe(c.read);
        expect(result.structuredContent.error.message.length).toBeGreaterThan(20);
      }
      if (c.fault.retryAfterSeconds === 120) {
        expect(result.structuredContent.error.retryAfterSeconds).toBe(120);
        expect(performance.now() - started).toBeLessThan(2_000);
      }
      // The process is alive and answers the next call.
      h.sandbox.faults.clear();
      expect((await h.call('lookup_user', { userId: 12345 })).isError).toBeFalsy();
    });
  }
});

describe('fault matrix: create_order never duplicates an order', () => {
  for (const c of CASES) {
    it(`${c.name} → ${c.write}`, async () => {
      const h = await harness();
      const item = await quote(h);
      const poNumber = `PO-FAULT-${randomUUID().slice(0, 8)}`;
      const args = { ...order, poNumber, items: [item], idempotencyKey: randomUUID() };
      h.sandbox.faults.add({ api: 'partssource', path: ORDER_PATH, method: 'POST', ...c.fault });
      const result = await h.call('create_order', args);
      if (c.write === 'ok') {
        expect(result.isError, JSON.stringify(result.structuredContent)).toBeFalsy();
        expect(result.structuredContent.order.poNumber).toBe(poNumber);
      } else {
        expect(result.isError).toBe(true);
        expect(result.structuredContent.error.code).toBe(c.write);
      }
      // Every POST carried the same key and body: retries are replays, never new orders.
      const posts = postsTo(h, '/customer/orders');
      expect(new Set(posts.map((p) => p.headers['idempotency-key']))).toEqual(new Set([args.idempotencyKey]));
      expect(new Set(posts.map((p) => JSON.stringify(p.body))).size).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, c.fault.latencyMs ?? 0)); // let a delayed attempt land
      expect(await ordersWithPo(h, poNumber)).toBe(c.write === 'ok' ? 1 : 0);
      // The agent repeats the call with the same key once the fault is gone: exactly one order, ever.
      const again = await h.call('create_order', args);
      expect(again.isError, JSON.stringify(again.structuredContent)).toBeFalsy();
      expect(await ordersWithPo(h, poNumber)).toBe(1);
      if (c.write === 'ok') expect(again.structuredContent.order.orderId).toBe(result.structuredContent.order.orderId);
    });
  }
});

describe('token endpoint faults', () => {
  it('token endpoint down: reads and orders fail with upstream_unavailable, no order is sent', async () => {
    const h = await harness([{ api: 'partssource', path: TOKEN_PATH, status: 503 }]);
    const read = await h.call('lookup_user', { userId: 12345 });
    expect(read.structuredContent.error).toMatchObject({ code: 'upstream_unavailable', retryable: true });
    const write = await h.call('create_order', { ...order, items: [{ priceOptionId: 'OPT-CAT-100-1', productId: 'CAT-100', quantity: 1, price: 1 }] });
    expect(write.structuredContent.error).toMatchObject({ code: 'upstream_unavailable' });
    expect(h.apiRequests()).toHaveLength(0);
  });

  it('token endpoint slow: the call waits for it and succeeds, with one token request', async () => {
    const h = await harness([{ api: 'partssource', path: TOKEN_PATH, latencyMs: 250 }]);
    const results = await Promise.all([1, 2, 3].map(() => h.call('lookup_user', { userId: 12345 })));
    expect(results.every((r) => !r.isError)).toBe(true);
    expect(h.tokenRequests()).toHaveLength(1);
  });

  it('token revoked mid-session: one refetch, the read and the order both succeed, one order', async () => {
    const h = await harness();
    const item = await quote(h);
    h.sandbox.partssource.controls.revokeAllTokens();
    expect((await h.call('lookup_user', { userId: 12345 })).isError).toBeFalsy();
    h.sandbox.partssource.controls.revokeAllTokens();
    const poNumber = `PO-REVOKED-${randomUUID().slice(0, 8)}`;
    const placed = await h.call('create_order', { ...order, poNumber, items: [item] });
    expect(placed.isError).toBeFalsy();
    expect(postsTo(h, '/customer/orders').map((p) => p.status)).toEqual([401, 201]);
    expect(await ordersWithPo(h, poNumber)).toBe(1);
  });
});

describe('local idempotency record', () => {
  it('a key seen before with different arguments is a conflict and nothing is sent', async () => {
    const h = await harness();
    const item = await quote(h);
    const idempotencyKey = randomUUID();
    const first = await h.call('create_order', { ...order, poNumber: 'PO-A', items: [item], idempotencyKey });
    expect(first.isError).toBeFalsy();
    const before = postsTo(h, '/customer/orders').length;
    const second = await h.call('create_order', { ...order, poNumber: 'PO-B', items: [item], idempotencyKey });
    expect(second.structuredContent.error).toMatchObject({ code: 'conflict', retryable: false });
    expect(postsTo(h, '/customer/orders')).toHaveLength(before);
  });

  it('the same key and arguments while the first call is in flight waits for it and returns its order', async () => {
    h = await startHarness({ sandbox: { partssource: { orderProcessingDelayMs: 300 } } });
    const item = await quote(h);
    const poNumber = `PO-INFLIGHT-${randomUUID().slice(0, 8)}`;
    const args = { ...order, poNumber, items: [item], idempotencyKey: randomUUID() };
    const [a, b] = await Promise.all([h.call('create_order', args), h.call('create_order', args)]);
    expect(a.isError).toBeFalsy();
    expect(b.isError).toBeFalsy();
    expect(b.structuredContent.order.orderId).toBe(a.structuredContent.order.orderId);
    expect([a.structuredContent.replayed, b.structuredContent.replayed].sort()).toEqual([false, true]);
    expect(postsTo(h, '/customer/orders')).toHaveLength(1);
    expect(await ordersWithPo(h, poNumber)).toBe(1);
  });
});

describe('circuit breaker', () => {
  it('after repeated failures calls fail fast with a message saying so', async () => {
    const h = await harness();
    await h.call('lookup_user', { userId: 12345 });
    h.sandbox.faults.add({ api: 'partssource', path: READ_PATH, status: 502 });
    for (let i = 0; i < 5; i++) await h.call('lookup_user', { userId: 12345 });
    const sent = h.apiRequests().length;
    const fast = await h.call('lookup_user', { userId: 12345 });
    expect(fast.structuredContent.error).toMatchObject({ code: 'upstream_unavailable', retryable: true });
    expect(fast.structuredContent.error.message).toMatch(/circuit open/);
    expect(fast.structuredContent.error.retryAfterSeconds).toBeGreaterThan(0);
    expect(h.apiRequests()).toHaveLength(sent);
  });
});
