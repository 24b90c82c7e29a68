import type { Handler } from './context.js';

/**
 * What one route entry of the Customer API is. Each resource module declares its entries beside its handlers
 * (`CATALOG_ROUTES` in catalog.ts, ...); routes.ts combines them into the table that drives dispatch, the scope
 * check and the generated OpenAPI document. Its own module so the resource modules and routes.ts can both import
 * it without importing each other.
 */

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
 * source for dispatch, scope checks and the generated OpenAPI document.
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

/** The query of the search endpoints that take the search query language and offset paging. */
export const PAGED_SEARCH_QUERY: ParamDoc[] = [
  { name: 'q', type: 'string', description: 'Search-query-language expression: clauses joined by AND.' },
  { name: 'limit', type: 'integer', description: 'Page size, default 50, max 100 (larger values are clamped).' },
  { name: 'offset', type: 'integer', description: 'Items to skip, default 0.' },
];
