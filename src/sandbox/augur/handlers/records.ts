import { pickFields, type FieldSpec } from '../body.js';
import { param, requireCustomer, timestamp, type SiteContext } from '../context.js';
import { badRequest, list, notFound, single, type Result } from '../envelope.js';
import { page, parseOrderBy, parsePaging, parseStatusCd, sortRows } from '../listing.js';
import type { CustomerAddressRow, CustomerTagRow } from '../model.js';
import * as shapes from '../shapes.js';
import { CUSTOMER_PATH, PAGING, STATUS_CD_PARAM, badOrderByError, orderByParam, type RouteDef } from '../route-definition.js';

/**
 * Augur's own customer_address and customer_tags rows: full CRUD with soft delete. DELETE sets statusCd 700 and
 * returns the record; the row stays readable by UID and stays in lists unless `statusCd` filters it out
 * (lists default to every status) — reference §5 #12.
 */
const DELETED = 700;
const ACTIVE = 704;
const IMPORT_COMPLETE = 1185;
const STATUS_CODES = [700, 704, 705] as const;

const ADDRESS_TEXT: Record<string, FieldSpec> = {
  address1: { kind: 'string', max: 50 },
  address2: { kind: 'string', max: 50 },
  address3: { kind: 'string', max: 50 },
  city: { kind: 'string', max: 50 },
  state: { kind: 'string', max: 50 },
  postalCode: { kind: 'string', max: 10 },
  country: { kind: 'string', max: 50 },
  emailAddress: { kind: 'string', max: 255 },
  name: { kind: 'string', max: 255 },
  phoneNumberMain: { kind: 'string', max: 20 },
  phoneNumberMobile: { kind: 'string', max: 20 },
};
const ADDRESS_UPDATE: Record<string, FieldSpec> = {
  ...ADDRESS_TEXT,
  statusCd: { kind: 'int', allowed: STATUS_CODES },
  processCd: { kind: 'int' },
};
const ADDRESS_CREATE: Record<string, FieldSpec> = { ...ADDRESS_UPDATE, updateCd: { kind: 'int' } };

function customerAddresses(ctx: SiteContext): CustomerAddressRow[] {
  const customerId = param(ctx, 'customerId');
  return ctx.store.customerAddresses.filter((a) => a.customerId === customerId);
}

function requireAddress(ctx: SiteContext): CustomerAddressRow {
  const uid = param(ctx, 'customerAddressUid');
  const row = customerAddresses(ctx).find((a) => a.customerAddressUid === uid);
  if (!row) throw notFound('No address with this ID for this customer');
  return row;
}

export function addressList(ctx: SiteContext): Result {
  const paging = parsePaging(ctx.query);
  const orderBy = parseOrderBy(ctx.query, 'customer_address', ctx.store.customerAddresses[0], 'customer_address_uid|ASC');
  const statusCd = parseStatusCd(ctx.query);
  const email = ctx.query.get('emailAddress');
  const matches = customerAddresses(ctx).filter(
    (a) =>
      (statusCd === undefined || statusCd.includes(a.statusCd)) &&
      (email === null || (a.emailAddress ?? '').toLowerCase() === email.toLowerCase()),
  );
  return list(page(sortRows(matches, orderBy), paging).map(shapes.customerAddress), matches.length);
}

export function addressCreate(ctx: SiteContext): Result {
  const customer = requireCustomer(ctx);
  const fields = pickFields(ctx.body, ADDRESS_CREATE);
  const now = timestamp(ctx);
  const text = (name: string): string | null => (typeof fields[name] === 'string' ? (fields[name] as string) : null);
  const int = (name: string, fallback: number): number => (typeof fields[name] === 'number' ? (fields[name] as number) : fallback);
  const row: CustomerAddressRow = {
    customerAddressUid: ctx.store.nextId.customerAddressUid++,
    customerId: customer.customerId,
    address1: text('address1'),
    address2: text('address2'),
    address3: text('address3'),
    city: text('city'),
    state: text('state'),
    postalCode: text('postalCode'),
    country: text('country'),
    updateCd: int('updateCd', IMPORT_COMPLETE),
    statusCd: int('statusCd', ACTIVE),
    processCd: int('processCd', ACTIVE),
    dateCreated: now,
    dateLastModified: now,
    emailAddress: text('emailAddress'),
    name: text('name'),
    phoneNumberMain: text('phoneNumberMain'),
    phoneNumberMobile: text('phoneNumberMobile'),
  };
  ctx.store.customerAddresses.push(row);
  return single(shapes.customerAddress(row));
}

