import type { PublicHandler, SiteHandler } from './context.js';
import * as contacts from './handlers/contacts.js';
import * as customers from './handlers/customers.js';
import * as documents from './handlers/documents.js';
import * as records from './handlers/records.js';
import * as reports from './handlers/reports.js';
import * as service from './handlers/service.js';

/**
 * The route table of the Augur customers service (reference §2.1, all 41 rows), declarative on purpose: the
 * dispatcher reads it to route and authenticate, and an OpenAPI document can be generated from it.
 * Paths are module-relative; `{name}` placeholders are all integers (PathValidator rule, reference §3.5).
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** `none`: no header needed; `site`: x-site-id only; `bearer`: x-site-id + Authorization (REG `auth`). */
export type AuthMode = 'none' | 'site' | 'bearer';

export interface QueryParamSpec {
  name: string;
  type: 'integer' | 'string' | 'date' | 'integer-list';
  required?: boolean;
  enum?: readonly string[];
  default?: string | number;
  description?: string;
}

interface RouteBase {
  method: HttpMethod;
  path: string;
  summary: string;
  /** Shape of `data` (reference §2.4 names); lists hold items of this shape. */
  data: { kind: 'list' | 'object' | 'boolean' | 'string'; shape: string };
  query?: readonly QueryParamSpec[];
  /** Request body shape name for writes. */
  body?: string;
  /** Documented non-auth errors, status → message. */
  errors?: Readonly<Record<number, string>>;
  deprecated?: boolean;
}

export interface PublicRoute extends RouteBase {
  auth: 'none';
  handler: PublicHandler;
}

export interface SiteRoute extends RouteBase {
  auth: 'site' | 'bearer';
  handler: SiteHandler;
}

export type RouteDef = PublicRoute | SiteRoute;

const limit: QueryParamSpec = { name: 'limit', type: 'integer', default: 10, description: 'Page size (at least 1)' };
const offset: QueryParamSpec = { name: 'offset', type: 'integer', default: 0, description: 'Rows to skip' };
const paging = [limit, offset] as const;
const orderBy = (fallback: string, table: string): QueryParamSpec => ({
  name: 'orderBy',
  type: 'string',
  default: fallback,
  description: `snake_case ${table} column with |ASC or |DESC`,
});
const q = (required = false): QueryParamSpec => ({ name: 'q', type: 'string', required, description: 'Case-insensitive search text' });
const statusCd: QueryParamSpec = {
  name: 'statusCd',
  type: 'integer-list',
  description: 'Comma-joined status codes (704 active, 705 inactive, 700 deleted); -1 or absent = every status',
};
const created: readonly QueryParamSpec[] = [
  { name: 'createdFrom', type: 'date', description: 'date_created from (requires createdTo)' },
  { name: 'createdTo', type: 'date', description: 'date_created to (requires createdFrom)' },
  { name: 'createdOn', type: 'date', description: 'date_created on one day' },
];
const badOrderBy = (table: string): Record<number, string> => ({ 400: `orderBy is not column|ASC or column|DESC on a ${table} column` });

const C = '/customer/{customerId}';

