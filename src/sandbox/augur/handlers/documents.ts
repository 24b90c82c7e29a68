import { findCustomer, param, type SiteContext } from '../context.js';
import { list, notFound, single, type Result } from '../envelope.js';
import {
  matchesQ,
  matchesTriState,
  page,
  parseCreatedRange,
  parseFlag,
  parseIntParam,
  parseOrderBy,
  parsePaging,
  sortRows,
} from '../listing.js';
import type { OrderRow } from '../model.js';
import * as shapes from '../shapes.js';
import { CREATED_RANGE_PARAMS, CUSTOMER_PATH, PAGING, badOrderByError, orderByParam, qParam, type RouteDef } from '../route-definition.js';

/** Invoices, orders, quotes and RMAs of one customer. */

export function invoiceList(ctx: SiteContext): Result {
  const paging = parsePaging(ctx.query);
  const orderBy = parseOrderBy(ctx.query, 'invoice_hdr', ctx.store.invoices[0], 'date_created|DESC');
  const paidInFull = parseFlag(ctx.query, 'paidInFull', ['Y', 'N'] as const);
  const shipToId = parseIntParam(ctx.query, 'shipToId');
  const contactId = ctx.query.get('contactId');
  const created = parseCreatedRange(ctx.query);
  const q = ctx.query.get('q');
  const customerId = param(ctx, 'customerId');
  const matches = ctx.store.invoices.filter(
    (i) =>
      i.customerId === customerId &&
      // A null paid_in_full_flag means "not set", read as N (reference §4.1).
      (paidInFull === undefined || (i.paidInFullFlag ?? 'N') === paidInFull) &&
      (shipToId === undefined || i.shipToId === shipToId) &&
      (contactId === null || i.contactId === contactId) &&
      created(i.dateCreated) &&
      matchesQ(q, i.invoiceNo, i.poNo, i.orderNo),
  );
  return list(page(sortRows(matches, orderBy), paging).map(shapes.invoice), matches.length);
}

export function invoiceGet(ctx: SiteContext): Result {
  const customerId = param(ctx, 'customerId');
  const invoiceNo = String(param(ctx, 'invoiceNo'));
  const found = ctx.store.invoices.find((i) => i.customerId === customerId && i.invoiceNo === invoiceNo);
  if (!found) throw notFound('No invoice with this number for this customer');
  return single(shapes.invoice(found));
}

function documents(ctx: SiteContext, kind: OrderRow['kind']): OrderRow[] {
  const customerId = param(ctx, 'customerId');
  return ctx.store.orders.filter((o) => o.kind === kind && o.customerId === customerId);
}

const orderSample = (ctx: SiteContext): OrderRow | undefined => ctx.store.orders[0];

export function orderList(ctx: SiteContext): Result {
  // The one list endpoint documented to 404 on an unknown customer (reference §2.3.10).
  if (!findCustomer(ctx)) throw notFound('No customer with this customerId');
  const paging = parsePaging(ctx.query);
  const orderBy = parseOrderBy(ctx.query, 'oe_hdr', orderSample(ctx), 'date_created|DESC');
  const cancelFlag = parseFlag(ctx.query, 'cancelFlag', ['N', 'Y', 'B'] as const, 'N');
  const deleteFlag = parseFlag(ctx.query, 'deleteFlag', ['N', 'Y', 'B'] as const, 'N');
  const fullDocument = parseFlag(ctx.query, 'fullDocument', ['Y', 'N', 'L'] as const, 'Y');
  const addressId = parseIntParam(ctx.query, 'addressId');
  const contactId = ctx.query.get('contactId');
  const created = parseCreatedRange(ctx.query);
  const q = ctx.query.get('q');
  const matches = documents(ctx, 'order').filter(
    (o) =>
      matchesTriState(o.cancelFlag, cancelFlag) &&
      matchesTriState(o.deleteFlag, deleteFlag) &&
      (addressId === undefined || o.addressId === addressId) &&
      (contactId === null || o.contactId === contactId) &&
      created(o.dateCreated) &&
      matchesQ(q, o.orderNo, o.poNo, o.webReferenceNo),
  );
  const shape: (o: OrderRow) => unknown =
    fullDocument === 'Y'
      ? (o: OrderRow) => shapes.orderDoc(o, ctx.store)
      : fullDocument === 'L'
        ? shapes.oeHdrRowWithLines
        : shapes.oeHdrRow;
  return list(page(sortRows(matches, orderBy), paging).map(shape), matches.length);
}

function getDocument(ctx: SiteContext, kind: OrderRow['kind'], placeholder: string, message: string): Result {
  const number = String(param(ctx, placeholder));
  const found = documents(ctx, kind).find((o) => o.orderNo === number);
  if (!found) throw notFound(message);
  return single(shapes.orderDoc(found, ctx.store));
}

export const orderGet = (ctx: SiteContext): Result => getDocument(ctx, 'order', 'orderNo', 'No order with this number for this customer');
export const quoteGet = (ctx: SiteContext): Result => getDocument(ctx, 'quote', 'quoteNo', 'No quote with this number for this customer');
export const rmaGet = (ctx: SiteContext): Result => getDocument(ctx, 'rma', 'rmaNo', 'No RMA with this number for this customer');

