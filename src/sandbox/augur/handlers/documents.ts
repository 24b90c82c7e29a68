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