export const ROUTES: readonly RouteDef[] = [
  // Service endpoints.
  { method: 'GET', path: '/health-check', auth: 'site', summary: 'Service health for the site', data: { kind: 'object', shape: 'HealthCheck' }, handler: service.healthCheck },
  { method: 'GET', path: '/ping', auth: 'none', summary: 'Liveness probe; answers "pong"', data: { kind: 'string', shape: 'Pong' }, handler: service.ping },
  { method: 'GET', path: '/whoami', auth: 'bearer', summary: 'Decoded claims of the bearer token', data: { kind: 'object', shape: 'WhoAmI' }, handler: service.whoami },

  // Customers.
  {
    method: 'GET', path: '/customer', auth: 'bearer', summary: 'List customer documents',
    data: { kind: 'list', shape: 'CustomerDoc' },
    query: [
      { name: 'class5Id', type: 'string' }, { name: 'companyId', type: 'string' },
      { name: 'deleteFlag', type: 'string', enum: ['Y', 'N'] }, ...paging, orderBy('ordering|ASC', 'customer'), q(), statusCd,
    ],
    errors: badOrderBy('customer'), handler: customers.customerList,
  },
  {
    method: 'GET', path: '/customer/lookup', auth: 'bearer', summary: 'Customer summary lookup',
    data: { kind: 'list', shape: 'CustomerLookupItem' },
    query: [q(true), ...paging, orderBy('customer_id|ASC', 'customer'), statusCd],
    errors: badOrderBy('customer'), handler: customers.customerLookup,
  },
  {
    method: 'GET', path: `${C}/doc`, auth: 'bearer', summary: 'One customer document',
    data: { kind: 'object', shape: 'CustomerDoc' }, errors: { 404: 'No customer with this ID' }, handler: customers.customerDoc,
  },
  {
    method: 'GET', path: `${C}/address`, auth: 'bearer', summary: 'Address lookup (name or mail_address1)',
    data: { kind: 'list', shape: 'AddressLookupItem' }, query: [q(true), ...paging], handler: customers.addressLookup,
  },

  // Customer addresses (customer_address rows).
  {
    method: 'GET', path: `${C}/addresses`, auth: 'bearer', summary: 'List customer addresses',
    data: { kind: 'list', shape: 'CustomerAddress' },
    query: [{ name: 'emailAddress', type: 'string' }, ...paging, orderBy('customer_address_uid|ASC', 'customer_address'), statusCd],
    errors: badOrderBy('customer_address'), handler: records.addressList,
  },
  {
    method: 'POST', path: `${C}/addresses`, auth: 'bearer', summary: 'Create a customer address',
    data: { kind: 'object', shape: 'CustomerAddress' }, body: 'CustomerAddressCreate', handler: records.addressCreate,
  },
  {
    method: 'GET', path: `${C}/addresses/{customerAddressUid}`, auth: 'bearer', summary: 'One customer address',
    data: { kind: 'object', shape: 'CustomerAddress' }, errors: { 404: 'No address with this ID for this customer' }, handler: records.addressGet,
  },
  {
    method: 'PUT', path: `${C}/addresses/{customerAddressUid}`, auth: 'bearer', summary: 'Update a customer address (partial)',
    data: { kind: 'object', shape: 'CustomerAddress' }, body: 'CustomerAddressUpdate',
    errors: { 404: 'No address with this ID for this customer' }, handler: records.addressUpdate,
  },
  {
    method: 'DELETE', path: `${C}/addresses/{customerAddressUid}`, auth: 'bearer', summary: 'Soft-delete a customer address',
    data: { kind: 'object', shape: 'CustomerAddress' }, errors: { 404: 'No address with this ID for this customer' }, handler: records.addressDelete,
  },

  // Reports.
  {
    method: 'GET', path: `${C}/aging`, auth: 'bearer', summary: 'Age outstanding invoice balances into current/30/60/90-day buckets',
    data: { kind: 'object', shape: 'Aging' },
    query: [{ name: 'asOf', type: 'date', description: 'Default today' }, ...paging, orderBy('invoice_date|ASC', 'invoice_hdr'), { name: 'shipToId', type: 'integer' }],
    errors: { 400: 'asOf is not YYYY-MM-DD, or bad orderBy' }, handler: reports.aging,
  },

  // Contacts of a customer.
  {
    method: 'GET', path: `${C}/contacts`, auth: 'bearer', summary: 'Contacts of a customer',
    data: { kind: 'list', shape: 'CustomerContact' }, query: [q(true), ...paging, orderBy('email_address|ASC', 'contacts')],
    errors: badOrderBy('contacts'), handler: customers.contactList,
  },
  {
    method: 'POST', path: `${C}/contacts`, auth: 'bearer', summary: 'Create a P21 contact',
    data: { kind: 'boolean', shape: 'Created' }, body: 'P21Contact', handler: customers.contactCreate,
  },

  // Invoices.
  {
    method: 'GET', path: `${C}/invoices`, auth: 'bearer', summary: 'Invoices of a customer, with lines',
    data: { kind: 'list', shape: 'Invoice' },
    query: [
      { name: 'contactId', type: 'string' }, ...created, ...paging, orderBy('date_created|DESC', 'invoice_hdr'),
      { name: 'paidInFull', type: 'string', enum: ['Y', 'N'] }, q(), { name: 'shipToId', type: 'integer' },
    ],
    errors: badOrderBy('invoice_hdr'), handler: documents.invoiceList,
  },
  {
    method: 'GET', path: `${C}/invoices/{invoiceNo}`, auth: 'bearer', summary: 'One invoice',
    data: { kind: 'object', shape: 'Invoice' }, errors: { 404: 'No invoice with this number for this customer' }, handler: documents.invoiceGet,
  },

  // Orders.
  {
    method: 'GET', path: `${C}/orders`, auth: 'bearer', summary: 'Orders of a customer',
    data: { kind: 'list', shape: 'OrderDoc | OeHdrRow | OeHdrRowWithLines (by fullDocument)' },
    query: [
      { name: 'addressId', type: 'integer' },
      { name: 'cancelFlag', type: 'string', enum: ['N', 'Y', 'B'], default: 'N', description: 'B = both' },
      { name: 'contactId', type: 'string' }, ...created,
      { name: 'deleteFlag', type: 'string', enum: ['N', 'Y', 'B'], default: 'N', description: 'B = both' },
      { name: 'fullDocument', type: 'string', enum: ['Y', 'N', 'L'], default: 'Y', description: 'Y full document, N header row, L header + light lines' },
      ...paging, orderBy('date_created|DESC', 'oe_hdr'), q(),
    ],
    errors: { 400: 'customerId is below 1, or bad orderBy', 404: 'No customer with this customerId' }, handler: documents.orderList,
  },
  {
    method: 'GET', path: `${C}/orders/{orderNo}`, auth: 'bearer', summary: 'One order document',
    data: { kind: 'object', shape: 'OrderDoc' }, errors: { 404: 'No order with this number for this customer' }, handler: documents.orderGet,
  },

  // Purchased items, quotes, RMAs, sales usage.
  {
    method: 'GET', path: `${C}/purchased-items`, auth: 'bearer', summary: 'Items the customer has bought',
    data: { kind: 'list', shape: 'PurchasedItem' }, query: [...paging, orderBy('date_last_purchased|DESC', 'items_x_customer')],
    errors: badOrderBy('items_x_customer'), handler: customers.purchasedItems,
  },
  {
    method: 'GET', path: `${C}/quotes`, auth: 'bearer', summary: 'Quotes of a customer',
    data: { kind: 'list', shape: 'OrderDoc' },
    query: [{ name: 'addressId', type: 'integer' }, { name: 'contactId', type: 'string' }, ...created, ...paging, orderBy('date_created|DESC', 'oe_hdr')],
    errors: badOrderBy('oe_hdr'), handler: documents.quoteList,
  },
  {
    method: 'GET', path: `${C}/quotes/{quoteNo}`, auth: 'bearer', summary: 'One quote',
    data: { kind: 'object', shape: 'OrderDoc' }, errors: { 404: 'No quote with this number for this customer' }, handler: documents.quoteGet,
  },
  {
    method: 'GET', path: `${C}/rmas`, auth: 'bearer', summary: 'RMAs of a customer',
    data: { kind: 'list', shape: 'OrderDoc' }, query: [...created, ...paging, orderBy('date_created|DESC', 'oe_hdr')],
    errors: badOrderBy('oe_hdr'), handler: documents.rmaList,
  },
  {
    method: 'GET', path: `${C}/rmas/{rmaNo}`, auth: 'bearer', summary: 'One RMA',
    data: { kind: 'object', shape: 'OrderDoc' }, errors: { 404: 'No RMA with this number for this customer' }, handler: documents.rmaGet,
  },
  {
    method: 'GET', path: `${C}/sales-usage`, auth: 'bearer', summary: 'Per-item, per-period sales usage folded from invoiced history',
    data: { kind: 'object', shape: 'SalesUsage' },
    query: [
      { name: 'invoicedFrom', type: 'date', description: 'Default 30 days ago' }, { name: 'invoicedTo', type: 'date', description: 'Default today' },
      ...paging, { name: 'orderBy', type: 'string', enum: ['item_id|ASC', 'item_id|DESC', 'item_desc|ASC', 'item_desc|DESC'], default: 'item_id|ASC' },
      q(), { name: 'shipToId', type: 'integer' }, { name: 'supplierId', type: 'integer' },
      { name: 'totalBy', type: 'string', enum: ['week', 'month', 'year'], default: 'week' },
    ],
    errors: { 400: 'bad dates, invoicedFrom after invoicedTo, bad totalBy, or bad orderBy' }, handler: reports.salesUsage,
  },

  // Ship-to.
  {
    method: 'GET', path: `${C}/ship-to`, auth: 'bearer', summary: 'Ship-to addresses of a customer',
    data: { kind: 'list', shape: 'ShipTo' }, query: [...paging, orderBy('date_created|DESC', 'ship_to'), q()],
    errors: badOrderBy('ship_to'), handler: customers.shipToList,
  },
  {
    method: 'POST', path: `${C}/ship-to`, auth: 'bearer', summary: 'Create a P21 ship-to',
    data: { kind: 'boolean', shape: 'Created' }, body: 'P21ShipTo', handler: customers.shipToCreate,
  },
  {
    method: 'GET', path: `${C}/ship-to/lookup`, auth: 'bearer', summary: 'Ship-to lookup (address name or mail_address1)',
    data: { kind: 'list', shape: 'ShipToLookupItem' }, query: [...paging, orderBy('id|ASC', 'address'), q()],
    errors: badOrderBy('address'), handler: customers.shipToLookup,
  },
  {
    method: 'GET', path: `${C}/ship-to/{shipToId}/freight-codes`, auth: 'bearer', summary: 'Freight code of a ship-to',
    data: { kind: 'object', shape: 'FreightCode' },
    errors: { 404: 'The ship-to does not belong to this customer, or has no freight code' }, handler: customers.freightCodes,
  },

  // Tags.
  {
    method: 'GET', path: `${C}/tags`, auth: 'bearer', summary: 'Tags of a customer',
    data: { kind: 'list', shape: 'CustomerTag' }, query: [...paging, orderBy('customer_tags_uid|ASC', 'customer_tags'), statusCd],
    errors: badOrderBy('customer_tags'), handler: records.tagList,
  },
  {
    method: 'POST', path: `${C}/tags`, auth: 'bearer', summary: 'Create a customer tag, or restore the one with the same text',
    data: { kind: 'object', shape: 'CustomerTag' }, body: 'TagCreate', errors: { 400: 'The tag is missing or blank' }, handler: records.tagCreate,
  },
  {
    method: 'GET', path: `${C}/tags/{customerTagsUid}`, auth: 'bearer', summary: 'One customer tag',
    data: { kind: 'object', shape: 'CustomerTag' }, errors: { 404: 'No tag with this ID for this customer' }, handler: records.tagGet,
  },
  {
    method: 'PUT', path: `${C}/tags/{customerTagsUid}`, auth: 'bearer', summary: 'Update a customer tag (partial)',
    data: { kind: 'object', shape: 'CustomerTag' }, body: 'TagUpdate', errors: { 404: 'No tag with this ID for this customer' }, handler: records.tagUpdate,
  },
  {
    method: 'DELETE', path: `${C}/tags/{customerTagsUid}`, auth: 'bearer', summary: 'Soft-delete a customer tag',
    data: { kind: 'object', shape: 'CustomerTag' }, errors: { 404: 'No tag with this ID for this customer' }, handler: records.tagDelete,
  },

  // Contacts.
  {
    method: 'GET', path: '/contacts/{id}/customers', auth: 'bearer', summary: 'List salesrep customers',
    data: { kind: 'list', shape: 'CustomerDoc' }, query: [{ name: 'class5Id', type: 'string' }, ...paging, orderBy('customer_id|ASC', 'customer'), q()],
    errors: badOrderBy('customer'), handler: customers.salesrepCustomers,
  },
  {
    method: 'GET', path: '/contacts/{id}/doc', auth: 'bearer', summary: 'One contact document',
    data: { kind: 'object', shape: 'ContactDoc' }, errors: { 404: 'No contact with this ID' }, handler: contacts.contactDoc,
  },
  {
    method: 'GET', path: '/contacts/{id}/web-allowance', auth: 'bearer', summary: 'Web allowance of a contact',
    data: { kind: 'object', shape: 'WebAllowance' }, errors: { 404: 'No contact with this ID on any customer' }, handler: contacts.webAllowance,
  },
  {
    method: 'GET', path: '/contacts-ud/{id}', auth: 'bearer', summary: 'User-defined fields of a contact',
    data: { kind: 'object', shape: 'ContactUd' }, errors: { 404: 'No user-defined fields row for this contact' }, handler: contacts.contactUd,
  },

  // Refresh triggers: dropped from the current SDK, still served (reference §2.3.17).
  { method: 'GET', path: '/contacts/refresh', auth: 'bearer', summary: 'Trigger a contacts data refresh', data: { kind: 'object', shape: 'RefreshJob' }, deprecated: true, handler: service.refresh('contacts') },
  { method: 'GET', path: '/oe-contacts-customer/refresh', auth: 'bearer', summary: 'Trigger an oe_contacts_customer data refresh', data: { kind: 'object', shape: 'RefreshJob' }, deprecated: true, handler: service.refresh('oe-contacts-customer') },
  { method: 'GET', path: '/ship-to/refresh', auth: 'bearer', summary: 'Trigger a ship-to data refresh', data: { kind: 'object', shape: 'RefreshJob' }, deprecated: true, handler: service.refresh('ship-to') },
];
