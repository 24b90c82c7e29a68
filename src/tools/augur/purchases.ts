import * as z from 'zod';
import { PurchasedItem, SalesUsage } from '../../clients/augur-schemas.js';
import { READ, defineTool } from '../define.js';
import { listOutput, pageFacts, text } from '../schema-parts.js';
import { returnsPage } from '../upstream-call.js';
import { augurPage, customerId, isoDate, numericAugurId, orderBy, reportPaging } from './common.js';

export const listPurchasedItems = defineTool({
  name: 'list_purchased_items',
  title: "List a customer's purchased items",
  description:
    'Items a customer has bought: total quantity, invoice count, last order and date; most recent first.',
  upstream: 'augur',
  group: 'documents',
  endpoint: 'GET /customer/{customerId}/purchased-items',
  input: z.object({ customerId, orderBy: orderBy('date_last_purchased|DESC').optional(), ...augurPage() }).strict(),
  output: listOutput(PurchasedItem),
  summaryFields: ['invMastUid', 'itemId', 'itemDesc', 'count', 'invoices', 'lastOrderNo', 'dateLastPurchased'],
  annotations: READ,
  handler: returnsPage(({ customerId, ...params }, { clients, call }) => clients.augur.listPurchasedItems(customerId, params, call)),
});

export const getSalesUsage = defineTool({
  name: 'get_sales_usage',
  title: "Get a customer's sales usage",
  description:
    'Item quantities and totals invoiced to a customer (default last 30 days), by week, month or year.',
  upstream: 'augur',
  group: 'documents',
  endpoint: 'GET /customer/{customerId}/sales-usage',
  input: z
    .object({
      customerId,
      invoicedFrom: isoDate().optional(),
      invoicedTo: isoDate().optional(),
      totalBy: z.enum(['week', 'month', 'year']).optional(),
      q: text(200).optional(),
      shipToId: numericAugurId('shipToId from list_ship_to_addresses.').optional(),
      orderBy: z
        .enum(['item_id|ASC', 'item_id|DESC', 'item_desc|ASC', 'item_desc|DESC'])
        .optional(),
      ...augurPage(),
    })
    .strict()
    .refine((a) => !a.invoicedFrom || !a.invoicedTo || a.invoicedFrom <= a.invoicedTo, {
      message: 'invoicedFrom must not be after invoicedTo',
    }),
  output: { salesUsage: SalesUsage, ...pageFacts },
  annotations: READ,
  async handler({ customerId, ...params }, { clients, call }) {
    const { data: salesUsage, correlationId } = await clients.augur.getSalesUsage(customerId, params, call);
    return { data: { salesUsage, ...reportPaging(params, salesUsage.data.length, salesUsage.itemCount) }, correlationId };
  },
});

export const purchaseTools = [listPurchasedItems, getSalesUsage];
