import { readText } from '../body.js';
import { findCustomer, param, requireCustomer, timestamp, type SiteContext } from '../context.js';
import { list, notFound, single, type Result } from '../envelope.js';
import {
  matchesQ,
  page,
  parseFlag,
  parseOrderBy,
  parsePaging,
  parseStatusCd,
  requireQ,
  sortRows,
} from '../listing.js';
import type { AddressRow, ContactRow, CustomerRow, ShipToRow } from '../model.js';
import * as shapes from '../shapes.js';
import { CUSTOMER_PATH, PAGING, STATUS_CD_PARAM, badOrderByError, orderByParam, qParam, type RouteDef } from '../route-definition.js';

/** Customers, their contacts, ship-tos, addresses lookup, purchased items, and a salesrep's customers. */

function listCustomers(ctx: SiteContext, rows: CustomerRow[], q: string | null): Result {
  const paging = parsePaging(ctx.query);
  // /customer documents the odd default `ordering|ASC`; it sorts by customer_id (reference §5 #6).
  const orderBy = parseOrderBy(ctx.query, 'customer', ctx.store.customers[0], 'customer_id|ASC', { ordering: 'customerId' });
  const class5Id = ctx.query.get('class5Id');
  const statusCd = parseStatusCd(ctx.query);
  const matches = rows.filter(
    (c) =>
      (class5Id === null || c.class5Id === class5Id) &&
      (statusCd === undefined || statusCd.includes(c.statusCd)) &&
      matchesQ(q, c.customerName, c.customerId),
  );
  return list(page(sortRows(matches, orderBy), paging).map(shapes.customerDoc), matches.length);
}

export function customerList(ctx: SiteContext): Result {
  const companyId = ctx.query.get('companyId');
  const deleteFlag = parseFlag(ctx.query, 'deleteFlag', ['Y', 'N'] as const);
  const rows = ctx.store.customers.filter(
    (c) => (companyId === null || c.companyId === companyId) && (deleteFlag === undefined || c.deleteFlag === deleteFlag),
  );
  return listCustomers(ctx, rows, ctx.query.get('q'));
}

export function customerLookup(ctx: SiteContext): Result {
  const q = requireQ(ctx.query);
  const paging = parsePaging(ctx.query);
  const orderBy = parseOrderBy(ctx.query, 'customer', ctx.store.customers[0], 'customer_id|ASC');
  const statusCd = parseStatusCd(ctx.query);
  const matches = ctx.store.customers.filter(
    (c) => (statusCd === undefined || statusCd.includes(c.statusCd)) && matchesQ(q, c.customerName, c.customerId),
  );
  return list(page(sortRows(matches, orderBy), paging).map(shapes.customerLookupItem), matches.length);
}

export function customerDoc(ctx: SiteContext): Result {
  return single(shapes.customerDoc(requireCustomer(ctx)));
}

/** The customer's own P21 address plus its ship-to addresses; q matches name or mail_address1. */
function customerP21Addresses(ctx: SiteContext, customer: CustomerRow): AddressRow[] {
  const ids = [customer.customerId, ...ctx.store.shipTos.filter((s) => s.customerId === customer.customerId).map((s) => s.shipToId)];
  return ids.map((id) => ctx.store.addresses.get(id)).filter((a): a is AddressRow => a !== undefined);
}

export function addressLookup(ctx: SiteContext): Result {
  const q = requireQ(ctx.query);
  const paging = parsePaging(ctx.query);
  const customer = findCustomer(ctx);
  if (!customer) return list([], 0);
  const matches = customerP21Addresses(ctx, customer).filter((a) => matchesQ(q, a.name, a.mailAddress1));
  return list(page(matches, paging).map(shapes.addressLookupItem), matches.length);
}

export function contactList(ctx: SiteContext): Result {
  const q = requireQ(ctx.query);
  const paging = parsePaging(ctx.query);
  const orderBy = parseOrderBy(ctx.query, 'contacts', ctx.store.contacts[0], 'email_address|ASC');
  const customerId = param(ctx, 'customerId');
  const matches = ctx.store.contacts.filter(
    (c) => c.addressId === customerId && matchesQ(q, c.firstName, c.lastName, `${c.firstName} ${c.lastName}`, c.emailAddress),
  );
  return list(page(sortRows(matches, orderBy), paging).map((c) => shapes.customerContact(c, ctx.store)), matches.length);
}

