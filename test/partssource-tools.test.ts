import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_PARTSSOURCE_CREDENTIALS } from '../src/sandbox/index.js';
import { SANDBOX_PARTSSOURCE_FIXTURES as FIX } from '../src/sandbox/partssource/index.js';
import { orderFromSeed, startHarness, type Harness, type Structured } from './support/harness.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** lookup_user → search_parts → get_part_detail: everything create_order needs. */
async function prepareOrder(h: Harness) {
  const { structuredContent: lookup } = await h.call('lookup_user', { userId: 12345 });
  const user = lookup.user;
  const { structuredContent: parts } = await h.call('search_parts', { keyword: 'probe', limit: 5 });
  const productId = parts.items[0].productId as string;
  const { structuredContent: detail } = await h.call('get_part_detail', { productId, requesterId: user.contactId });
  const option = detail.part.options.find((o: Structured) => !o.requiredFields?.length);
  return {
    user,
    productId,
    option,
    order: orderFromSeed(user, productId, option),
  };
}

describe('PartsSource tools over the SDK Client (in memory) against the sandbox', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  afterEach(() => h.sandbox.clearRequests());

  it('walks the search-to-order workflow and sends the documented headers', async () => {
    const prepared = await prepareOrder(h);
    expect(prepared.user).toMatchObject({ contactId: 12345 });
    expect(prepared.order).toMatchObject({ facilityId: 1001, billingAddressId: 3001 });
    expect(prepared.user.shippingAddresses.map((a: Structured) => a.id)).toContain(2001);

    const created = await h.call('create_order', { ...prepared.order, poNumber: 'PO-WORKFLOW-1' });
    expect(created.isError).toBeFalsy();
    const { order, idempotencyKey, replayed } = created.structuredContent;
    expect(idempotencyKey).toMatch(UUID_V4);
    expect(replayed).toBe(false);
    expect(order.status).toBe('Pending');
    expect(order.lineItems[0]).toMatchObject({ productId: prepared.productId, quantity: 2, unitPrice: prepared.option.price });

    const fetched = await h.call('get_order', { orderId: order.orderId });
    expect(fetched.structuredContent.order).toMatchObject({ orderId: order.orderId, poNumber: 'PO-WORKFLOW-1' });

    const api = h.apiRequests();
    expect(api.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /customer/users/lookup',
      'POST /customer/catalog/search',
      'GET /customer/catalog/detail',
      'POST /customer/orders',
      `GET /customer/orders/${order.orderId}`,
    ]);
    const token = h.tokenRequests()[0];
    expect(token?.body).toMatchObject({ grant_type: 'client_credentials', client_id: SANDBOX_PARTSSOURCE_CREDENTIALS.acme.clientId });
    for (const request of api) {
      expect(request.headers.authorization).toMatch(/^Bearer \S+$/);
      expect(request.headers['x-api-key']).toBe(SANDBOX_PARTSSOURCE_CREDENTIALS.acme.apiKey);
      expect(request.headers['x-correlation-id']).toMatch(UUID_V4);
    }
    const post = api[3]!;
    expect(post.headers['idempotency-key']).toBe(idempotencyKey);
    expect(post.body).toMatchObject({
      requesterId: 12345,
      shippingMethod: 'GROUND',
      poNumber: 'PO-WORKFLOW-1',
      quoteItems: [{ priceOptionId: prepared.option.priceOptionId, productId: prepared.productId, quantity: 2 }],
    });
    expect(post.body).not.toHaveProperty('items');
    expect(post.body).not.toHaveProperty('idempotencyKey');
    // The correlation id we sent is the one the sandbox echoed and the tool reported.
    expect(created.structuredContent.correlationId).toBe(post.headers['x-correlation-id']);
    // The catalog search went out as the documented POST body.
    expect(api[1]!.body).toEqual({ keyword: 'probe', pagination: { limit: 5, offset: 0 } });
  });

  it('returns paging facts with nextOffset while there is more', async () => {
    const first = await h.call('search_parts', { keyword: 'probe', limit: 2 });
    expect(first.structuredContent).toMatchObject({ limit: 2, offset: 0, hasMore: true, nextOffset: 2 });
    expect(first.structuredContent.items).toHaveLength(2);
    const total = first.structuredContent.total as number;
    const last = await h.call('search_parts', { keyword: 'probe', limit: 2, offset: total - 1 });
    expect(last.structuredContent).toMatchObject({ hasMore: false, total });
    expect(last.structuredContent).not.toHaveProperty('nextOffset');
    expect(last.structuredContent.items).toHaveLength(1);
  });

  it('the same idempotencyKey twice places one order and replays it', async () => {
    const { order } = await prepareOrder(h);
    const idempotencyKey = randomUUID();
    const poNumber = `PO-IDEM-${idempotencyKey.slice(0, 8)}`;
    const first = await h.call('create_order', { ...order, poNumber, idempotencyKey });
    const second = await h.call('create_order', { ...order, poNumber, idempotencyKey });
    expect(first.isError).toBeFalsy();
    expect(second.isError).toBeFalsy();
    expect(second.structuredContent.order.orderId).toBe(first.structuredContent.order.orderId);
    expect(second.structuredContent).toMatchObject({ replayed: true, idempotencyKey });
    const posts = h.apiRequests().filter((r) => r.method === 'POST' && r.path === '/customer/orders');
    expect(posts.map((r) => r.headers['idempotency-key'])).toEqual([idempotencyKey, idempotencyKey]);
    const search = await h.call('search_orders', { q: `poNumber:"${poNumber}"` });
    expect(search.structuredContent.total).toBe(1);
  });

  it('reports a price mismatch as 422 and creates no order', async () => {
    const { order } = await prepareOrder(h);
    const poNumber = `PO-422-${randomUUID().slice(0, 8)}`;
    const [item] = order.items;
    const wrong = { ...order, poNumber, items: [{ ...item!, price: item!.price + 1 }] };
    const result = await h.call('create_order', wrong);
    expect(result.isError).toBe(true);
    expect(result.structuredContent.error).toMatchObject({ code: 'unprocessable', upstreamStatus: 422, retryable: false });
    expect(result.structuredContent.error.upstreamMessages.join(' ')).toMatch(/price/i);
    const text = (result.content[0] as { text: string }).text;
    expect(text).toContain('HTTP 422');
    // The upstream's message ends with a period ("... price 191.75."): quoted once, not doubled.
    expect(result.structuredContent.error.upstreamMessages.join(' ')).toMatch(/\d\.$/);
    // The upstream's words are in upstreamMessages and once in the text (not repeated in `message`).
    expect(result.structuredContent.error.message).not.toContain('PartsSource said');
    expect(text).toMatch(/PartsSource said: [^(]*price \d+\.\d{2}\. \(HTTP 422/);
    expect(text).not.toMatch(/\.\./);
    const search = await h.call('search_orders', { q: `poNumber:"${poNumber}"` });
    expect(search.structuredContent.total).toBe(0);
  });

  it("refuses another tenant's user and order with 403", async () => {
    const user = await h.call('lookup_user', { userId: FIX.globex.contactId });
    expect(user.isError).toBe(true);
    expect(user.structuredContent.error).toMatchObject({ code: 'forbidden_tenant', upstreamStatus: 403 });
    const order = await h.call('get_order', { orderId: FIX.globex.orderId });
    expect(order.isError).toBe(true);
    expect(order.structuredContent.error).toMatchObject({ code: 'forbidden_tenant', upstreamStatus: 403 });
    expect((order.content[0] as { text: string }).text).toContain('HTTP 403');
  });

  it('reports an unknown order as 404 with the upstream message', async () => {
    const result = await h.call('get_order', { orderId: 99_999_999 });
    expect(result.isError).toBe(true);
    expect(result.structuredContent.error).toMatchObject({ code: 'not_found', upstreamStatus: 404, retryable: false });
    // The sandbox's own correlation id (echo of ours) is reported.
    const sent = h.apiRequests().at(-1)!;
    expect(result.structuredContent.correlationId).toBe(sent.headers['x-correlation-id']);
  });

  it('rejects invalid arguments before any HTTP request', async () => {
    const bad: Array<[string, Record<string, unknown>]> = [
      ['lookup_user', {}],
      ['lookup_user', { userId: 12345, username: 'jdoe' }],
      ['lookup_user', { userId: -1 }],
      ['lookup_user', { userId: '12345' }],
      ['search_parts', { limit: 5 }],
      ['search_parts', { keyword: 'probe', limit: 201 }],
      ['get_part_detail', { productId: 'CAT-1' }],
      ['get_order', { orderId: 'abc' }],
      ['get_order', { orderId: 1.5 }],
      ['search_orders', {}],
      ['create_order', { requesterId: 12345, facilityId: 1001, shippingAddressId: 2001, billingAddressId: 3001, shippingMethod: 'GROUND', items: [] }],
      ['create_order', { requesterId: 12345, facilityId: 1001, shippingAddressId: 2001, billingAddressId: 3001, shippingMethod: 'DRONE', items: [{ priceOptionId: 'x', productId: 'y', quantity: 1, price: 1 }] }],
      ['create_order', { requesterId: 12345, facilityId: 1001, shippingAddressId: 2001, billingAddressId: 3001, shippingMethod: 'GROUND', idempotencyKey: 'not-a-uuid', items: [{ priceOptionId: 'x', productId: 'y', quantity: 1, price: 1 }] }],
      ['search_users', { q: 'x', unexpected: true }],
    ];
    h.sandbox.clearRequests();
    for (const [name, args] of bad) {
      const result = await h.call(name, args);
      expect(result.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
      expect(result.structuredContent.error.code).toBe('invalid_argument');
      expect(result.structuredContent.error.message).toContain(name);
    }
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it('answers an unknown tool with a JSON-RPC error', async () => {
    await expect(h.client.callTool({ name: 'drop_database', arguments: {} })).rejects.toThrow(/Unknown tool drop_database/);
  });

  it('searches users, orders and manufacturers with the q language', async () => {
    const users = await h.call('search_users', { q: 'lastName:"Doe"' });
    expect(users.structuredContent.items.some((u: Structured) => u.contactId === 12345)).toBe(true);
    const manufacturers = await h.call('search_manufacturers', { q: 'name~"philips"' });
    expect(manufacturers.structuredContent.items).toContainEqual(expect.objectContaining({ manufacturerId: 26799 }));
    const orders = await h.call('search_orders', { q: 'companyId:1001 AND createdDate>="2020-01-01" AND createdDate<="2020-12-31"' });
    expect(orders.isError).toBeFalsy();
    const unbounded = await h.call('search_orders', { q: 'status:"Pending"' });
    expect(unbounded.isError).toBe(true);
    expect(unbounded.structuredContent.error).toMatchObject({ code: 'invalid_argument', upstreamStatus: 400 });
  });
});

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

  it('a write is not retried on 403 (read-only credentials) and says why', async () => {
    const h = await startHarness({ tenant: 'acmeReadOnly' });
    try {
      const { order } = await prepareOrder(h);
      h.sandbox.clearRequests();
      const result = await h.call('create_order', order);
      expect(result.isError).toBe(true);
      expect(result.structuredContent.error).toMatchObject({ code: 'forbidden_tenant', upstreamStatus: 403 });
      expect(h.apiRequests()).toHaveLength(1);
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
