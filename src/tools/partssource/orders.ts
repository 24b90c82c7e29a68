import * as z from 'zod';
import { Order, OrderSummary } from '../../clients/partssource-schemas.js';
import { READ, WRITE, defineTool } from '../define.js';
import { listOutput, pageArgs, positiveId, text } from '../schema-parts.js';
import { returns, returnsPage } from '../upstream-call.js';

const OrderItem = z
  .object({
    priceOptionId: z.string().trim().min(1).max(100).describe('From get_part_detail.'),
    productId: z.string().trim().min(1).max(100),
    quantity: z.number().int().min(1).max(10_000).describe('1 per line for flat-rate repairs.'),
    price: z.number().nonnegative().describe("The option's exact price."),
    requiredFields: z
      .record(z.string().max(100), z.string().max(1000))
      .describe('If the option lists requiredFields, e.g. {"serialNumber":"..."}.')
      .optional(),
  })
  .strict();

export const createOrder = defineTool({
  name: 'create_order',
  title: 'Place a PartsSource order',
  description:
    'Order price options from get_part_detail. Retry any failure with the idempotencyKey it gave: the same order returns, never a duplicate. Repeating an order within 10 min needs allowDuplicate.',
  upstream: 'partssource',
  group: 'orders',
  endpoint: 'POST /orders',
  input: z
    .object({
      requesterId: positiveId('contactId from lookup_user.'),
      facilityId: positiveId('companies[].facilities[].id from lookup_user.'),
      shippingAddressId: positiveId('From lookup_user.'),
      billingAddressId: positiveId('From lookup_user.'),
      shippingMethod: z.enum(['NEXTDAYFIRST', 'NEXTDAYSTANDARD', 'TWODAY', 'THREEDAY', 'GROUND']),
      useShippingAccount: z.boolean().describe('Bill the customer\'s carrier account.').optional(),
      poNumber: z.string().trim().min(1).max(50).optional(),
      items: z.array(OrderItem).min(1).max(100),
      idempotencyKey: z
        .uuid()
        .describe('From an earlier result, to retry.')
        .optional(),
      allowDuplicate: z.boolean().optional(),
    })
    .strict(),
  output: {
    order: Order,
    idempotencyKey: z.string().describe('Send again to retry this same order.'),
    replayed: z.boolean().describe('True when this is the stored result of an earlier call with the key.'),
  },
  annotations: WRITE,
  // What the human confirms: the lines, prices, total and where it ships.
  confirmation(args) {
    const money = (n: number) => `$${n.toFixed(2)}`;
    const total = args.items.reduce((sum, item) => sum + item.quantity * item.price, 0);
    return [
      `Place a PartsSource order of ${args.items.length} line${args.items.length === 1 ? '' : 's'}, total ${money(total)}:`,
      ...args.items.map((item) => `- ${item.quantity} × ${item.productId} (price option ${item.priceOptionId}) at ${money(item.price)} = ${money(item.quantity * item.price)}`),
      `Ship to address ${args.shippingAddressId} (facility ${args.facilityId}) by ${args.shippingMethod}` +
        `${args.useShippingAccount ? ' on the customer\'s carrier account' : ''}; bill to address ${args.billingAddressId}.`,
      `Requester ${args.requesterId}${args.poNumber ? `, PO ${args.poNumber}` : ''}.`,
    ].join('\n');
  },
  async handler(args, { clients, call }) {
    // Without a key, the client picks one: an earlier unknown-outcome attempt's at the same body, or a new one.
    const { items, idempotencyKey, allowDuplicate, ...header } = args;
    const result = await clients.partssource.createOrder({ ...header, quoteItems: items }, call, {
      ...(idempotencyKey ? { idempotencyKey } : {}),
      ...(allowDuplicate ? { allowDuplicate } : {}),
    });
    return {
      data: { order: result.data, idempotencyKey: result.idempotencyKey, replayed: result.replayed === true },
      correlationId: result.correlationId,
    };
  },
});

export const getOrder = defineTool({
  name: 'get_order',
  title: 'Get a PartsSource order',
  description:
    'One order\'s status (Pending, Research, EOrdered, Completed) and lines with tracking.',
  upstream: 'partssource',
  group: 'orders',
  endpoint: 'GET /orders/{orderId}',
  input: z.object({ orderId: positiveId('From create_order or search_orders.') }).strict(),
  output: { order: Order },
  annotations: READ,
  handler: returns('order', (args, { clients, call }) => clients.partssource.getOrder(args.orderId, call)),
});

export const searchOrders = defineTool({
  name: 'search_orders',
  title: 'Search PartsSource orders',
  description:
    'Search orders. q names orderId, poNumber or lineId, or a companyId and a createdDate range of at most 366 days, e.g. poNumber:"PO-456" or companyId:1001 AND createdDate>="2026-01-01" AND createdDate<="2026-06-30"; status:"Pending" may be added.',
  upstream: 'partssource',
  group: 'orders',
  endpoint: 'GET /orders/search',
  input: z
    .object({
      q: text(1000),
      ...pageArgs(100),
    })
    .strict(),
  output: listOutput(OrderSummary),
  summaryFields: ['orderId', 'status', 'poNumber', 'createdDate', 'companyId', 'requesterId', 'lineCount'],
  annotations: READ,
  handler: returnsPage((args, { clients, call }) => clients.partssource.searchOrders(args, call)),
});

export const orderTools = [createOrder, getOrder, searchOrders];
