import type { PublicHandler, SiteHandler } from './context.js';

/**
 * What one route entry of the Augur customers service is, and the query parameters many entries share. Each
 * handler module declares its entries beside its handlers (`INVOICE_ROUTES` in handlers/documents.ts, ...);
 * routes.ts combines them into the table that drives dispatch, authentication and the generated OpenAPI document.
 * Its own module so the handler modules and routes.ts can both import it without importing each other.
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

/** The prefix of every route about one customer. */
export const CUSTOMER_PATH = '/customer/{customerId}';

const limit: QueryParamSpec = { name: 'limit', type: 'integer', default: 10, description: 'Page size (at least 1)' };
const offset: QueryParamSpec = { name: 'offset', type: 'integer', default: 0, description: 'Rows to skip' };
export const PAGING = [limit, offset] as const;

export const orderByParam = (fallback: string, table: string): QueryParamSpec => ({
  name: 'orderBy',
  type: 'string',
  default: fallback,
  description: `snake_case ${table} column with |ASC or |DESC`,
});

export const qParam = (required = false): QueryParamSpec => ({ name: 'q', type: 'string', required, description: 'Case-insensitive search text' });

export const STATUS_CD_PARAM: QueryParamSpec = {
  name: 'statusCd',
  type: 'integer-list',
  description: 'Comma-joined status codes (704 active, 705 inactive, 700 deleted); -1 or absent = every status',
};

export const CREATED_RANGE_PARAMS: readonly QueryParamSpec[] = [
  { name: 'createdFrom', type: 'date', description: 'date_created from (requires createdTo)' },
  { name: 'createdTo', type: 'date', description: 'date_created to (requires createdFrom)' },
  { name: 'createdOn', type: 'date', description: 'date_created on one day' },
];

export const badOrderByError = (table: string): Record<number, string> => ({ 400: `orderBy is not column|ASC or column|DESC on a ${table} column` });
