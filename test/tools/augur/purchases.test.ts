import { describe, expect, it } from 'vitest';
import { SANDBOX_AUGUR_FIXTURES as FIX } from '../../../src/sandbox/augur/index.js';
import { purchaseTools } from '../../../src/tools/augur/purchases.js';
import { AS_OF, ok, USAGE_FROM } from '../../support/augur.js';
import { expectEveryToolFails, FAILURE_ARGS, itAnsweredAndFailedEveryTool, useAugurToolSuite } from '../../support/augur-tools.js';

// list_purchased_items, get_sales_usage (src/tools/augur/purchases.ts) over the SDK Client against the sandbox.
describe('Augur purchase tools', () => {
  const suite = useAugurToolSuite();

  it('answers every purchase read tool successfully', async () => {
    const { h, augurRequests } = suite;
    const c = FIX.acme.customerId;
    const purchased = ok(await h.call('list_purchased_items', { customerId: c }));
    expect(purchased.items[0]).toHaveProperty('itemId');

    const usage = ok(
      await h.call('get_sales_usage', { customerId: c, invoicedFrom: USAGE_FROM, invoicedTo: AS_OF, totalBy: 'month' }),
    );
    expect(usage.salesUsage.totalBy).toBe('month');
    expect(usage.total).toBe(usage.salesUsage.itemCount);
    const q = augurRequests().find((r) => r.path.endsWith('/sales-usage'))!.query;
    expect(q).toMatchObject({ invoicedFrom: USAGE_FROM, invoicedTo: AS_OF, totalBy: 'month' });
  });

  it('fails every purchase tool at least once with a sensible code, a correlationId and exactly what the service received', async () => {
    const c = FIX.acme.customerId;
    const { badOrder, page } = FAILURE_ARGS;
    await expectEveryToolFails(
      suite,
      [
        { tool: 'list_purchased_items', args: { customerId: c, orderBy: badOrder }, code: 'invalid_argument', wire: { method: 'GET', path: `/customer/${c}/purchased-items`, query: { orderBy: badOrder, ...page }, status: 400 } },
        {
          tool: 'get_sales_usage', args: { customerId: c, invoicedFrom: '2026-02-30', invoicedTo: AS_OF }, code: 'invalid_argument',
          wire: { method: 'GET', path: `/customer/${c}/sales-usage`, query: { invoicedFrom: '2026-02-30', invoicedTo: AS_OF, ...page }, status: 400 },
        },
        { tool: 'get_sales_usage', args: { customerId: c, invoicedFrom: AS_OF, invoicedTo: USAGE_FROM }, code: 'invalid_argument', wire: null },
      ],
      purchaseTools,
    );
  });

  itAnsweredAndFailedEveryTool(suite, purchaseTools, 'purchase');
});