/**
 * Creates a P21 contact on the customer. The body is "passed to the P21 Entity API as sent", so keys may be
 * camelCase or PascalCase; the answer is `true` without the new id (reference §2.3.8, §5 #11).
 */
export function contactCreate(ctx: SiteContext): Result {
  const customer = requireCustomer(ctx);
  const body = ctx.body;
  const now = timestamp(ctx);
  const id = String(ctx.store.nextId.contact++);
  const contact: ContactRow = {
    id,
    firstName: readText(body, 'firstName') ?? '',
    lastName: readText(body, 'lastName') ?? '',
    title: readText(body, 'title'),
    emailAddress: readText(body, 'emailAddress') ?? readText(body, 'email'),
    phone: readText(body, 'phone') ?? readText(body, 'directPhone'),
    ext: readText(body, 'ext') ?? readText(body, 'phoneExt'),
    cellular: readText(body, 'cellular'),
    directPhone: readText(body, 'directPhone') ?? readText(body, 'phone'),
    addressId: customer.customerId,
    contactRoleUid: null,
    class1Id: readText(body, 'class1Id'),
    class2Id: readText(body, 'class2Id'),
    class3Id: readText(body, 'class3Id'),
    class4Id: readText(body, 'class4Id'),
    class5Id: readText(body, 'class5Id'),
    salesrepDefaultLocationId: null,
    webAllowance: 0,
    dateCreated: now,
    dateLastModified: now,
  };
  ctx.store.contacts.push(contact);
  const udFields = body.userDefinedFields;
  if (udFields && typeof udFields === 'object' && !Array.isArray(udFields) && Object.keys(udFields).length > 0) {
    ctx.store.contactUd.set(id, {
      id,
      contactsUdUid: ctx.store.nextId.contactsUdUid++,
      dateCreated: now,
      dateLastModified: now,
      createdBy: 'api',
      lastMaintainedBy: 'api',
      fields: { ...(udFields as Record<string, unknown>) },
    });
  }
  return single(true);
}

function customerShipTos(ctx: SiteContext): ShipToRow[] {
  const customerId = param(ctx, 'customerId');
  return ctx.store.shipTos.filter((s) => s.customerId === customerId);
}

export function shipToList(ctx: SiteContext): Result {
  const paging = parsePaging(ctx.query);
  const orderBy = parseOrderBy(ctx.query, 'ship_to', ctx.store.shipTos[0], 'date_created|DESC');
  // `q` is optional here (SKILL's "Lookup Customer ShipTo" on this path); same match as /ship-to/lookup.
  const q = ctx.query.get('q');
  const matches = customerShipTos(ctx).filter((s) => {
    const a = ctx.store.addresses.get(s.shipToId);
    return matchesQ(q, a?.name, a?.mailAddress1);
  });
  return list(page(sortRows(matches, orderBy), paging).map((s) => shapes.shipTo(s, ctx.store)), matches.length);
}

export function shipToLookup(ctx: SiteContext): Result {
  const paging = parsePaging(ctx.query);
  const orderBy = parseOrderBy(ctx.query, 'address', ctx.store.addresses.values().next().value, 'id|ASC');
  const q = ctx.query.get('q');
  const pairs = customerShipTos(ctx)
    .map((s) => ({ s, a: ctx.store.addresses.get(s.shipToId) }))
    .filter((p): p is { s: ShipToRow; a: AddressRow } => p.a !== undefined && matchesQ(q, p.a.name, p.a.mailAddress1));
  const sorted = sortRows(
    pairs.map((p) => p.a),
    orderBy,
  ).map((a) => pairs.find((p) => p.a === a) as { s: ShipToRow; a: AddressRow });
  return list(page(sorted, paging).map((p) => shapes.shipToLookupItem(p.a, p.s)), sorted.length);
}