export function addressGet(ctx: SiteContext): Result {
  return single(shapes.customerAddress(requireAddress(ctx)));
}

/** Partial update: an absent field keeps its value; null clears a text field. */
export function addressUpdate(ctx: SiteContext): Result {
  const row = requireAddress(ctx);
  const fields = pickFields(ctx.body, ADDRESS_UPDATE);
  const target = row as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(fields)) {
    // Integer codes are NOT NULL columns: null leaves them unchanged.
    if (value === null && (name === 'statusCd' || name === 'processCd')) continue;
    target[name] = value;
  }
  row.dateLastModified = timestamp(ctx);
  return single(shapes.customerAddress(row));
}

export function addressDelete(ctx: SiteContext): Result {
  const row = requireAddress(ctx);
  row.statusCd = DELETED;
  row.dateLastModified = timestamp(ctx);
  return single(shapes.customerAddress(row));
}

function customerTags(ctx: SiteContext): CustomerTagRow[] {
  const customerId = param(ctx, 'customerId');
  return ctx.store.tags.filter((t) => t.customerId === customerId);
}

function requireTag(ctx: SiteContext): CustomerTagRow {
  const uid = param(ctx, 'customerTagsUid');
  const row = customerTags(ctx).find((t) => t.customerTagsUid === uid);
  if (!row) throw notFound('No tag with this ID for this customer');
  return row;
}

const TAG_CODES: Record<string, FieldSpec> = {
  statusCd: { kind: 'int', allowed: STATUS_CODES },
  processCd: { kind: 'int' },
};

export function tagList(ctx: SiteContext): Result {
  const paging = parsePaging(ctx.query);
  const orderBy = parseOrderBy(ctx.query, 'customer_tags', ctx.store.tags[0], 'customer_tags_uid|ASC');
  const statusCd = parseStatusCd(ctx.query);
  const matches = customerTags(ctx).filter((t) => statusCd === undefined || statusCd.includes(t.statusCd));
  return list(page(sortRows(matches, orderBy), paging).map(shapes.customerTag), matches.length);
}

/** Creates a tag, or refreshes in place (and so restores) the customer's tag with the same text. */
export function tagCreate(ctx: SiteContext): Result {
  const customer = requireCustomer(ctx);
  const raw = ctx.body.tag;
  if (typeof raw !== 'string' || raw.trim() === '') throw badRequest('tag', 'The tag is missing or blank');
  const tag = raw.trim();
  if (tag.length > 255) throw badRequest('tag', 'tag must be at most 255 characters');
  const codes = pickFields(ctx.body, { ...TAG_CODES, updateCd: { kind: 'int' } });
  const int = (name: string, fallback: number): number => (typeof codes[name] === 'number' ? (codes[name] as number) : fallback);
  const now = timestamp(ctx);
  const existing = customerTags(ctx).find((t) => t.tag === tag);
  if (existing) {
    existing.statusCd = int('statusCd', ACTIVE);
    existing.processCd = int('processCd', ACTIVE);
    existing.updateCd = int('updateCd', IMPORT_COMPLETE);
    existing.dateLastModified = now;
    return single(shapes.customerTag(existing));
  }
  const row: CustomerTagRow = {
    customerTagsUid: ctx.store.nextId.customerTagsUid++,
    customerId: customer.customerId,
    tag,
    updateCd: int('updateCd', IMPORT_COMPLETE),
    statusCd: int('statusCd', ACTIVE),
    processCd: int('processCd', ACTIVE),
    dateCreated: now,
    dateLastModified: now,
  };
  ctx.store.tags.push(row);
  return single(shapes.customerTag(row));
}

export function tagGet(ctx: SiteContext): Result {
  return single(shapes.customerTag(requireTag(ctx)));
}

