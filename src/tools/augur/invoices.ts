import * as z from 'zod';
import { Aging, Invoice } from '../../clients/augur-schemas.js';
import { READ, defineTool } from '../define.js';
import { listOutput, pageFacts, text } from '../schema-parts.js';
import { returns, returnsPage } from '../upstream-call.js';
import { augurId, augurPage, customerId, isoDate, numericAugurId, orderBy, reportPaging, yn } from './common.js';

const shipToId = numericAugurId('shipToId from list_ship_to_addresses.');

export const listInvoices = defineTool({
  name: 'list_invoices',
  title: "List a customer's invoices",
  description:
    "List a customer's invoices, newest first. Overdue: get_customer_aging.",
  upstream: 'augur',
  group: 'documents',
  endpoint: 'GET /customer/{customerId}/invoices',
  input: z
    .object({
      customerId,
      q: text(200, 'Invoice, PO or order number.').optional(),
      paidInFull: z.boolean().describe('false: only open balances; omit: all.').optional(),
      shipToId: shipToId.optional(),
      orderBy: orderBy('invoice_date|DESC').optional(),
      ...augurPage(),
    })
    .strict(),
  output: listOutput(Invoice),
  summaryFields: ['invoiceNo', 'orderNo', 'invoiceDate', 'poNo', 'ship2Name', 'totalAmount', 'amountPaid', 'paidInFullFlag', 'datePaid'],
  annotations: READ,
  handler: returnsPage(({ customerId, paidInFull, ...params }, { clients, call }) =>
    clients.augur.listInvoices(customerId, { ...params, paidInFull: yn(paidInFull) }, call),
  ),
});

export const getInvoice = defineTool({
  name: 'get_invoice',
  title: 'Get an invoice',
  description:
    'One invoice of a customer: addresses, amounts, paid status, lines.',
  upstream: 'augur',
  group: 'documents',
  endpoint: 'GET /customer/{customerId}/invoices/{invoiceNo}',
  input: z.object({ customerId, invoiceNo: augurId('From list_invoices or an order\'s pick ticket.') }).strict(),
  output: { invoice: Invoice },
  annotations: READ,
  handler: returns('invoice', (args, { clients, call }) => clients.augur.getInvoice(args.customerId, args.invoiceNo, call)),
});

export const getCustomerAging = defineTool({
  name: 'get_customer_aging',
  title: "Get a customer's invoice aging",
  description:
    "Age a customer's open invoice balances into current/30/60/90-day buckets: totals and a page of open invoices.",
  upstream: 'augur',
  group: 'documents',
  endpoint: 'GET /customer/{customerId}/aging',
  input: z
    .object({
      customerId,
      asOf: isoDate('Default today').optional(),
      shipToId: shipToId.optional(),
      orderBy: orderBy('invoice_date|ASC').optional(),
      ...augurPage(),
    })
    .strict(),
  output: { aging: Aging, ...pageFacts },
  annotations: READ,
  async handler({ customerId, ...params }, { clients, call }) {
    const { data: aging, correlationId } = await clients.augur.getCustomerAging(customerId, params, call);
    return { data: { aging, ...reportPaging(params, aging.data.length, aging.invoiceCount) }, correlationId };
  },
});

export const invoiceTools = [listInvoices, getInvoice, getCustomerAging];
