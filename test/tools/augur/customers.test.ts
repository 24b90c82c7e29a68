import { describe, expect, it } from 'vitest';
import { SANDBOX_AUGUR_FIXTURES as FIX } from '../../../src/sandbox/augur/index.js';
import { customerTools } from '../../../src/tools/augur/customers.js';
import { failed, ok } from '../../support/augur.js';
import {
  ACME,
  expectEveryToolFails,
  FAILURE_ARGS,
  itAnsweredAndFailedEveryTool,
  useAugurToolSuite,
  withForeignToken,
} from '../../support/augur-tools.js';
import type { Structured } from '../../support/harness.js';

// lookup_customer, list_customers, get_customer (src/tools/augur/customers.ts) over the SDK Client against the sandbox.
describe('Augur customer tools', () => {
  const suite = useAugurToolSuite();

  it('walks lookup_customer → list_invoices → get_invoice → list_customer_orders → get_customer_order: the lookup step', async () => {
    const { h, augurRequests } = suite;
    const lookup = ok(await h.call('lookup_customer', { q: FIX.acme.customerQuery }));
    const customer = lookup.items.find((c: Structured) => c.customerName === FIX.acme.customerName);
    expect(customer).toBeDefined();
    expect(Number(customer.customerId)).toBe(FIX.acme.customerId);

    const sent = augurRequests();
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /customer/lookup']);
    for (const request of sent) {
      expect(request.headers['x-site-id']).toBe(ACME.siteId);
      expect(request.headers.authorization).toBe(`Bearer ${ACME.token}`);
      expect(request.status).toBe(200);
    }
    expect(sent[0]!.query).toMatchObject({ q: FIX.acme.customerQuery, limit: '10', offset: '0' });
  });

  it('answers every customer read tool successfully', async () => {
    const { h } = suite;
    const c = FIX.acme.customerId;
    const customers = ok(await h.call('list_customers', { q: FIX.acme.customerName, orderBy: 'customer_id|ASC' }));
    expect(customers.items[0]).toMatchObject({ customerName: FIX.acme.customerName });
    const doc = ok(await h.call('get_customer', { customerId: c })).customer;
    expect(doc.salesRepId).toBeTruthy();
  });

  it('reports unknown ids as not_found with the service message', async () => {
    const error = failed(await suite.h.call('get_customer', { customerId: 9_999_999 }), 'not_found');
    expect(error.upstreamStatus).toBe(404);
    expect(error.upstreamMessages.join(' ')).toMatch(/customer/i);
  });

  it('fails every customer tool at least once with a sensible code, a correlationId and exactly what the service received', async () => {
    const { none, badOrder, page } = FAILURE_ARGS;
    await withForeignToken(suite, (foreign) =>
      expectEveryToolFails(
        suite,
        [
          { tool: 'lookup_customer', args: { q: '   ' }, code: 'invalid_argument', wire: null },
          { tool: 'lookup_customer', args: { q: 'a' }, code: 'forbidden_tenant', via: foreign, wire: { method: 'GET', path: '/customer/lookup', query: { q: 'a', ...page }, status: 403 } },
          { tool: 'list_customers', args: { orderBy: badOrder }, code: 'invalid_argument', wire: { method: 'GET', path: '/customer', query: { orderBy: badOrder, ...page }, status: 400 } },
          { tool: 'get_customer', args: { customerId: none }, code: 'not_found', wire: { method: 'GET', path: `/customer/${none}/doc`, query: {}, status: 404 } },
        ],
        customerTools,
      ),
    );
  });

  itAnsweredAndFailedEveryTool(suite, customerTools, 'customer');
});
