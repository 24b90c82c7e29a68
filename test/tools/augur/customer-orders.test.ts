import { describe, expect, it } from 'vitest';
import { SANDBOX_AUGUR_FIXTURES as FIX } from '../../../src/sandbox/augur/index.js';
import { customerOrderTools } from '../../../src/tools/augur/customer-orders.js';
import { failed, ok } from '../../support/augur.js';
import { ACME, expectEveryToolFails, FAILURE_ARGS, itAnsweredAndFailedEveryTool, useAugurToolSuite } from '../../support/augur-tools.js';
import type { Structured } from '../../support/harness.js';

// list_customer_orders, get_customer_order, list_quotes, get_quote, list_rmas, get_rma
// (src/tools/augur/customer-orders.ts) over the SDK Client against the sandbox.
describe('Augur customer order, quote and RMA tools', () => {
  const suite = useAugurToolSuite();

  it('walks lookup_customer → list_invoices → get_invoice → list_customer_orders → get_customer_order: the order steps', async () => {
    const { h, augurRequests } = suite;
    const customerId = FIX.acme.customerId;
    const orders = ok(await h.call('list_customer_orders', { customerId }));
    expect(orders.items.length).toBeGreaterThan(0);
    const orderNo = orders.items[0].orderNo;
    const order = ok(await h.call('get_customer_order', { customerId, orderNo })).order;
    expect(order.orderNo).toBe(orderNo);
    expect(Array.isArray(order.lines)).toBe(true);
    expect(typeof order.orderStatus).toBe('string');

    const sent = augurRequests();
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /customer/${FIX.acme.customerId}/orders`,
      `GET /customer/${FIX.acme.customerId}/orders/${orderNo}`,
    ]);
    for (const request of sent) {
      expect(request.headers['x-site-id']).toBe(ACME.siteId);
      expect(request.headers.authorization).toBe(`Bearer ${ACME.token}`);
      expect(request.status).toBe(200);
    }
  });

  it('translates booleans and enums into the Y/N/B/L flags', async () => {
    const { h, augurRequests } = suite;
    const customerId = FIX.acme.customerId;
    const summary = ok(await h.call('list_customer_orders', { customerId, limit: 100 }));
    const everything = ok(
      await h.call('list_customer_orders', { customerId, includeCancelled: true, includeDeleted: true, detail: 'lines', limit: 100 }),
    );
    const full = ok(await h.call('list_customer_orders', { customerId, detail: 'full', limit: 1 }));
    const [qSummary, qEverything, qFull] = augurRequests().map((r) => r.query);
    expect(qSummary).toMatchObject({ cancelFlag: 'N', deleteFlag: 'N', fullDocument: 'N' });
    expect(qEverything).toMatchObject({ cancelFlag: 'B', deleteFlag: 'B', fullDocument: 'L' });
    expect(qFull).toMatchObject({ cancelFlag: 'N', deleteFlag: 'N', fullDocument: 'Y' });
    expect(everything.total).toBeGreaterThan(summary.total);
    expect(summary.items.every((o: Structured) => o.cancelFlag !== 'Y' && o.deleteFlag !== 'Y')).toBe(true);
    expect(everything.items.some((o: Structured) => o.cancelFlag === 'Y')).toBe(true);
    expect(everything.items.some((o: Structured) => o.deleteFlag === 'Y')).toBe(true);
    expect(summary.items[0]).not.toHaveProperty('lines');
    expect(Array.isArray(everything.items[0].lines)).toBe(true);
    expect(Array.isArray(full.items[0].pickTickets)).toBe(true);

    const ordered = ok(await h.call('list_customer_orders', { customerId, orderBy: 'order_no|ASC', limit: 100 }));
    const numbers = ordered.items.map((o: Structured) => Number(o.orderNo));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    failed(await h.call('list_customer_orders', { customerId, orderBy: 'order_no' }), 'invalid_argument');
    failed(await h.call('list_customer_orders', { customerId, orderBy: 'order_no|asc' }), 'invalid_argument');
    // A well-formed orderBy on an unknown column reaches the service, which answers 400.
    const unknownColumn = failed(await h.call('list_customer_orders', { customerId, orderBy: 'no_such_column|ASC' }), 'invalid_argument');
    expect(unknownColumn.upstreamStatus).toBe(400);
  });

  it('answers every quote and RMA read tool successfully', async () => {
    const { h } = suite;
    const c = FIX.acme.customerId;
    const quotes = ok(await h.call('list_quotes', { customerId: c }));
    const quote = ok(await h.call('get_quote', { customerId: c, quoteNo: quotes.items[0].orderNo })).quote;
    expect(quote.orderNo).toBe(quotes.items[0].orderNo);
    const rmas = ok(await h.call('list_rmas', { customerId: c }));
    const rma = ok(await h.call('get_rma', { customerId: c, rmaNo: rmas.items[0].orderNo })).rma;
    expect(rma.orderNo).toBe(rmas.items[0].orderNo);
  });

  it('fails every order, quote and RMA tool at least once with a sensible code, a correlationId and exactly what the service received', async () => {
    const c = FIX.acme.customerId;
    const { none, badOrder, page } = FAILURE_ARGS;
    await expectEveryToolFails(
      suite,
      [
        {
          // The one list documented to 404 on an unknown customer.
          tool: 'list_customer_orders', args: { customerId: none }, code: 'not_found',
          wire: { method: 'GET', path: `/customer/${none}/orders`, query: { cancelFlag: 'N', deleteFlag: 'N', fullDocument: 'N', ...page }, status: 404 },
        },
        {
          // An order of customer A asked for under customer B of the same site.
          tool: 'get_customer_order', args: { customerId: FIX.acme.bigCustomerId, orderNo: FIX.acme.orderNo }, code: 'not_found',
          wire: { method: 'GET', path: `/customer/${FIX.acme.bigCustomerId}/orders/${FIX.acme.orderNo}`, query: {}, status: 404 },
        },
        { tool: 'list_quotes', args: { customerId: c, orderBy: badOrder }, code: 'invalid_argument', wire: { method: 'GET', path: `/customer/${c}/quotes`, query: { orderBy: badOrder, ...page }, status: 400 } },
        {
          // An order number is not a quote number.
          tool: 'get_quote', args: { customerId: c, quoteNo: FIX.acme.orderNo }, code: 'not_found',
          wire: { method: 'GET', path: `/customer/${c}/quotes/${FIX.acme.orderNo}`, query: {}, status: 404 },
        },
        { tool: 'list_rmas', args: { customerId: c, orderBy: badOrder }, code: 'invalid_argument', wire: { method: 'GET', path: `/customer/${c}/rmas`, query: { orderBy: badOrder, ...page }, status: 400 } },
        {
          tool: 'get_rma', args: { customerId: c, rmaNo: FIX.acme.quoteNo }, code: 'not_found',
          wire: { method: 'GET', path: `/customer/${c}/rmas/${FIX.acme.quoteNo}`, query: {}, status: 404 },
        },
      ],
      customerOrderTools,
    );
  });

  itAnsweredAndFailedEveryTool(suite, customerOrderTools, 'customer order');
});
