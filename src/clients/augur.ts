import * as z from 'zod';
import {
  AddressLookupItem,
  Aging,
  ContactDoc,
  ContactUd,
  CustomerAddress,
  CustomerContact,
  CustomerDoc,
  CustomerLookupItem,
  CustomerTag,
  ENVELOPE_KEYS,
  Envelope,
  FreightCode,
  HealthCheck,
  Invoice,
  OrderDoc,
  OrderListItem,
  PurchasedItem,
  RefreshResult,
  SalesUsage,
  ShipTo,
  ShipToLookupItem,
  WebAllowance,
  WhoAmI,
} from './augur-schemas.js';
import { knownSecrets } from '../redaction.js';
import { UpstreamError, labelCredentials } from './errors.js';
import { createHttpCore, segment, type HttpCore, type HttpRequest } from './http-core.js';
import type { CallContext, Result } from './types.js';

export type { CallContext, Result } from './types.js';

export interface AugurConfig {
  baseUrl: string;
  /** The site's bearer JWT (AUGUR_TOKEN); static, this service has no refresh. */
  token: string;
  /** Sent as x-site-id on every call (AUGUR_SITE_ID). */
  siteId: string;
  timeoutMs?: number;
  /** Where the token is configured, named when it is refused (default: the AUGUR_TOKEN variable). */
  credentialsLabel?: string;
  /** Largest response body read (UPSTREAM_MAX_RESPONSE_BYTES; default 10 MB). */
  maxResponseBytes?: number;
}

/**
 * A path parameter that is not a positive integer (or a string a path segment cannot carry). Thrown before any
 * request is made: nothing goes on the wire. The message names the parameter, never its value (it may be PII).
 */
export class InvalidPathParameterError extends Error {
  constructor(
    readonly parameter: string,
    readonly reason: string,
  ) {
    super(`${parameter} ${reason}`);
    this.name = 'InvalidPathParameterError';
  }
}

/** A page of a list endpoint, with the facts needed to ask for the next one. */
export interface Page<T> {
  items: T[];
  /** All matches (`totalResults`, falling back to `total`). */
  total: number;
  /** Items in this page. */
  count: number;
  limit: number;
  offset: number;
  /** offset + count < total. */
  hasMore: boolean;
}

/** Y = only flagged rows, N = only unflagged rows, B = both. */
export type YN = 'Y' | 'N';
export type YNB = 'Y' | 'N' | 'B';

export interface Paging {
  limit?: number;
  offset?: number;
}
export interface Ordered extends Paging {
  /** `snake_column|ASC` or `snake_column|DESC`. */
  orderBy?: string;
}
/** `statusCd` filters: one code or several, sent comma-joined; -1 = every status. */
type StatusCd = number | number[];
interface CreatedRange {
  createdFrom?: string;
  createdTo?: string;
  createdOn?: string;
}

export interface ListCustomersParams extends Ordered {
  q?: string;
  class5Id?: string;
  companyId?: string;
  deleteFlag?: YN;
  statusCd?: StatusCd;
}
export interface LookupCustomersParams extends Ordered {
  q: string;
  statusCd?: StatusCd;
}
export interface AddressLookupParams extends Paging {
  q: string;
}
export interface ListAddressesParams extends Ordered {
  emailAddress?: string;
  statusCd?: StatusCd;
}
export interface AddressFields {
  name?: string | null;
  address1?: string | null;
  address2?: string | null;
  address3?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  country?: string | null;
  emailAddress?: string | null;
  phoneNumberMain?: string | null;
  phoneNumberMobile?: string | null;
  statusCd?: number;
  processCd?: number;
}
export interface AddressCreate extends AddressFields {
  updateCd?: number;
}
export interface AgingParams extends Ordered {
  asOf?: string;
  shipToId?: number | string;
}
export interface ContactsParams extends Ordered {
  q?: string;
}
export interface InvoicesParams extends Ordered, CreatedRange {
  q?: string;
  contactId?: string;
  paidInFull?: YN;
  shipToId?: number | string;
}
export interface OrdersParams extends Ordered, CreatedRange {
  q?: string;
  addressId?: number | string;
  contactId?: string;
  cancelFlag?: YNB;
  deleteFlag?: YNB;
  fullDocument?: 'Y' | 'N' | 'L';
}
export interface QuotesParams extends Ordered, CreatedRange {
  addressId?: number | string;
  contactId?: string;
}
export type RmasParams = Ordered & CreatedRange;
export interface SalesUsageParams extends Ordered {
  invoicedFrom?: string;
  invoicedTo?: string;
  q?: string;
  shipToId?: number | string;
  supplierId?: number | string;
  totalBy?: 'week' | 'month' | 'year';
}
export interface ShipToLookupParams extends Ordered {
  q?: string;
}
export interface TagCreate {
  tag: string;
  statusCd?: number;
  processCd?: number;
  updateCd?: number;
}
export interface TagUpdate {
  tag?: string;
  statusCd?: number;
  processCd?: number;
}
export interface SalesrepCustomersParams extends Ordered {
  q?: string;
  class5Id?: string;
}
/** A P21 entity body, passed through as sent. */
export type P21Body = Record<string, unknown>;

