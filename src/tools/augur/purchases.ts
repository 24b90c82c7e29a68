import * as z from 'zod';
import { PurchasedItem, SalesUsage } from '../../clients/augur-schemas.js';
import { pageFacts, paging } from '../schema-parts.js';
import { defineTool } from '../define.js';
import { READ, augurPage, call, customerId, isoDate, listOutput, orderBy, pageResult, text, numericAugurId } from './common.js';

export const listPurchasedItems = defineTool({
  name: 'list_purchased_items',
  title: "List a customer's purchased items",
  description:
    'List the items a customer has bought: total quantity, number of invoices, last order and date, most recent first.',
  upstream: 'augur',
  group: 'documents',
  input: z.object({ customerId, orderBy: orderBy('date_last_purchased|DESC').optional(), ...augurPage() }).strict(),
  output: listOutput(PurchasedItem),
  annotations: READ,
  async handler({ customerId, ...params }, ctx) {
    const result = await ctx.clients.augur.listPurchasedItems(customerId, params, call(ctx));
    return { data: pageResult(result.data), correlationId: result.correlationId };
  },
});

export const getSalesUsage = defineTool({
  name: 'get_sales_usage',
  title: "Get a customer's sales usage",
  description:
    'Per-item quantities and totals a customer was invoiced, bucketed by week, month or year over a date range (default the last 30 days). Pages over items.',
  upstream: 'augur',
  group: 'documents',
  input: z
    .object({
      customerId,
      invoicedFrom: isoDate('First invoice day; default 30 days ago').optional(),
      invoicedTo: isoDate('Last invoice day; default today').optional(),
      totalBy: z.enum(['week', 'month', 'year']).describe('Bucket size (default week).').optional(),
      q: text(200, 'Item id or description text.').optional(),
      shipToId: numericAugurId('shipToId from list_ship_to_addresses.').optional(),
      orderBy: z
        .enum(['item_id|ASC', 'item_id|DESC', 'item_desc|ASC', 'item_desc|DESC'])
        .describe('Sort (default item_id|ASC).')
        .optional(),
      ...augurPage(),
    })
    .strict()
    .refine((a) => !a.invoicedFrom || !a.invoicedTo || a.invoicedFrom <= a.invoicedTo, {
      message: 'invoicedFrom must not be after invoicedTo',
    }),
  output: { salesUsage: SalesUsage, ...pageFacts },
  annotations: READ,
  async handler({ customerId, ...params }, ctx) {
    const result = await ctx.clients.augur.getSalesUsage(customerId, params, call(ctx));
    const report = result.data;
    const total = report.itemCount;
    const facts = { total, limit: params.limit, offset: params.offset, hasMore: params.offset + report.data.length < total };
    return { data: { salesUsage: report, ...paging(facts, report.data.length) }, correlationId: result.correlationId };
  },
});

export const purchaseTools = [listPurchasedItems, getSalesUsage];
