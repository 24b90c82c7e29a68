import * as z from 'zod';
import type { SandboxResponse } from '../types.js';
import { readJsonBody, type RouteContext } from './context.js';
import { directory, type Owned } from './directory.js';
import { isValidIdempotencyKey } from './idempotency.js';
import { normalizePaging, pageOf } from './paging.js';
import { matchesAll, parseDate, parseQuery, QueryError, type Clause, type FieldSpec } from './query-language.js';
import { invalid, ok, problem } from './responses.js';
import { PAGED_SEARCH_QUERY, type RouteDefinition } from './route-definition.js';
import { OPTIONS_BY_ID, SHIPPING_METHODS, type OrderLine, type SeededOrder } from './seed.js';
import { PRICE_OPTION_VALIDITY_MS } from './state.js';

const MAX_RANGE_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The public shape of an order (create response and GET /orders/{orderId}). */
export function orderView(o: SeededOrder) {
  const { tenant: _tenant, ...rest } = o;
  return { ...rest, lineItems: o.lineItems.map((l) => ({ ...l })) };
}

const orderSummary = (o: SeededOrder) => ({
  orderId: o.orderId,
  status: o.status,
  poNumber: o.poNumber,
  createdDate: o.createdDate,
  companyId: o.companyId,
  requesterId: o.requesterId,
  lineCount: o.lineItems.length,
});

// ---------------------------------------------------------------------------------------------------------------
// POST /orders

const id = z.number().int().positive();
const OrderBody = z.object({
  requesterId: id,
  userId: id.nullish(),
  facilityId: id,
  shippingAddressId: id,
  billingAddressId: id,
  shippingMethod: z.enum(SHIPPING_METHODS),
  useShippingAccount: z.boolean().nullish(),
  poNumber: z.string().max(50).nullish(),
  quoteItems: z
    .array(
      z.object({
        priceOptionId: z.string().min(1),
        productId: z.string().min(1),
        quantity: z.number().int().min(1),
        price: z.number().nonnegative(),
        requiredFields: z.record(z.string(), z.string()).nullish(),
      }),
    )
    .min(1, 'at least one quote item is required'),
});
type OrderBody = z.infer<typeof OrderBody>;

function schemaErrors(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.reduce<string>(
      (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
      '',
    );
    return `${path || 'body'}: ${issue.message}`;
  });
}

/** Idempotency first (400 / replay / 409), then the order itself. */
export async function createOrder(ctx: RouteContext): Promise<SandboxResponse> {
  const key = String(ctx.req.headers['idempotency-key'] ?? '').trim();
  if (!key) {
    return invalid(ctx.res, ['The Idempotency-Key header is required on POST /orders: a UUID, e.g. 550e8400-e29b-41d4-a716-446655440000, one per logical order.']);
  }
  if (!isValidIdempotencyKey(key)) {
    return invalid(ctx.res, [`The Idempotency-Key header must be a UUID with dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx); got "${key.slice(0, 60)}".`]);
  }
  const read = readJsonBody(ctx);
  if ('response' in read) return read.response;

  const begun = ctx.state.idempotency.begin(ctx.tenant, key, read.body);
  if (begun.kind === 'replay') {
    return { ...begun.response, headers: { ...begun.response.headers, 'idempotent-replayed': 'true' } };
  }
  if (begun.kind === 'body-mismatch') {
    return problem(ctx.res, 'conflict', `Idempotency-Key ${key} was already used with a different request body. Use a new key for a different order; reuse a key only to retry the identical request.`);
  }
  if (begun.kind === 'in-flight') {
    return problem(ctx.res, 'conflict', `A request with Idempotency-Key ${key} is still being processed. Retry after it completes to receive its result.`);
  }

  let response: SandboxResponse;
  try {
    response = await placeOrder(ctx, read.body);
  } catch (error) {
    response = problem(ctx.res, 'internal-error', `The order could not be processed: ${(error as Error).message}`);
  }
  ctx.state.idempotency.complete(ctx.tenant, key, response);
  return response;
}

