import type { SandboxResponse } from '../types.js';
import type { RouteContext } from './context.js';
import { normalizePaging, pageOf } from './paging.js';
import { matchesAll, parseQuery, QueryError, type FieldSpec } from './query-language.js';
import { invalid, ok } from './responses.js';
import { PAGED_SEARCH_QUERY, type RouteDefinition } from './route-definition.js';
import { MANUFACTURERS, type Manufacturer } from './seed.js';

export const MANUFACTURER_SEARCH_FIELDS: FieldSpec<Manufacturer>[] = [
  { name: 'name', type: 'String', get: (m) => m.name },
  { name: 'manufacturerId', type: 'Numeric', get: (m) => m.manufacturerId },
];

/** GET /manufacturers/search?q=&limit=&offset= (global: every tenant sees the same manufacturers). */
export function searchManufacturers(ctx: RouteContext): SandboxResponse {
  const q = ctx.req.query;
  const paged = normalizePaging({ limit: q.get('limit') ?? undefined, offset: q.get('offset') ?? undefined }, { max: 100 }, '');
  if ('errors' in paged) return invalid(ctx.res, paged.errors);
  try {
    const clauses = parseQuery(q.get('q') ?? '', MANUFACTURER_SEARCH_FIELDS, '/manufacturers/search');
    const hits = MANUFACTURERS.filter((m) => matchesAll(m, clauses, MANUFACTURER_SEARCH_FIELDS)).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    return ok(ctx.res, pageOf(hits, paged.paging, (m) => ({ manufacturerId: m.manufacturerId, name: m.name })));
  } catch (error) {
    if (error instanceof QueryError) return invalid(ctx.res, [error.message]);
    throw error;
  }
}

export const MANUFACTURER_ROUTES: RouteDefinition[] = [
  {
    method: 'GET',
    path: '/manufacturers/search',
    scope: 'read',
    operationId: 'searchManufacturers',
    summary: 'Search manufacturers (fields name, manufacturerId).',
    query: PAGED_SEARCH_QUERY,
    responses: [200, 400],
    handler: searchManufacturers,
  },
];