export type RefreshDataset = 'contacts' | 'oe_contacts_customer' | 'ship_to';
const REFRESH_PATHS: Record<RefreshDataset, string> = {
  contacts: '/contacts/refresh',
  oe_contacts_customer: '/oe-contacts-customer/refresh',
  ship_to: '/ship-to/refresh',
};

/** Paths that go out without the bearer token (x-site-id only). */
const PUBLIC_PATHS = new Set(['/health-check', '/ping']);
const DEFAULT_LIMIT = 10;

type Query = Record<string, string | number | undefined>;
type Req = Omit<HttpRequest, 'correlationId' | 'signal' | 'retry'>;

/**
 * The Augur customers service client: x-site-id on every call, the static bearer JWT on every call but
 * /health-check and /ping, envelope unwrapping, path ids validated before any request. GETs are retried on
 * 429/5xx; POST, PUT and DELETE are sent exactly once. Knows HTTP, nothing of MCP.
 */
export class AugurClient {
  readonly #http: HttpCore;
  readonly #token: string;
  readonly #siteId: string;
  readonly #credentialsLabel: string | undefined;

  constructor(config: AugurConfig) {
    this.#http = createHttpCore({
      upstream: 'augur',
      baseUrl: config.baseUrl,
      ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
      ...(config.maxResponseBytes ? { maxResponseBytes: config.maxResponseBytes } : {}),
    });
    this.#token = config.token;
    this.#siteId = config.siteId;
    knownSecrets.add(config.token); // never echoed into a result or a log line (see src/redaction.ts)
    this.#credentialsLabel = config.credentialsLabel;
  }

  get siteId(): string {
    return this.#siteId;
  }

  // --- service ----------------------------------------------------------------------------------------------

  async healthCheck(ctx: CallContext) {
    return this.#object(ctx, { method: 'GET', path: '/health-check' }, HealthCheck);
  }

  async ping(ctx: CallContext) {
    return this.#object(ctx, { method: 'GET', path: '/ping' }, z.unknown());
  }

  async whoami(ctx: CallContext) {
    return this.#object(ctx, { method: 'GET', path: '/whoami' }, WhoAmI);
  }

  // --- customers --------------------------------------------------------------------------------------------

  async listCustomers(params: ListCustomersParams, ctx: CallContext) {
    return this.#list(ctx, '/customer', query(params), CustomerDoc);
  }

  async lookupCustomers(params: LookupCustomersParams, ctx: CallContext) {
    return this.#list(ctx, '/customer/lookup', query(params), CustomerLookupItem);
  }

  async getCustomerDoc(customerId: number | string, ctx: CallContext) {
    return this.#get(ctx, `${customerPath(customerId)}/doc`, {}, CustomerDoc);
  }

  /** GET /customer/{customerId}/address: address lookup by name or mail address (q required). */
  async searchCustomerAddresses(customerId: number | string, params: AddressLookupParams, ctx: CallContext) {
    return this.#list(ctx, `${customerPath(customerId)}/address`, query(params), AddressLookupItem);
  }

  // --- customer addresses (CRUD) ----------------------------------------------------------------------------

  readonly #addresses = this.#editableRecords<typeof CustomerAddress, ListAddressesParams, AddressCreate, AddressFields>(
    'addresses',
    'customerAddressUid',
    CustomerAddress,
  );
  readonly listCustomerAddresses = this.#addresses.list;
  readonly createCustomerAddress = this.#addresses.create;
  readonly getCustomerAddress = this.#addresses.get;
  readonly updateCustomerAddress = this.#addresses.update;
  readonly deleteCustomerAddress = this.#addresses.delete;

  // --- reports ----------------------------------------------------------------------------------------------

  async getCustomerAging(customerId: number | string, params: AgingParams, ctx: CallContext) {
    return this.#get(ctx, `${customerPath(customerId)}/aging`, query(params), Aging);
  }

  async getSalesUsage(customerId: number | string, params: SalesUsageParams, ctx: CallContext) {
    return this.#get(ctx, `${customerPath(customerId)}/sales-usage`, query(params), SalesUsage);
  }

  // --- contacts of a customer -------------------------------------------------------------------------------

  async listCustomerContacts(customerId: number | string, params: ContactsParams, ctx: CallContext) {
    return this.#list(ctx, `${customerPath(customerId)}/contacts`, query(params), CustomerContact);
  }

  /** Creates a P21 contact; the service answers `true` and does not return the new id. */
  async createCustomerContact(customerId: number | string, body: P21Body, ctx: CallContext) {
    return this.#write(ctx, 'POST', `${customerPath(customerId)}/contacts`, body, z.boolean());
  }

  // --- invoices, orders, quotes, RMAs, purchased items ------------------------------------------------------

  readonly #invoices = this.#customerRecords<typeof Invoice, typeof Invoice, InvoicesParams>('invoices', 'invoiceNo', Invoice, Invoice);
  readonly listInvoices = this.#invoices.list;
  readonly getInvoice = this.#invoices.get;

  readonly #orders = this.#customerRecords<typeof OrderListItem, typeof OrderDoc, OrdersParams>('orders', 'orderNo', OrderListItem, OrderDoc);
  readonly listOrders = this.#orders.list;
  readonly getOrder = this.#orders.get;

  readonly #quotes = this.#customerRecords<typeof OrderDoc, typeof OrderDoc, QuotesParams>('quotes', 'quoteNo', OrderDoc, OrderDoc);
  readonly listQuotes = this.#quotes.list;
  readonly getQuote = this.#quotes.get;

  readonly #rmas = this.#customerRecords<typeof OrderDoc, typeof OrderDoc, RmasParams>('rmas', 'rmaNo', OrderDoc, OrderDoc);
  readonly listRmas = this.#rmas.list;
  readonly getRma = this.#rmas.get;

  async listPurchasedItems(customerId: number | string, params: Ordered, ctx: CallContext) {
    return this.#list(ctx, `${customerPath(customerId)}/purchased-items`, query(params), PurchasedItem);
  }

  // --- ship-to ----------------------------------------------------------------------------------------------

  async listShipTo(customerId: number | string, params: Ordered, ctx: CallContext) {
    return this.#list(ctx, `${customerPath(customerId)}/ship-to`, query(params), ShipTo);
  }

  /** Creates a P21 ship-to; the service answers `true` and does not return the new id. */
  async createShipTo(customerId: number | string, body: P21Body, ctx: CallContext) {
    return this.#write(ctx, 'POST', `${customerPath(customerId)}/ship-to`, body, z.boolean());
  }

  async lookupShipTo(customerId: number | string, params: ShipToLookupParams, ctx: CallContext) {
    return this.#list(ctx, `${customerPath(customerId)}/ship-to/lookup`, query(params), ShipToLookupItem);
  }

  /** One FreightCode object, despite the plural path. */
  async getShipToFreightCodes(customerId: number | string, shipToId: number | string, ctx: CallContext) {
    return this.#get(
      ctx,
      `${customerPath(customerId)}/ship-to/${pathId('shipToId', shipToId)}/freight-codes`,
      {},
      FreightCode,
    );
  }

  // --- tags (CRUD) ------------------------------------------------------------------------------------------

  readonly #tags = this.#editableRecords<typeof CustomerTag, Ordered & { statusCd?: StatusCd }, TagCreate, TagUpdate>('tags', 'customerTagsUid', CustomerTag);
  readonly listCustomerTags = this.#tags.list;
  /** Creates a tag, or restores the one with the same text. */
  readonly createCustomerTag = this.#tags.create;
  readonly getCustomerTag = this.#tags.get;
  readonly updateCustomerTag = this.#tags.update;
  readonly deleteCustomerTag = this.#tags.delete;

  // --- contacts ---------------------------------------------------------------------------------------------

  async listSalesrepCustomers(contactId: number | string, params: SalesrepCustomersParams, ctx: CallContext) {
    return this.#list(ctx, `/contacts/${pathId('id', contactId)}/customers`, query(params), CustomerDoc);
  }

  async getContactDoc(contactId: number | string, ctx: CallContext) {
    return this.#get(ctx, `/contacts/${pathId('id', contactId)}/doc`, {}, ContactDoc);
  }

  async getContactWebAllowance(contactId: number | string, ctx: CallContext) {
    return this.#get(ctx, `/contacts/${pathId('id', contactId)}/web-allowance`, {}, WebAllowance);
  }

  async getContactUd(contactId: number | string, ctx: CallContext) {
    return this.#get(ctx, `/contacts-ud/${pathId('id', contactId)}`, {}, ContactUd);
  }

  /** Deprecated data-refresh triggers (GET); absent from the current SDK. */
  async refresh(dataset: RefreshDataset, ctx: CallContext) {
    return this.#get(ctx, REFRESH_PATHS[dataset], {}, RefreshResult);
  }

  // --- plumbing ---------------------------------------------------------------------------------------------

  /** A customer's records of one kind: the list (`item` each) and one record by its number (`doc`; `uid` names it). */
  #customerRecords<Item extends z.ZodType, Doc extends z.ZodType, ListParams extends object>(collection: string, uid: string, item: Item, doc: Doc) {
    const all = (customerId: number | string) => `${customerPath(customerId)}/${collection}`;
    const one = (customerId: number | string, id: number | string) => `${all(customerId)}/${pathId(uid, id)}`;
    return {
      all,
      one,
      list: async (customerId: number | string, params: ListParams, ctx: CallContext) => this.#list(ctx, all(customerId), query(params), item),
      get: async (customerId: number | string, id: number | string, ctx: CallContext) => this.#get(ctx, one(customerId, id), {}, doc),
    };
  }

  /** Records the service also creates, updates and soft-deletes (statusCd 700; the delete returns the record). */
  #editableRecords<T extends z.ZodType, ListParams extends object, CreateBody, UpdateBody>(collection: string, uid: string, schema: T) {
    const records = this.#customerRecords<T, T, ListParams>(collection, uid, schema, schema);
    return {
      ...records,
      create: async (customerId: number | string, body: CreateBody, ctx: CallContext) => this.#write(ctx, 'POST', records.all(customerId), body, schema),
      update: async (customerId: number | string, id: number | string, body: UpdateBody, ctx: CallContext) =>
        this.#write(ctx, 'PUT', records.one(customerId, id), body, schema),
      delete: async (customerId: number | string, id: number | string, ctx: CallContext) => this.#write(ctx, 'DELETE', records.one(customerId, id), undefined, schema),
    };
  }

  #get<T extends z.ZodType>(ctx: CallContext, path: string, searchParams: Query, schema: T): Promise<Result<z.infer<T>>> {
    return this.#object(ctx, { method: 'GET', path, searchParams }, schema);
  }

  /** Writes are sent exactly once: no retry, whatever the answer. */
  #write<T extends z.ZodType>(
    ctx: CallContext,
    method: 'POST' | 'PUT' | 'DELETE',
    path: string,
    body: unknown,
    schema: T,
  ): Promise<Result<z.infer<T>>> {
    return this.#object(ctx, { method, path, ...(body !== undefined ? { json: body } : {}) }, schema);
  }

  async #object<T extends z.ZodType>(ctx: CallContext, request: Req, schema: T): Promise<Result<z.infer<T>>> {
    const { envelope, correlationId, invalid } = await this.#send(ctx, request);
    const data = schema.safeParse(envelope.data);
    if (!data.success) throw invalid([`unexpected data shape: ${z.prettifyError(data.error).slice(0, 300)}`]);
    return { data: data.data, correlationId };
  }

  async #list<T extends z.ZodType>(
    ctx: CallContext,
    path: string,
    searchParams: Query,
    item: T,
  ): Promise<Result<Page<z.infer<T>>>> {
    const { envelope, correlationId, invalid } = await this.#send(ctx, { method: 'GET', path, searchParams });
    const items = z.array(item).safeParse(envelope.data);
    if (!items.success) throw invalid([`unexpected list shape: ${z.prettifyError(items.error).slice(0, 300)}`]);
    const count = envelope.count > 0 || items.data.length === 0 ? envelope.count : items.data.length;
    const total = envelope.totalResults > 0 ? envelope.totalResults : envelope.total;
    const offset = Number(searchParams.offset ?? 0);
    const limit = Number(searchParams.limit ?? DEFAULT_LIMIT);
    return {
      data: { items: items.data, total, count, limit, offset, hasMore: offset + count < total },
      correlationId,
    };
  }

  async #send(ctx: CallContext, request: Req) {
    const full: HttpRequest = {
      ...request,
      headers: {
        ...request.headers,
        'x-site-id': this.#siteId,
        ...(PUBLIC_PATHS.has(request.path) ? {} : { authorization: `Bearer ${this.#token}` }),
      },
      correlationId: ctx.correlationId,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(ctx.deadline !== undefined ? { deadline: ctx.deadline } : {}),
      ...(ctx.observer ? { observer: ctx.observer } : {}),
      retry: request.method === 'GET' ? 'read' : 'never',
    };
    const response = await this.#http.send(full).catch((error: unknown) => {
      throw labelCredentials(error, this.#credentialsLabel);
    });
    const invalid = (messages: string[]) =>
      new UpstreamError({
        upstream: 'augur',
        kind: 'invalid_response',
        status: response.status,
        upstreamMessages: messages,
        correlationId: response.correlationId,
        method: request.method,
        path: request.path,
      });
    const body = response.body;
    const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
    const missing = isObject ? ENVELOPE_KEYS.filter((key) => !(key in body)) : [...ENVELOPE_KEYS];
    if (missing.length) {
      throw invalid([`the response was not the documented 8-key envelope (missing ${missing.join(', ')})`]);
    }
    const envelope = Envelope.safeParse(body);
    if (!envelope.success) throw invalid([`malformed envelope: ${z.prettifyError(envelope.error).slice(0, 300)}`]);
    return { envelope: envelope.data, correlationId: response.correlationId, invalid };
  }
}

/**
 * Validates a numeric path placeholder as a positive integer (number, or string of digits) and encodes it.
 * Everything Augur's customers service takes in a path is numeric (augur-reference.md §3.5, §4.3).
 */
export function pathId(name: string, value: number | string): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new InvalidPathParameterError(name, 'expected an integer');
    if (value < 1) throw new InvalidPathParameterError(name, 'expected a positive integer');
    return segment(value);
  }
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new InvalidPathParameterError(name, 'expected an integer');
  if (!/[1-9]/.test(value)) throw new InvalidPathParameterError(name, 'expected a positive integer');
  return segment(value);
}

const customerPath = (customerId: number | string) => `/customer/${pathId('customerId', customerId)}`;

/** Query parameters exactly as named by the reference; undefined dropped, statusCd lists comma-joined. */
function query(params: object): Query {
  const out: Query = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    out[key] = Array.isArray(value) ? value.join(',') : (value as string | number);
  }
  return out;
}