async function placeOrder(ctx: RouteContext, raw: unknown): Promise<SandboxResponse> {
  // Hold the key "in flight" for a while when a test asks for it.
  if (ctx.orderProcessingDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, ctx.orderProcessingDelayMs));

  const parsed = OrderBody.safeParse(raw, {
    error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined),
  });
  if (!parsed.success) return invalid(ctx.res, schemaErrors(parsed.error));
  const body = parsed.data;

  const refused = checkReferences(ctx, body);
  if (refused) return refused;
  const facility = (directory.facility(body.facilityId, ctx.tenant) as { value: { companyId: number } }).value;
  const company = (directory.company(facility.companyId, ctx.tenant) as { value: { rootCompanyId: number } }).value;

  const errors: string[] = [];
  const lines: OrderLine[] = [];
  body.quoteItems.forEach((item, i) => {
    const at = `quoteItems[${i}]`;
    const quoted = OPTIONS_BY_ID.get(item.priceOptionId);
    if (!quoted) {
      errors.push(`${at}: unknown priceOptionId "${item.priceOptionId}"; use a priceOptionId from GET /catalog/detail.`);
      return;
    }
    const { product, option } = quoted;
    const issuedAt = ctx.state.issuedAt(ctx.tenant, option.priceOptionId);
    if (issuedAt === undefined) {
      errors.push(`${at}: price option ${option.priceOptionId} was never quoted to your organization; call GET /catalog/detail for product ${product.productId} first.`);
      return;
    }
    if (ctx.state.now() - issuedAt > PRICE_OPTION_VALIDITY_MS) {
      errors.push(`${at}: price option ${option.priceOptionId} expired on ${new Date(issuedAt + PRICE_OPTION_VALIDITY_MS).toISOString()} (quotes are valid 30 days); call GET /catalog/detail again for a fresh quote.`);
      return;
    }
    if (item.productId !== product.productId) {
      errors.push(`${at}: productId ${item.productId} does not match price option ${option.priceOptionId}, which quotes product ${product.productId}.`);
    }
    if (Math.round(item.price * 100) !== Math.round(option.price * 100)) {
      errors.push(`${at}: price ${item.price.toFixed(2)} does not match price option ${option.priceOptionId} price ${option.price.toFixed(2)}.`);
    }
    if (option.requiredFields) {
      if (item.quantity !== 1) {
        errors.push(`${at}: price option ${option.priceOptionId} is a flat-rate repair; quantity must be 1 (send one line per unit), got ${item.quantity}.`);
      }
      for (const field of option.requiredFields.filter((f) => f.required)) {
        if (!item.requiredFields?.[field.name]?.trim()) {
          errors.push(`${at}: flat-rate repair option ${option.priceOptionId} requires requiredFields.${field.name} (${field.label}).`);
        }
      }
    }
    lines.push({
      lineId: 0,
      productId: product.productId,
      priceOptionId: option.priceOptionId,
      partNumber: product.partNumber,
      description: product.description,
      quantity: item.quantity,
      unitPrice: option.price,
      status: 'Pending',
      trackingNumber: null,
      carrier: null,
      ...(option.requiredFields && item.requiredFields ? { requiredFields: { ...item.requiredFields } } : {}),
    });
  });
  // All or nothing: one bad line and no order is created.
  if (errors.length) return invalid(ctx.res, errors, 422);

  const order: SeededOrder = {
    tenant: ctx.tenant,
    orderId: ctx.state.nextOrderId(),
    status: 'Pending',
    poNumber: body.poNumber ?? null,
    createdDate: new Date(ctx.state.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    companyId: facility.companyId,
    rootCompanyId: company.rootCompanyId,
    requesterId: body.requesterId,
    userId: body.userId ?? null,
    facilityId: body.facilityId,
    shippingMethod: body.shippingMethod,
    useShippingAccount: body.useShippingAccount ?? false,
    shippingAddressId: body.shippingAddressId,
    billingAddressId: body.billingAddressId,
    lineItems: lines.map((l) => ({ ...l, lineId: ctx.state.nextLineId() })),
  };
  ctx.state.orders.set(order.orderId, order);
  return ok(ctx.res, orderView(order), 201);
}

