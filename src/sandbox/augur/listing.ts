import { parseYmd } from './dates.js';
import { ApiError, badRequest } from './envelope.js';

/**
 * Query-parameter rules shared by the list endpoints (reference §2.2, §4.1, §5 #4-6, #19-20).
 * Every validator throws a 400 ApiError naming the parameter; unknown parameters are ignored.
 */

export interface Paging {
  limit: number;
  offset: number;
}

const DIGITS = /^\d+$/;

/** `limit` default 10 (any integer ≥ 1, no cap), `offset` default 0 (integer ≥ 0). */
export function parsePaging(query: URLSearchParams): Paging {
  const limit = query.get('limit');
  const offset = query.get('offset');
  if (limit !== null && (!DIGITS.test(limit) || Number(limit) < 1)) {
    throw badRequest('limit', 'limit must be an integer of at least 1');
  }
  if (offset !== null && !DIGITS.test(offset)) {
    throw badRequest('offset', 'offset must be an integer of at least 0');
  }
  return { limit: limit === null ? 10 : Number(limit), offset: offset === null ? 0 : Number(offset) };
}

export function page<T>(rows: readonly T[], paging: Paging): T[] {
  return rows.slice(paging.offset, paging.offset + paging.limit);
}

export interface OrderBy {
  /** camelCase field of the row to sort on. */
  field: string;
  direction: 'ASC' | 'DESC';
}

/** A row field can be sorted on when it holds a scalar (or null). */
type Row = object;

/**
 * `orderBy` is `snake_column|ASC` or `snake_column|DESC` (upper-case direction). The column is matched against the
 * table's fields ignoring underscores, so P21's irregular names (`class_5id`, `ship2_name`) work too.
 * `aliases` maps extra accepted column names (e.g. /customer's documented default `ordering`) to a field.
 */
export function parseOrderBy(
  query: URLSearchParams,
  table: string,
  sample: Row | undefined,
  fallback: string,
  aliases: Record<string, string> = {},
): OrderBy {
  const raw = query.get('orderBy') ?? fallback;
  const sentence = `orderBy is not column|ASC or column|DESC on a ${table} column`;
  const match = /^([a-z][a-z0-9_]*)\|(ASC|DESC)$/.exec(raw);
  if (!match) throw badRequest('orderBy', sentence);
  const [, column, direction] = match as unknown as [string, string, 'ASC' | 'DESC'];
  const alias = aliases[column];
  if (alias) return { field: alias, direction };
  const wanted = column.replace(/_/g, '');
  const field = sample
    ? Object.keys(sample).find((key) => key.toLowerCase() === wanted && isScalar((sample as Record<string, unknown>)[key]))
    : undefined;
  if (!field) throw badRequest('orderBy', sentence);
  return { field, direction };
}

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** Stable sort on one field; NULLs first on ASC like MySQL; ties keep their (primary key) order. */
export function sortRows<T extends Row>(rows: readonly T[], orderBy: OrderBy): T[] {
  const sign = orderBy.direction === 'ASC' ? 1 : -1;
  const get = (row: T): unknown => (row as Record<string, unknown>)[orderBy.field];
  return [...rows].sort((a, b) => sign * compare(get(a), get(b)));
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** One-character flag filter; values outside `allowed` are a 400 (upper case only, reference §5 #20). */
export function parseFlag<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[]): T | undefined;
export function parseFlag<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[], fallback: T): T;
export function parseFlag<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[], fallback?: T): T | undefined {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw badRequest(name, `${name} must be one of ${allowed.join(', ')}`);
  }
  return raw as T;
}

/** Orders' `[N|Y|B]` flags: N keeps rows whose flag is not Y, Y keeps rows whose flag is Y, B keeps both. */
export function matchesTriState(value: string | null, filter: 'Y' | 'N' | 'B'): boolean {
  if (filter === 'B') return true;
  return filter === 'Y' ? value === 'Y' : value !== 'Y';
}

/** `statusCd`: one code or a comma-joined list; `-1` (or absent) means every status. */
export function parseStatusCd(query: URLSearchParams): number[] | undefined {
  const raw = query.get('statusCd');
  if (raw === null || raw === '') return undefined;
  const parts = raw.split(',').map((part) => part.trim());
  if (parts.some((part) => !/^-?\d+$/.test(part))) {
    throw badRequest('statusCd', 'statusCd must be an integer or a comma-separated list of integers');
  }
  const codes = parts.map(Number);
  return codes.includes(-1) ? undefined : codes;
}

/** An optional integer query parameter (ids such as shipToId, addressId, supplierId). */
export function parseIntParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!/^-?\d+$/.test(raw)) throw badRequest(name, `${name} must be an integer`);
  return Number(raw);
}

/** A `YYYY-MM-DD` query parameter as a UTC midnight timestamp. */
export function parseDateParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const ms = parseYmd(raw);
  if (ms === undefined) throw badRequest(name, `${name} must be a date in YYYY-MM-DD format`);
  return ms;
}

/**
 * `createdFrom`/`createdTo` (both or neither) and `createdOn` on `date_created`. Returns a predicate over the
 * row's `dateCreated` (MySQL datetime).
 */
export function parseCreatedRange(query: URLSearchParams): (dateCreated: string) => boolean {
  const from = parseDateParam(query, 'createdFrom');
  const to = parseDateParam(query, 'createdTo');
  const on = query.get('createdOn');
  if (on !== null) parseDateParam(query, 'createdOn');
  if ((from === undefined) !== (to === undefined)) {
    const missing = from === undefined ? 'createdFrom' : 'createdTo';
    throw new ApiError(400, 'createdFrom requires createdTo and createdTo requires createdFrom', {
      [missing]: `${missing} is required when ${missing === 'createdFrom' ? 'createdTo' : 'createdFrom'} is given`,
    });
  }
  const fromDay = query.get('createdFrom');
  const toDay = query.get('createdTo');
  return (dateCreated) => {
    const day = dateCreated.slice(0, 10);
    if (on !== null && day !== on) return false;
    if (fromDay !== null && toDay !== null && (day < fromDay || day > toDay)) return false;
    return true;
  };
}

/** Required `q`: absent is a 400; an empty value matches everything. */
export function requireQ(query: URLSearchParams): string {
  const q = query.get('q');
  if (q === null) throw badRequest('q', 'q is required');
  return q;
}

/** Case-insensitive substring match of `q` against any of the given values (reference §5 #5). */
export function matchesQ(q: string | null | undefined, ...values: Array<string | number | null | undefined>): boolean {
  if (!q) return true;
  const needle = q.toLowerCase();
  return values.some((value) => value !== null && value !== undefined && String(value).toLowerCase().includes(needle));
}
