import type { SandboxResponse } from '../types.js';
import { catalogDetail, searchCatalog } from './catalog.js';
import type { Handler, RouteContext } from './context.js';
import { searchManufacturers } from './manufacturers.js';
import { createOrder, getOrder, searchOrders } from './orders.js';
import { ok } from './responses.js';
import { lookupUser, searchUsers } from './users.js';

/** `read` = customer:read or customer:write; `write` = customer:write; `none` = no token, no API key. */
export type RouteScope = 'read' | 'write' | 'none';

export interface ParamDoc {
  name: string;
  type: 'string' | 'integer';
  required?: boolean;
  description: string;
}

/**
 * One operation of the Customer API as the sandbox serves it. Declarative on purpose: the table is the single
 * source for dispatch, scope checks and (later) the generated OpenAPI document.
 */
export interface RouteDefinition {
  method: 'GET' | 'POST';
  /** Below the API base (`/customer`, alias `/customer/api`); `{name}` is a path parameter. */
  path: string;
  scope: RouteScope;
  operationId: string;
  summary: string;
  query?: ParamDoc[];
  headers?: ParamDoc[];
  /** JSON request body, described. */
  body?: string;
  /** Status codes the route can answer besides the common 401/403/429. */
  responses: number[];
  /** Not part of the documented Customer API. */
  sandboxOnly?: boolean;
  handler: Handler;
}

const pagingQuery: ParamDoc[] = [
  { name: 'q', type: 'string', description: 'Search-query-language expression: clauses joined by AND.' },
  { name: 'limit', type: 'integer', description: 'Page size, default 50, max 100 (larger values are clamped).' },
  { name: 'offset', type: 'integer', description: 'Items to skip, default 0.' },
];

export const ROUTES: RouteDefinition[] = [
  {
    method: 'GET',
    path: '/health',
    scope: 'none',
    operationId: 'health',
    summary: 'Sandbox readiness (the real Customer API documents no health path).',
    responses: [200],
    sandboxOnly: true,
    handler: (ctx: RouteContext): SandboxResponse => ok(ctx.res, { status: 'Healthy', service: 'customer-api', sandbox: true }),
  },
  {
    method: 'GET',
    path: '/users/lookup',
    scope: 'read',
    operationId: 'lookupUser',
    summary: 'A user profile with companies, facilities, shipping and billing addresses.',
    query: [
      { name: 'userId', type: 'integer', description: 'Contact id; exactly one of userId / username.' },
      { name: 'username', type: 'string', description: 'User name; exactly one of userId / username.' },
    ],
    responses: [200, 400, 403, 404],
    handler: lookupUser,
  },
  {
    method: 'GET',
    path: '/users/search',
    scope: 'read',
    operationId: 'searchUsers',
    summary: "Search users of the caller's organization (fields contactId, email, firstName, lastName, userName).",
    query: [
      ...pagingQuery,
      { name: 'sortBy', type: 'string', description: 'Id (default), FirstName, LastName, Email, UserName.' },
      { name: 'sortDir', type: 'string', description: 'Asc (default) or Desc.' },
    ],
    responses: [200, 400],
    handler: searchUsers,
  },
  {
    method: 'POST',
    path: '/catalog/search',
    scope: 'read',
    operationId: 'searchCatalog',
    summary: 'Keyword / filter part search over the global catalog.',
    body: '{keyword?, filters?: {manufacturerId?, manufacturer?, partNumber?}, pagination?: {limit<=200, offset, sortBy: PartNumber|Description|Manufacturer|Price|QuantityAvailable, sortDir: Asc|Desc}}',
    responses: [200, 400],
    handler: searchCatalog,
  },
  {
    method: 'GET',
    path: '/catalog/detail',
    scope: 'read',
    operationId: 'getCatalogDetail',
    summary: 'Product detail with its price options (priceOptionId quotes valid 30 days).',
    query: [
      { name: 'productId', type: 'string', required: true, description: 'From catalog search, e.g. CAT-123.' },
      { name: 'requesterId', type: 'integer', required: true, description: 'contactId from user lookup.' },
    ],
    responses: [200, 400, 403, 404],
    handler: catalogDetail,
  },
  {
    method: 'POST',
    path: '/catalog/detail',
    scope: 'read',
    operationId: 'getCatalogDetailPost',
    summary: 'Same as GET /catalog/detail with a JSON body {productId, requesterId}.',
    body: '{productId: string, requesterId: integer}',
    responses: [200, 400, 403, 404],
    handler: catalogDetail,
  },
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
    query: pagingQuery,
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
  {
    method: 'GET',
    path: '/manufacturers/search',
    scope: 'read',
    operationId: 'searchManufacturers',
    summary: 'Search manufacturers (fields name, manufacturerId).',
    query: pagingQuery,
    responses: [200, 400],
    handler: searchManufacturers,
  },
];

const COMPILED = ROUTES.map((route) => ({
  route,
  names: [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
  // Routing is case-insensitive, as ASP.NET Core routes are.
  regex: new RegExp(`^${route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '([^/]+)')}$`, 'i'),
}));

export type RouteMatch =
  | { kind: 'route'; route: RouteDefinition; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'none' };

/** First matching row wins, so static paths (/orders/search) are listed before parameterised ones. */
export function matchRoute(method: string, path: string): RouteMatch {
  const byPath = COMPILED.map((c) => ({ c, m: c.regex.exec(path) })).filter((x) => x.m);
  if (byPath.length === 0) return { kind: 'none' };
  const hit = byPath.find((x) => x.c.route.method === method.toUpperCase());
  if (!hit) return { kind: 'method-not-allowed', allow: [...new Set(byPath.map((x) => x.c.route.method))] };
  const params = Object.fromEntries(hit.c.names.map((name, i) => [name, hit.m![i + 1]!]));
  return { kind: 'route', route: hit.c.route, params };
}
