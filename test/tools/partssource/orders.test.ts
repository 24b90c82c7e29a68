import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SANDBOX_PARTSSOURCE_CREDENTIALS } from '../../../src/sandbox/index.js';
import { SANDBOX_PARTSSOURCE_FIXTURES as FIX } from '../../../src/sandbox/partssource/index.js';
import { startHarness, type Structured } from '../../support/harness.js';
import { expectRejectedBeforeAnyRequest, prepareOrder, UUID_V4, useHarness } from '../../support/partssource-tools.js';

// create_order, get_order, search_orders (src/tools/partssource/orders.ts) over the SDK Client against the sandbox.
describe('PartsSource order tools', () => {
  const suite = useHarness();

  it('walks the search-to-order workflow and sends the documented headers', async () => {
    const { h } = suite;
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

  it('the same idempotencyKey twice places one order and replays it', async () => {
    const { h } = suite;
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
    const { h } = suite;
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

  it("refuses another tenant's order with 403", async () => {
    const { h } = suite;
    const order = await h.call('get_order', { orderId: FIX.globex.orderId });
    expect(order.isError).toBe(true);
    expect(order.structuredContent.error).toMatchObject({ code: 'forbidden_tenant', upstreamStatus: 403 });
    expect((order.content[0] as { text: string }).text).toContain('HTTP 403');
  });

  it('reports an unknown order as 404 with the upstream message', async () => {
    const { h } = suite;
    const result = await h.call('get_order', { orderId: 99_999_999 });
    expect(result.isError).toBe(true);
    expect(result.structuredContent.error).toMatchObject({ code: 'not_found', upstreamStatus: 404, retryable: false });
    // The sandbox's own correlation id (echo of ours) is reported.
    const sent = h.apiRequests().at(-1)!;
    expect(result.structuredContent.correlationId).toBe(sent.headers['x-correlation-id']);
  });

  it('rejects invalid order arguments before any HTTP request', async () => {
    await expectRejectedBeforeAnyRequest(suite.h, [
      ['get_order', { orderId: 'abc' }],
      ['get_order', { orderId: 1.5 }],
      ['search_orders', {}],
      ['create_order', { requesterId: 12345, facilityId: 1001, shippingAddressId: 2001, billingAddressId: 3001, shippingMethod: 'GROUND', items: [] }],
      ['create_order', { requesterId: 12345, facilityId: 1001, shippingAddressId: 2001, billingAddressId: 3001, shippingMethod: 'DRONE', items: [{ priceOptionId: 'x', productId: 'y', quantity: 1, price: 1 }] }],
      ['create_order', { requesterId: 12345, facilityId: 1001, shippingAddressId: 2001, billingAddressId: 3001, shippingMethod: 'GROUND', idempotencyKey: 'not-a-uuid', items: [{ priceOptionId: 'x', productId: 'y', quantity: 1, price: 1 }] }],
    ]);
  });

  it('searches orders with the q language', async () => {
    const { h } = suite;
    const orders = await h.call('search_orders', { q: 'companyId:1001 AND createdDate>="2020-01-01" AND createdDate<="2020-12-31"' });
    expect(orders.isError).toBeFalsy();
    const unbounded = await h.call('search_orders', { q: 'status:"Pending"' });
    expect(unbounded.isError).toBe(true);
    expect(unbounded.structuredContent.error).toMatchObject({ code: 'invalid_argument', upstreamStatus: 400 });
  });
});

describe('create_order with read-only credentials', () => {
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
});