export function quoteList(ctx: SiteContext): Result {
  const paging = parsePaging(ctx.query);
  const orderBy = parseOrderBy(ctx.query, 'oe_hdr', orderSample(ctx), 'date_created|DESC');
  const addressId = parseIntParam(ctx.query, 'addressId');
  const contactId = ctx.query.get('contactId');
  const created = parseCreatedRange(ctx.query);
  const matches = documents(ctx, 'quote').filter(
    (o) => (addressId === undefined || o.addressId === addressId) && (contactId === null || o.contactId === contactId) && created(o.dateCreated),
  );
  return list(page(sortRows(matches, orderBy), paging).map((o) => shapes.orderDoc(o, ctx.store)), matches.length);
}

export function rmaList(ctx: SiteContext): Result {
  const paging = parsePaging(ctx.query);
  const orderBy = parseOrderBy(ctx.query, 'oe_hdr', orderSample(ctx), 'date_created|DESC');
  const created = parseCreatedRange(ctx.query);
  const matches = documents(ctx, 'rma').filter((o) => created(o.dateCreated));
  return list(page(sortRows(matches, orderBy), paging).map((o) => shapes.orderDoc(o, ctx.store)), matches.length);
}

export const INVOICE_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET', path: `${CUSTOMER_PATH}/invoices`, auth: 'bearer', summary: 'Invoices of a customer, with lines',
    data: { kind: 'list', shape: 'Invoice' },
    query: [
      { name: 'contactId', type: 'string' }, ...CREATED_RANGE_PARAMS, ...PAGING, orderByParam('date_created|DESC', 'invoice_hdr'),
      { name: 'paidInFull', type: 'string', enum: ['Y', 'N'] }, qParam(), { name: 'shipToId', type: 'integer' },
    ],
    errors: badOrderByError('invoice_hdr'), handler: invoiceList,
  },
  {
    method: 'GET', path: `${CUSTOMER_PATH}/invoices/{invoiceNo}`, auth: 'bearer', summary: 'One invoice',
    data: { kind: 'object', shape: 'Invoice' }, errors: { 404: 'No invoice with this number for this customer' }, handler: invoiceGet,
  },
];

export const ORDER_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET', path: `${CUSTOMER_PATH}/orders`, auth: 'bearer', summary: 'Orders of a customer',
    data: { kind: 'list', shape: 'OrderDoc | OeHdrRow | OeHdrRowWithLines (by fullDocument)' },
    query: [
      { name: 'addressId', type: 'integer' },
      { name: 'cancelFlag', type: 'string', enum: ['N', 'Y', 'B'], default: 'N', description: 'B = both' },
      { name: 'contactId', type: 'string' }, ...CREATED_RANGE_PARAMS,
      { name: 'deleteFlag', type: 'string', enum: ['N', 'Y', 'B'], default: 'N', description: 'B = both' },
      { name: 'fullDocument', type: 'string', enum: ['Y', 'N', 'L'], default: 'Y', description: 'Y full document, N header row, L header + light lines' },
      ...PAGING, orderByParam('date_created|DESC', 'oe_hdr'), qParam(),
    ],
    errors: { 400: 'customerId is below 1, or bad orderBy', 404: 'No customer with this customerId' }, handler: orderList,
  },
  {
    method: 'GET', path: `${CUSTOMER_PATH}/orders/{orderNo}`, auth: 'bearer', summary: 'One order document',
    data: { kind: 'object', shape: 'OrderDoc' }, errors: { 404: 'No order with this number for this customer' }, handler: orderGet,
  },
];

export const QUOTE_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET', path: `${CUSTOMER_PATH}/quotes`, auth: 'bearer', summary: 'Quotes of a customer',
    data: { kind: 'list', shape: 'OrderDoc' },
    query: [{ name: 'addressId', type: 'integer' }, { name: 'contactId', type: 'string' }, ...CREATED_RANGE_PARAMS, ...PAGING, orderByParam('date_created|DESC', 'oe_hdr')],
    errors: badOrderByError('oe_hdr'), handler: quoteList,
  },
  {
    method: 'GET', path: `${CUSTOMER_PATH}/quotes/{quoteNo}`, auth: 'bearer', summary: 'One quote',
    data: { kind: 'object', shape: 'OrderDoc' }, errors: { 404: 'No quote with this number for this customer' }, handler: quoteGet,
  },
];

export const RMA_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET', path: `${CUSTOMER_PATH}/rmas`, auth: 'bearer', summary: 'RMAs of a customer',
    data: { kind: 'list', shape: 'OrderDoc' }, query: [...CREATED_RANGE_PARAMS, ...PAGING, orderByParam('date_created|DESC', 'oe_hdr')],
    errors: badOrderByError('oe_hdr'), handler: rmaList,
  },
  {
    method: 'GET', path: `${CUSTOMER_PATH}/rmas/{rmaNo}`, auth: 'bearer', summary: 'One RMA',
    data: { kind: 'object', shape: 'OrderDoc' }, errors: { 404: 'No RMA with this number for this customer' }, handler: rmaGet,
  },
];