/** Creates a ship-to and its address from `shipToAddress` (P21 ShipToAddress fields); answers `true`. */
export function shipToCreate(ctx: SiteContext): Result {
  const customer = requireCustomer(ctx);
  const body = ctx.body;
  const raw = body.shipToAddress ?? body.ShipToAddress;
  const addr = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const now = timestamp(ctx);
  const id = ctx.store.nextId.address++;
  const text = (name: string): string | null => readText(addr, name) ?? readText(body, name);
  const mail1 = text('mailAddress1') ?? text('physAddress1') ?? '';
  ctx.store.addresses.set(id, {
    id,
    name: text('name') ?? customer.customerName ?? '',
    mailAddress1: mail1,
    mailAddress2: text('mailAddress2'),
    mailAddress3: text('mailAddress3'),
    mailCity: text('mailCity') ?? text('physCity'),
    mailState: text('mailState') ?? text('physState'),
    mailPostalCode: text('mailPostalCode') ?? text('physPostalCode'),
    mailCountry: text('mailCountry') ?? text('physCountry'),
    physAddress1: text('physAddress1') ?? mail1,
    physAddress2: text('physAddress2') ?? text('mailAddress2'),
    physAddress3: text('physAddress3') ?? text('mailAddress3'),
    physCity: text('physCity') ?? text('mailCity'),
    physState: text('physState') ?? text('mailState'),
    physPostalCode: text('physPostalCode') ?? text('mailPostalCode'),
    physCountry: text('physCountry') ?? text('mailCountry'),
    class5Id: customer.class5Id,
    centralPhoneNumber: text('centralPhoneNumber') ?? text('phone') ?? text('phoneNumber'),
    upsCode: text('upsCode'),
    emailAddress: text('emailAddress'),
    dateCreated: now,
  });
  ctx.store.shipTos.push({
    shipToId: id,
    customerId: customer.customerId,
    companyId: customer.companyId,
    defaultBranch: readText(body, 'defaultBranch') ?? '01',
    defaultCarrierId: null,
    preferredLocationId: null,
    deliveryInstructions: readText(body, 'deliveryInstructions'),
    shippingRouteUid: null,
    routeCode: null,
    routeDescription: null,
    freightCodeUid: null,
    dateCreated: now,
    dateLastModified: now,
  });
  return single(true);
}

export function freightCodes(ctx: SiteContext): Result {
  const shipToId = param(ctx, 'shipToId');
  const shipTo = customerShipTos(ctx).find((s) => s.shipToId === shipToId);
  const code = shipTo?.freightCodeUid == null ? undefined : ctx.store.freightCodes.get(shipTo.freightCodeUid);
  if (!code) throw notFound('The ship-to does not belong to this customer, or has no freight code');
  return single(shapes.freightCode(code));
}

/** items_x_customer, folded from the customer's invoice lines. */
export function purchasedItems(ctx: SiteContext): Result {
  const paging = parsePaging(ctx.query);
  const customerId = param(ctx, 'customerId');
  const byItem = new Map<number, { customerId: number; invMastUid: number; count: number; invoices: number; lastOrderNo: string | null; dateLastPurchased: string | null; itemId: string; itemDesc: string | null; displayDesc: string | null }>();
  for (const invoice of ctx.store.invoices) {
    if (invoice.customerId !== customerId) continue;
    for (const line of invoice.lines) {
      if (line.invMastUid === null) continue;
      const item = ctx.store.items.find((i) => i.invMastUid === line.invMastUid);
      const row = byItem.get(line.invMastUid) ?? {
        customerId,
        invMastUid: line.invMastUid,
        count: 0,
        invoices: 0,
        lastOrderNo: null,
        dateLastPurchased: null,
        itemId: line.itemId ?? '',
        itemDesc: line.itemDesc,
        displayDesc: item?.displayDesc ?? line.itemDesc,
      };
      row.count += line.qtyShipped;
      row.invoices += 1;
      if (row.dateLastPurchased === null || invoice.invoiceDate > row.dateLastPurchased) {
        row.dateLastPurchased = invoice.invoiceDate;
        row.lastOrderNo = invoice.orderNo;
      }
      byItem.set(line.invMastUid, row);
    }
  }
  const rows = [...byItem.values()].sort((a, b) => a.invMastUid - b.invMastUid);
  const sample = rows[0] ?? { customerId: 0, invMastUid: 0, count: 0, invoices: 0, lastOrderNo: null, dateLastPurchased: null, itemId: '', itemDesc: null, displayDesc: null };
  const orderBy = parseOrderBy(ctx.query, 'items_x_customer', sample, 'date_last_purchased|DESC');
  return list(page(sortRows(rows, orderBy), paging), rows.length);
}

/** "List Salesrep Customers": customers whose salesRepId is this contact. */
export function salesrepCustomers(ctx: SiteContext): Result {
  const id = String(param(ctx, 'id'));
  return listCustomers(
    ctx,
    ctx.store.customers.filter((c) => c.salesRepId === id),
    ctx.query.get('q'),
  );
}