/** Partial update: a blank or absent `tag` keeps the current text. */
export function tagUpdate(ctx: SiteContext): Result {
  const row = requireTag(ctx);
  const raw = ctx.body.tag;
  if (raw !== undefined && raw !== null && typeof raw !== 'string') throw badRequest('tag', 'tag must be a string or null');
  if (typeof raw === 'string' && raw.trim().length > 255) throw badRequest('tag', 'tag must be at most 255 characters');
  const codes = pickFields(ctx.body, TAG_CODES);
  if (typeof raw === 'string' && raw.trim() !== '') row.tag = raw.trim();
  if (typeof codes.statusCd === 'number') row.statusCd = codes.statusCd;
  if (typeof codes.processCd === 'number') row.processCd = codes.processCd;
  row.dateLastModified = timestamp(ctx);
  return single(shapes.customerTag(row));
}

export function tagDelete(ctx: SiteContext): Result {
  const row = requireTag(ctx);
  row.statusCd = DELETED;
  row.dateLastModified = timestamp(ctx);
  return single(shapes.customerTag(row));
}

export const CUSTOMER_ADDRESS_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET', path: `${CUSTOMER_PATH}/addresses`, auth: 'bearer', summary: 'List customer addresses',
    data: { kind: 'list', shape: 'CustomerAddress' },
    query: [{ name: 'emailAddress', type: 'string' }, ...PAGING, orderByParam('customer_address_uid|ASC', 'customer_address'), STATUS_CD_PARAM],
    errors: badOrderByError('customer_address'), handler: addressList,
  },
  {
    method: 'POST', path: `${CUSTOMER_PATH}/addresses`, auth: 'bearer', summary: 'Create a customer address',
    data: { kind: 'object', shape: 'CustomerAddress' }, body: 'CustomerAddressCreate', handler: addressCreate,
  },
  {
    method: 'GET', path: `${CUSTOMER_PATH}/addresses/{customerAddressUid}`, auth: 'bearer', summary: 'One customer address',
    data: { kind: 'object', shape: 'CustomerAddress' }, errors: { 404: 'No address with this ID for this customer' }, handler: addressGet,
  },
  {
    method: 'PUT', path: `${CUSTOMER_PATH}/addresses/{customerAddressUid}`, auth: 'bearer', summary: 'Update a customer address (partial)',
    data: { kind: 'object', shape: 'CustomerAddress' }, body: 'CustomerAddressUpdate',
    errors: { 404: 'No address with this ID for this customer' }, handler: addressUpdate,
  },
  {
    method: 'DELETE', path: `${CUSTOMER_PATH}/addresses/{customerAddressUid}`, auth: 'bearer', summary: 'Soft-delete a customer address',
    data: { kind: 'object', shape: 'CustomerAddress' }, errors: { 404: 'No address with this ID for this customer' }, handler: addressDelete,
  },
];

export const CUSTOMER_TAG_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET', path: `${CUSTOMER_PATH}/tags`, auth: 'bearer', summary: 'Tags of a customer',
    data: { kind: 'list', shape: 'CustomerTag' }, query: [...PAGING, orderByParam('customer_tags_uid|ASC', 'customer_tags'), STATUS_CD_PARAM],
    errors: badOrderByError('customer_tags'), handler: tagList,
  },
  {
    method: 'POST', path: `${CUSTOMER_PATH}/tags`, auth: 'bearer', summary: 'Create a customer tag, or restore the one with the same text',
    data: { kind: 'object', shape: 'CustomerTag' }, body: 'TagCreate', errors: { 400: 'The tag is missing or blank' }, handler: tagCreate,
  },
  {
    method: 'GET', path: `${CUSTOMER_PATH}/tags/{customerTagsUid}`, auth: 'bearer', summary: 'One customer tag',
    data: { kind: 'object', shape: 'CustomerTag' }, errors: { 404: 'No tag with this ID for this customer' }, handler: tagGet,
  },
  {
    method: 'PUT', path: `${CUSTOMER_PATH}/tags/{customerTagsUid}`, auth: 'bearer', summary: 'Update a customer tag (partial)',
    data: { kind: 'object', shape: 'CustomerTag' }, body: 'TagUpdate', errors: { 404: 'No tag with this ID for this customer' }, handler: tagUpdate,
  },
  {
    method: 'DELETE', path: `${CUSTOMER_PATH}/tags/{customerTagsUid}`, auth: 'bearer', summary: 'Soft-delete a customer tag',
    data: { kind: 'object', shape: 'CustomerTag' }, errors: { 404: 'No tag with this ID for this customer' }, handler: tagDelete,
  },
];
