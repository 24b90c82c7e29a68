import * as z from 'zod';
import { Aging, Invoice } from '../../clients/augur-schemas.js';
import { pageFacts, paging } from '../schema-parts.js';
import { defineTool } from '../define.js';
import { READ, augurId, augurPage, call, customerId, isoDate, listOutput, orderBy, pageResult, text, yn, numericAugurId } from './common.js';

const shipToId = numericAugurId('shipToId from list_ship_to_addresses.');

export const listInvoices = defineTool({
  name: 'list_invoices',
  title: "List a customer's invoices",
  description:
    "List a customer's invoices with lines, newest first; filter by paidInFull (false = open balance), shipToId or text q (invoice, PO or order number). invoiceNo feeds get_invoice.",
  upstream: 'augur',
  group: 'documents',
  input: z
    .object({
      customerId,
      q: text(200, 'Invoice, PO or order number text.').optional(),
      paidInFull: z.boolean().describe('true: only paid invoices; false: only invoices with a balance; omit: all.').optional(),
      shipToId: shipToId.optional(),
      orderBy: orderBy('invoice_date|DESC').optional(),
      ...augurPage(),
    })
    .strict(),
  output: listOutput(Invoice),
  annotations: READ,
  async handler({ customerId, paidInFull, ...params }, ctx) {
    const result = await ctx.clients.augur.listInvoices(customerId, { ...params, paidInFull: yn(paidInFull) }, call(ctx));
    return { data: pageResult(result.data), correlationId: result.correlationId };
  },
});

export const getInvoice = defineTool({
  name: 'get_invoice',
  title: 'Get an invoice',
  description:
    'Get one invoice of a customer: bill-to/ship-to, amounts, paid status and lines. invoiceNo comes from list_invoices (or an order\'s pick ticket).',
  upstream: 'augur',
  group: 'documents',
  input: z.object({ customerId, invoiceNo: augurId('invoiceNo from list_invoices, e.g. "1000123".') }).strict(),
  output: { invoice: Invoice },
  annotations: READ,
  async handler(args, ctx) {
    const result = await ctx.clients.augur.getInvoice(args.customerId, args.invoiceNo, call(ctx));
    return { data: { invoice: result.data }, correlationId: result.correlationId };
  },
});

export const getCustomerAging = defineTool({
  name: 'get_customer_aging',
  title: "Get a customer's invoice aging",
  description:
    "Age a customer's outstanding invoice balances into current/30/60/90-day buckets as of a date (default today): bucket totals plus a page of the open invoices.",
  upstream: 'augur',
  group: 'documents',
  input: z
    .object({
      customerId,
      asOf: isoDate('Age balances as of this day; default today').optional(),
      shipToId: shipToId.optional(),
      orderBy: orderBy('invoice_date|ASC').optional(),
      ...augurPage(),
    })
    .strict(),
  output: { aging: Aging, ...pageFacts },
  annotations: READ,
  async handler({ customerId, ...params }, ctx) {
    const result = await ctx.clients.augur.getCustomerAging(customerId, params, call(ctx));
    const aging = result.data;
    const total = aging.invoiceCount;
    const facts = { total, limit: params.limit, offset: params.offset, hasMore: params.offset + aging.data.length < total };
    return { data: { aging, ...paging(facts, aging.data.length) }, correlationId: result.correlationId };
  },
});

export const invoiceTools = [listInvoices, getInvoice, getCustomerAging];