export const CUSTOMER_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET', path: '/customer', auth: 'bearer', summary: 'List customer documents',
    data: { kind: 'list', shape: 'CustomerDoc' },
    query: [
      { name: 'class5Id', type: 'string' }, { name: 'companyId', type: 'string' },
      { name: 'deleteFlag', type: 'string', enum: ['Y', 'N'] }, ...PAGING, orderByParam('ordering|ASC', 'customer'), qParam(), STATUS_CD_PARAM,
    ],
    errors: badOrderByError('customer'), handler: customerList,
  },
  {
    method: 'GET', path: '/customer/lookup', auth: 'bearer', summary: 'Customer summary lookup',
    data: { kind: 'list', shape: 'CustomerLookupItem' },
    query: [qParam(true), ...PAGING, orderByParam('customer_id|ASC', 'customer'), STATUS_CD_PARAM],
    errors: badOrderByError('customer'), handler: customerLookup,
  },
  {
    method: 'GET', path: `${CUSTOMER_PATH}/doc`, auth: 'bearer', summary: 'One customer document',
    data: { kind: 'object', shape: 'CustomerDoc' }, errors: { 404: 'No customer with this ID' }, handler: customerDoc,
  },
  {
    method: 'GET', path: `${CUSTOMER_PATH}/address`, auth: 'bearer', summary: 'Address lookup (name or mail_address1)',
    data: { kind: 'list', shape: 'AddressLookupItem' }, query: [qParam(true), ...PAGING], handler: addressLookup,
  },
];

export const CUSTOMER_CONTACT_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET', path: `${CUSTOMER_PATH}/contacts`, auth: 'bearer', summary: 'Contacts of a customer',
    data: { kind: 'list', shape: 'CustomerContact' }, query: [qParam(true), ...PAGING, orderByParam('email_address|ASC', 'contacts')],
    errors: badOrderByError('contacts'), handler: contactList,
  },
  {
    method: 'POST', path: `${CUSTOMER_PATH}/contacts`, auth: 'bearer', summary: 'Create a P21 contact',
    data: { kind: 'boolean', shape: 'Created' }, body: 'P21Contact', handler: contactCreate,
  },
];

export const PURCHASED_ITEM_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET', path: `${CUSTOMER_PATH}/purchased-items`, auth: 'bearer', summary: 'Items the customer has bought',
    data: { kind: 'list', shape: 'PurchasedItem' }, query: [...PAGING, orderByParam('date_last_purchased|DESC', 'items_x_customer')],
    errors: badOrderByError('items_x_customer'), handler: purchasedItems,
  },
];

export const SHIP_TO_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET', path: `${CUSTOMER_PATH}/ship-to`, auth: 'bearer', summary: 'Ship-to addresses of a customer',
    data: { kind: 'list', shape: 'ShipTo' }, query: [...PAGING, orderByParam('date_created|DESC', 'ship_to'), qParam()],
    errors: badOrderByError('ship_to'), handler: shipToList,
  },
  {
    method: 'POST', path: `${CUSTOMER_PATH}/ship-to`, auth: 'bearer', summary: 'Create a P21 ship-to',
    data: { kind: 'boolean', shape: 'Created' }, body: 'P21ShipTo', handler: shipToCreate,
  },
  {
    method: 'GET', path: `${CUSTOMER_PATH}/ship-to/lookup`, auth: 'bearer', summary: 'Ship-to lookup (address name or mail_address1)',
    data: { kind: 'list', shape: 'ShipToLookupItem' }, query: [...PAGING, orderByParam('id|ASC', 'address'), qParam()],
    errors: badOrderByError('address'), handler: shipToLookup,
  },
  {
    method: 'GET', path: `${CUSTOMER_PATH}/ship-to/{shipToId}/freight-codes`, auth: 'bearer', summary: 'Freight code of a ship-to',
    data: { kind: 'object', shape: 'FreightCode' },
    errors: { 404: 'The ship-to does not belong to this customer, or has no freight code' }, handler: freightCodes,
  },
];

/** A salesrep contact's customers: under /contacts, served from the customer rows. */
export const SALESREP_CUSTOMER_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET', path: '/contacts/{id}/customers', auth: 'bearer', summary: 'List salesrep customers',
    data: { kind: 'list', shape: 'CustomerDoc' }, query: [{ name: 'class5Id', type: 'string' }, ...PAGING, orderByParam('customer_id|ASC', 'customer'), qParam()],
    errors: badOrderByError('customer'), handler: salesrepCustomers,
  },
];
