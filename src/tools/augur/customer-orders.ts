import * as z from 'zod';
import { OrderDoc, OrderListItem } from '../../clients/augur-schemas.js';
import { READ, defineTool } from '../define.js';
import { listOutput, text } from '../schema-parts.js';
import { returns, returnsPage } from '../upstream-call.js';
import { augurId, augurPage, createdParams, createdRange, customerId, orderBy } from './common.js';

const DETAIL = { summary: 'N', lines: 'L', full: 'Y' } as const;
/** A quote's or RMA's key fields in a list (its number is its orderNo). */
const ORDER_DOC_SUMMARY = ['orderNo', 'orderDate', 'requestedDate', 'orderStatus', 'poNo', 'jobName', 'contactId'];
const both = (include: boolean | undefined) => (include ? ('B' as const) : ('N' as const));

export const listCustomerOrders = defineTool({
  name: 'list_customer_orders',
  title: "List a customer's orders",
  description:
    "List a customer's P21 orders, newest first.",
  upstream: 'augur',
  group: 'documents',
  endpoint: 'GET /customer/{customerId}/orders',
  input: z
    .object({
      customerId,
      q: text(200, 'Order or PO number.').optional(),
      contactId: augurId('id from list_customer_contacts.').optional(),
      includeCancelled: z.boolean().optional(),
      includeDeleted: z.boolean().optional(),
      ...createdRange(),
      detail: z.enum(['summary', 'lines', 'full']).default('summary').describe('summary: key headers; full: documents.'),
      orderBy: orderBy('date_created|DESC').optional(),
      ...augurPage(),
    })
    .strict(),
  output: listOutput(OrderListItem),
  summaryFields: ['orderNo', 'orderDate', 'poNo', 'orderStatus', 'completed', 'cancelFlag', 'deleteFlag', 'contactId'],
  annotations: READ,
  handler: returnsPage(({ customerId, contactId, includeCancelled, includeDeleted, detail, createdFrom, createdTo, ...params }, { clients, call }) =>
    clients.augur.listOrders(
      customerId,
      {
        ...params,
        ...createdParams({ createdFrom, createdTo }),
        ...(contactId !== undefined ? { contactId: String(contactId) } : {}),
        cancelFlag: both(includeCancelled),
        deleteFlag: both(includeDeleted),
        fullDocument: DETAIL[detail],
      },
      call,
    ),
  ),
});

export const getCustomerOrder = defineTool({
  name: 'get_customer_order',
  title: 'Get a customer order',
  description:
    'One P21 order of a customer: status, ship-to, lines, pick tickets with tracking and invoice numbers.',
  upstream: 'augur',
  group: 'documents',
  endpoint: 'GET /customer/{customerId}/orders/{orderNo}',
  input: z.object({ customerId, orderNo: augurId('orderNo from list_customer_orders.') }).strict(),
  output: { order: OrderDoc },
  annotations: READ,
  handler: returns('order', (args, { clients, call }) => clients.augur.getOrder(args.customerId, args.orderNo, call)),
});

export const listQuotes = defineTool({
  name: 'list_quotes',
  title: "List a customer's quotes",
  description: "List a customer's quotes, newest first; an item's orderNo is its quoteNo.",
  upstream: 'augur',
  group: 'documents',
  endpoint: 'GET /customer/{customerId}/quotes',
  input: z.object({ customerId, orderBy: orderBy('date_created|DESC').optional(), ...augurPage() }).strict(),
  output: listOutput(OrderDoc),
  summaryFields: ORDER_DOC_SUMMARY,
  annotations: READ,
  handler: returnsPage(({ customerId, ...params }, { clients, call }) => clients.augur.listQuotes(customerId, params, call)),
});

export const getQuote = defineTool({
  name: 'get_quote',
  title: 'Get a quote',
  description: 'One quote of a customer as an order document with lines.',
  upstream: 'augur',
  group: 'documents',
  endpoint: 'GET /customer/{customerId}/quotes/{quoteNo}',
  input: z.object({ customerId, quoteNo: augurId('orderNo of a list_quotes item.') }).strict(),
  output: { quote: OrderDoc },
  annotations: READ,
  handler: returns('quote', (args, { clients, call }) => clients.augur.getQuote(args.customerId, args.quoteNo, call)),
});

export const listRmas = defineTool({
  name: 'list_rmas',
  title: "List a customer's RMAs",
  description:
    "List a customer's RMAs (returns), newest first; an item's orderNo is its rmaNo.",
  upstream: 'augur',
  group: 'documents',
  endpoint: 'GET /customer/{customerId}/rmas',
  input: z.object({ customerId, orderBy: orderBy('date_created|DESC').optional(), ...augurPage() }).strict(),
  output: listOutput(OrderDoc),
  summaryFields: ORDER_DOC_SUMMARY,
  annotations: READ,
  handler: returnsPage(({ customerId, ...params }, { clients, call }) => clients.augur.listRmas(customerId, params, call)),
});

export const getRma = defineTool({
  name: 'get_rma',
  title: 'Get an RMA',
  description: 'One RMA (return) of a customer as an order document with lines.',
  upstream: 'augur',
  group: 'documents',
  endpoint: 'GET /customer/{customerId}/rmas/{rmaNo}',
  input: z.object({ customerId, rmaNo: augurId('orderNo of a list_rmas item.') }).strict(),
  output: { rma: OrderDoc },
  annotations: READ,
  handler: returns('rma', (args, { clients, call }) => clients.augur.getRma(args.customerId, args.rmaNo, call)),
});

export const customerOrderTools = [listCustomerOrders, getCustomerOrder, listQuotes, getQuote, listRmas, getRma];
