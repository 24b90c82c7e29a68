import type { SandboxResponse } from '../types.js';
import { parseId, readJsonBody, type RouteContext } from './context.js';
import { directory } from './directory.js';
import { normalizePaging, pageOf, sortBy, type PagingInput } from './paging.js';
import { invalid, ok, problem } from './responses.js';
import type { RouteDefinition } from './route-definition.js';
import { CATALOG, PRODUCTS_BY_ID, type Product } from './seed.js';
import { PRICE_OPTION_VALIDITY_MS } from './state.js';

export const CATALOG_SORT_FIELDS = ['PartNumber', 'Description', 'Manufacturer', 'Price', 'QuantityAvailable'] as const;
const SORT_KEYS: Record<(typeof CATALOG_SORT_FIELDS)[number], (p: Product) => string | number> = {
  PartNumber: (p) => p.partNumber,
  Description: (p) => p.description,
  Manufacturer: (p) => p.manufacturer,
  Price: (p) => p.price,
  QuantityAvailable: (p) => p.quantityAvailable,
};

export const catalogItem = (p: Product) => ({
  productId: p.productId,
  partNumber: p.partNumber,
  description: p.description,
  manufacturer: p.manufacturer,
  manufacturerId: p.manufacturerId,
  price: p.price,
  quantityAvailable: p.quantityAvailable,
});

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** POST /catalog/search `{keyword?, filters?: {manufacturerId?, manufacturer?, partNumber?}, pagination?}`. */
export function searchCatalog(ctx: RouteContext): SandboxResponse {
  const read = readJsonBody(ctx);
  if ('response' in read) return read.response;
  const body = read.body;
  if (!isObject(body)) return invalid(ctx.res, ['The request body must be a JSON object: {keyword?, filters?, pagination?}.']);

  const errors: string[] = [];
  const { keyword, filters = {}, pagination = {} } = body as { keyword?: unknown; filters?: unknown; pagination?: unknown };
  if (keyword !== undefined && keyword !== null && typeof keyword !== 'string') errors.push('keyword must be a string.');
  if (filters !== null && !isObject(filters)) errors.push('filters must be an object: {manufacturerId?, manufacturer?, partNumber?}.');
  if (pagination !== null && !isObject(pagination)) errors.push('pagination must be an object: {limit?, offset?, sortBy?, sortDir?}.');
  const f = (isObject(filters) ? filters : {}) as Record<string, unknown>;
  if (f.manufacturerId !== undefined && f.manufacturerId !== null && !Number.isInteger(f.manufacturerId)) {
    errors.push('filters.manufacturerId must be an integer (see GET /manufacturers/search).');
  }
  for (const key of ['manufacturer', 'partNumber'] as const) {
    if (f[key] !== undefined && f[key] !== null && typeof f[key] !== 'string') errors.push(`filters.${key} must be a string.`);
  }
  const paged = normalizePaging((isObject(pagination) ? pagination : {}) as PagingInput, { max: 200, sortFields: CATALOG_SORT_FIELDS, defaultSort: 'PartNumber' }, 'pagination.');
  if ('errors' in paged) errors.push(...paged.errors);
  if (errors.length || 'errors' in paged) return invalid(ctx.res, errors);

  const words = typeof keyword === 'string' ? keyword.toLowerCase().split(/\s+/).filter(Boolean) : [];
  const manufacturerId = typeof f.manufacturerId === 'number' ? f.manufacturerId : undefined;
  const manufacturer = typeof f.manufacturer === 'string' && f.manufacturer.trim() ? f.manufacturer.trim().toLowerCase() : undefined;
  const partNumber = typeof f.partNumber === 'string' && f.partNumber.trim() ? f.partNumber.trim().toLowerCase() : undefined;
  if (words.length === 0 && manufacturerId === undefined && !manufacturer && !partNumber) {
    return invalid(ctx.res, ['Provide a keyword or at least one filter (filters.manufacturerId, filters.manufacturer, filters.partNumber).']);
  }

  const hits = CATALOG.filter((p) => {
    // Every keyword word must appear somewhere in the description, part number or manufacturer.
    const haystack = `${p.description} ${p.partNumber} ${p.manufacturer}`.toLowerCase();
    if (!words.every((w) => haystack.includes(w))) return false;
    if (manufacturerId !== undefined && p.manufacturerId !== manufacturerId) return false;
    if (manufacturer && !p.manufacturer.toLowerCase().includes(manufacturer)) return false;
    if (partNumber && !p.partNumber.toLowerCase().includes(partNumber)) return false;
    return true;
  });
  const { paging } = paged;
  const sorted = sortBy(hits, SORT_KEYS[paging.sortBy as keyof typeof SORT_KEYS], paging.sortDir, (p) => p.productId);
  return ok(ctx.res, pageOf(sorted, paging, catalogItem));
}

/** GET /catalog/detail?productId=&requesterId= (POST with the same JSON keys also accepted). */
export function catalogDetail(ctx: RouteContext): SandboxResponse {
  let productId: unknown;
  let requesterRaw: unknown;
  if (ctx.req.method === 'POST') {
    const read = readJsonBody(ctx);
    if ('response' in read) return read.response;
    if (!isObject(read.body)) return invalid(ctx.res, ['The request body must be a JSON object: {productId, requesterId}.']);
    ({ productId, requesterId: requesterRaw } = read.body);
  } else {
    productId = ctx.req.query.get('productId') ?? undefined;
    requesterRaw = ctx.req.query.get('requesterId') ?? undefined;
  }
  const errors: string[] = [];
  if (typeof productId !== 'string' || !productId.trim()) errors.push('productId is required (a string such as "CAT-123", from POST /catalog/search).');
  const requesterId = typeof requesterRaw === 'number' ? (Number.isSafeInteger(requesterRaw) && requesterRaw > 0 ? requesterRaw : undefined) : parseId(requesterRaw as string | undefined);
  if (requesterId === undefined) errors.push('requesterId is required: a positive integer (the contactId from GET /users/lookup).');
  if (errors.length) return invalid(ctx.res, errors);

  const requester = directory.user(requesterId!, ctx.tenant);
  if (requester.found === 'nowhere') return problem(ctx.res, 'not-found', `No requester found with ID: ${requesterId}`);
  if (requester.found === 'other-tenant') {
    return problem(ctx.res, 'forbidden', `Requester ${requesterId} belongs to another organization; access is limited to your tenant.`);
  }
  const product = PRODUCTS_BY_ID.get((productId as string).trim());
  if (!product) return problem(ctx.res, 'not-found', `No product found with ID: ${String(productId)}`);

  // Each call quotes again: the options are (re)issued to this tenant and valid for 30 days from now.
  const options = product.options.map((o) => {
    const issuedAt = ctx.state.issueOption(ctx.tenant, o.priceOptionId);
    return {
      priceOptionId: o.priceOptionId,
      price: o.price,
      condition: o.condition,
      warranty: o.warranty,
      purchaseChoice: o.purchaseChoice,
      vendor: o.vendor,
      // Sandbox extension (not in the public docs): when the quote stops being orderable.
      expiresAt: new Date(issuedAt + PRICE_OPTION_VALIDITY_MS).toISOString(),
      ...(o.requiredFields ? { requiredFields: o.requiredFields.map((f) => ({ ...f })) } : {}),
    };
  });
  return ok(ctx.res, { ...catalogItem(product), options });
}

export const CATALOG_ROUTES: RouteDefinition[] = [
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
];
