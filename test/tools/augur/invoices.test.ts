import { describe, expect, it } from 'vitest';
import { SANDBOX_AUGUR_FIXTURES as FIX } from '../../../src/sandbox/augur/index.js';
import { invoiceTools } from '../../../src/tools/augur/invoices.js';
import { AS_OF, failed, ok } from '../../support/augur.js';
import { ACME, expectEveryToolFails, FAILURE_ARGS, itAnsweredAndFailedEveryTool, useAugurToolSuite } from '../../support/augur-tools.js';
import type { Structured } from '../../support/harness.js';

// list_invoices, get_invoice, get_customer_aging (src/tools/augur/invoices.ts) over the SDK Client against the sandbox.
describe('Augur invoice tools', () => {
  const suite = useAugurToolSuite();

  it('walks lookup_customer → list_invoices → get_invoice → list_customer_orders → get_customer_order: the invoice steps', async () => {
    const { h, augurRequests } = suite;
    const customerId = FIX.acme.customerId;
    const invoices = ok(await h.call('list_invoices', { customerId }));
    expect(invoices.items.length).toBeGreaterThan(0);
    expect(invoices).toMatchObject({ offset: 0, limit: 10 });
    const first = invoices.items[0];
    const invoice = ok(await h.call('get_invoice', { customerId, invoiceNo: first.invoiceNo })).invoice;
    expect(invoice.invoiceNo).toBe(first.invoiceNo);
    expect(Number(invoice.customerId)).toBe(FIX.acme.customerId);
    expect(invoice.lines.length).toBeGreaterThan(0);

    const sent = augurRequests();
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /customer/${FIX.acme.customerId}/invoices`,
      `GET /customer/${FIX.acme.customerId}/invoices/${first.invoiceNo}`,
    ]);
    for (const request of sent) {
      expect(request.headers['x-site-id']).toBe(ACME.siteId);
      expect(request.headers.authorization).toBe(`Bearer ${ACME.token}`);
      expect(request.status).toBe(200);
    }
  });

  it('pages over the customer with more than 100 rows', async () => {
    const { h, augurRequests } = suite;
    const customerId = FIX.acme.bigCustomerId;
    const first = ok(await h.call('list_invoices', { customerId, limit: 100 }));
    expect(first.total).toBeGreaterThan(100);
    expect(first.items).toHaveLength(100);
    expect(first).toMatchObject({ limit: 100, offset: 0, hasMore: true, nextOffset: 100 });
    const second = ok(await h.call('list_invoices', { customerId, limit: 100, offset: first.nextOffset }));
    expect(second).toMatchObject({ total: first.total, offset: 100, hasMore: false });
    expect(second).not.toHaveProperty('nextOffset');
    expect(second.items).toHaveLength(first.total - 100);
    const numbers = new Set([...first.items, ...second.items].map((i: Structured) => String(i.invoiceNo)));
    expect(numbers.size).toBe(first.total);
    expect(augurRequests().map((r) => r.query)).toEqual([
      expect.objectContaining({ limit: '100', offset: '0' }),
      expect.objectContaining({ limit: '100', offset: '100' }),
    ]);

    const middle = ok(await h.call('lookup_customer', { q: 'a', limit: 2, offset: 1 }));
    expect(middle.items.length).toBeLessThanOrEqual(2);
    expect(middle.offset).toBe(1);
    expect(middle.hasMore).toBe(middle.total > 1 + middle.items.length);

    const tooBig = await h.call('list_invoices', { customerId, limit: 101 });
    failed(tooBig, 'invalid_argument');
  });

  it('translates paidInFull into the Y/N flag', async () => {
    const { h, augurRequests } = suite;
    const customerId = FIX.acme.customerId;
    const paid = ok(await h.call('list_invoices', { customerId, paidInFull: true, limit: 100 }));
    const unpaid = ok(await h.call('list_invoices', { customerId, paidInFull: false, limit: 100 }));
    const all = ok(await h.call('list_invoices', { customerId, limit: 100 }));
    expect(paid.items.length).toBeGreaterThan(0);
    expect(unpaid.items.length).toBeGreaterThan(0);
    expect(paid.items.every((i: Structured) => i.paidInFullFlag === 'Y')).toBe(true);
    expect(unpaid.items.every((i: Structured) => i.paidInFullFlag !== 'Y')).toBe(true);
    expect(paid.total + unpaid.total).toBe(all.total);
    const [qPaid, qUnpaid, qAll] = augurRequests().map((r) => r.query);
    expect(qPaid).toMatchObject({ paidInFull: 'Y' });
    expect(qUnpaid).toMatchObject({ paidInFull: 'N' });
    expect(qAll).not.toHaveProperty('paidInFull');
  });

  it('answers get_customer_aging successfully', async () => {
    const { h } = suite;
    const c = FIX.acme.customerId;
    const aging = ok(await h.call('get_customer_aging', { customerId: c, asOf: AS_OF }));
    expect(aging.aging.asOf).toBe(AS_OF);
    expect(aging.total).toBe(aging.aging.invoiceCount);
    expect(aging.aging.invoiceCount).toBeGreaterThan(0);
  });

  it('fails every invoice tool at least once with a sensible code, a correlationId and exactly what the service received', async () => {
    const c = FIX.acme.customerId;
    const { none, badOrder, page } = FAILURE_ARGS;
    await expectEveryToolFails(
      suite,
      [
        { tool: 'list_invoices', args: { customerId: c, orderBy: badOrder }, code: 'invalid_argument', wire: { method: 'GET', path: `/customer/${c}/invoices`, query: { orderBy: badOrder, ...page }, status: 400 } },
        { tool: 'get_invoice', args: { customerId: c, invoiceNo: none }, code: 'not_found', wire: { method: 'GET', path: `/customer/${c}/invoices/${none}`, query: {}, status: 404 } },
        {
          // Well-formed but not a calendar day: only the service can tell.
          tool: 'get_customer_aging', args: { customerId: c, asOf: '2026-02-30' }, code: 'invalid_argument',
          wire: { method: 'GET', path: `/customer/${c}/aging`, query: { asOf: '2026-02-30', ...page }, status: 400 },
        },
      ],
      invoiceTools,
    );
  });

  itAnsweredAndFailedEveryTool(suite, invoiceTools, 'invoice');
});