/** Requester, user, facility and addresses must exist (404) and be the caller's (403). */
function checkReferences(ctx: RouteContext, body: OrderBody): SandboxResponse | undefined {
  const checks: Array<[string, number | null | undefined, (id: number) => Owned<unknown>]> = [
    ['requester', body.requesterId, (v) => directory.user(v, ctx.tenant)],
    ['user', body.userId, (v) => directory.user(v, ctx.tenant)],
    ['facility', body.facilityId, (v) => directory.facility(v, ctx.tenant)],
    ['shipping address', body.shippingAddressId, (v) => directory.shippingAddress(v, ctx.tenant)],
    ['billing address', body.billingAddressId, (v) => directory.billingAddress(v, ctx.tenant)],
  ];
  for (const [label, value, find] of checks) {
    if (value === null || value === undefined) continue;
    const found = find(value);
    if (found.found === 'nowhere') return problem(ctx.res, 'not-found', `No ${label} found with ID: ${value}`);
    if (found.found === 'other-tenant') {
      return problem(ctx.res, 'forbidden', `The ${label} with ID ${value} belongs to another organization; access is limited to your tenant.`);
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// GET /orders/{orderId}

export function getOrder(ctx: RouteContext): SandboxResponse {
  const raw = safeDecode(ctx.params.orderId ?? '');
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    return invalid(ctx.res, [`orderId must be an integer; got "${raw}".`]);
  }
  const order = ctx.state.orders.get(Number(raw));
  if (!order) return problem(ctx.res, 'not-found', `No order found with ID: ${Number(raw)}`, ['Order does not exist or has been deleted']);
  if (order.tenant !== ctx.tenant) {
    return problem(ctx.res, 'forbidden', `Order ${order.orderId} belongs to another organization; access is limited to your tenant.`);
  }
  return ok(ctx.res, orderView(order));
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// GET /orders/search

export const ORDER_SEARCH_FIELDS: FieldSpec<SeededOrder>[] = [
  { name: 'orderId', type: 'Token', allowIn: true, get: (o) => o.orderId },
  { name: 'companyId', type: 'Token', allowIn: true, get: (o) => o.companyId },
  { name: 'rootCompanyId', type: 'Token', allowIn: true, get: (o) => o.rootCompanyId },
  { name: 'requesterId', type: 'Token', allowIn: true, get: (o) => o.requesterId },
  { name: 'status', type: 'Token', allowIn: true, get: (o) => o.status },
  { name: 'createdDate', type: 'DateTime', get: (o) => o.createdDate },
  { name: 'poNumber', type: 'String', get: (o) => o.poNumber },
  { name: 'lineId', type: 'Token', get: (o) => o.lineItems.map((l) => l.lineId) },
  { name: 'partNumber', type: 'String', alwaysSubstring: true, get: (o) => o.lineItems.map((l) => l.partNumber) },
  { name: 'lineItemDescription', type: 'String', get: (o) => o.lineItems.map((l) => l.description) },
];

const RULE_HINT =
  'Orders search needs orderId, poNumber or lineId, or a company filter (companyId or rootCompanyId) together with a bounded createdDate range, e.g. companyId:1001 AND createdDate>="2026-01-01" AND createdDate<="2026-03-31".';

export function searchOrders(ctx: RouteContext): SandboxResponse {
  const q = ctx.req.query;
  const paged = normalizePaging({ limit: q.get('limit') ?? undefined, offset: q.get('offset') ?? undefined }, { max: 100 }, '');
  if ('errors' in paged) return invalid(ctx.res, paged.errors);
  let clauses: Clause[];
  try {
    clauses = parseQuery(q.get('q') ?? '', ORDER_SEARCH_FIELDS, '/orders/search');
  } catch (error) {
    if (error instanceof QueryError) return invalid(ctx.res, [error.message]);
    throw error;
  }
  const positive = clauses.filter((c) => !c.negate);

  for (const clause of positive.filter((c) => c.field === 'companyId' || c.field === 'rootCompanyId')) {
    for (const value of clause.values) {
      const n = Number(value);
      if (!Number.isSafeInteger(n)) continue;
      const found = clause.field === 'companyId' ? directory.company(n, ctx.tenant) : directory.rootCompany(n, ctx.tenant);
      if (found.found === 'other-tenant') {
        return problem(ctx.res, 'forbidden', `${clause.field} ${n} belongs to another organization; access is limited to your tenant.`);
      }
    }
  }

  const ruleError = checkSearchRule(positive);
  if (ruleError) return invalid(ctx.res, [ruleError]);

  const hits = [...ctx.state.orders.values()]
    .filter((o) => o.tenant === ctx.tenant && matchesAll(o, clauses, ORDER_SEARCH_FIELDS))
    .sort((a, b) => a.orderId - b.orderId);
  return ok(ctx.res, pageOf(hits, paged.paging, orderSummary));
}

/** The documented orders-search validation rule; the range cap (366 days) is the reference's suggestion. */
function checkSearchRule(positive: Clause[]): string | undefined {
  const bypass = positive.some(
    (c) => (c.field === 'orderId' && (c.op === ':' || c.op === 'IN')) || ((c.field === 'poNumber' || c.field === 'lineId') && (c.op === ':' || c.op === '~')),
  );
  if (bypass) return undefined;
  const company = positive.some((c) => (c.field === 'companyId' || c.field === 'rootCompanyId') && (c.op === ':' || c.op === 'IN'));
  const dates = positive.filter((c) => c.field === 'createdDate');
  const lowers = dates.filter((c) => c.op === '>' || c.op === '>=' || c.op === ':').map((c) => parseDate(c.values[0]!)!);
  const uppers = dates.filter((c) => c.op === '<' || c.op === '<=' || c.op === ':').map((c) => parseDate(c.values[0]!)!);
  const missing = [
    ...(company ? [] : ['a company filter (companyId or rootCompanyId)']),
    ...(lowers.length ? [] : ['a createdDate lower bound (createdDate>= or createdDate>)']),
    ...(uppers.length ? [] : ['a createdDate upper bound (createdDate<= or createdDate<)']),
  ];
  if (missing.length) return `${RULE_HINT} Missing: ${missing.join('; ')}.`;
  const from = Math.max(...lowers);
  const to = Math.min(...uppers);
  if (to < from) return 'The createdDate range is empty: its upper bound is before its lower bound.';
  const days = (to - from) / DAY_MS;
  if (days > MAX_RANGE_DAYS) {
    return `The createdDate range spans ${Math.ceil(days)} days; at most ${MAX_RANGE_DAYS} days are allowed. Narrow the range or search by orderId, poNumber or lineId.`;
  }
  return undefined;
}

/** /orders/search is listed before /orders/{orderId}: dispatch takes the first matching row. */
export const ORDER_ROUTES: RouteDefinition[] = [
  {
    method: 'POST',
    path: '/orders',
    scope: 'write',
    operationId: 'createOrder',
    summary: 'Create an order from price options; idempotent per Idempotency-Key.',
    headers: [{ name: 'Idempotency-Key', type: 'string', required: true, description: 'UUID, one per logical order.' }],
    body: '{requesterId, facilityId, shippingAddressId, billingAddressId, shippingMethod: NEXTDAYFIRST|NEXTDAYSTANDARD|TWODAY|THREEDAY|GROUND, useShippingAccount?, poNumber?, userId?, quoteItems: [{priceOptionId, productId, quantity>=1, price, requiredFields?}]}',
    responses: [201, 400, 403, 404, 409, 422],
    handler: createOrder,
  },
  {
    method: 'GET',
    path: '/orders/search',
    scope: 'read',
    operationId: 'searchOrders',
    summary: 'Search orders: orderId, poNumber or lineId, or a company filter plus a createdDate range (<= 366 days).',
    query: PAGED_SEARCH_QUERY,
    responses: [200, 400, 403],
    handler: searchOrders,
  },
  {
    method: 'GET',
    path: '/orders/{orderId}',
    scope: 'read',
    operationId: 'getOrder',
    summary: 'Order status and details with line status, tracking number and carrier.',
    responses: [200, 400, 403, 404],
    handler: getOrder,
  },
];
