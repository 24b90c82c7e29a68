/**
 * Offset paging as documented: out-of-range values are corrected, not refused (too large -> the cap, zero or
 * negative limit -> 50, negative offset -> 0, unknown sortDir -> Asc, unknown sortBy -> the endpoint's default),
 * and the applied values are reported. Only a value that is not a number at all is a 400.
 */
export interface PagingInput {
  limit?: unknown;
  offset?: unknown;
  sortBy?: unknown;
  sortDir?: unknown;
}

export interface PagingRules {
  max: number;
  sortFields?: readonly string[];
  defaultSort?: string;
}

export interface Paging {
  limit: number;
  offset: number;
  sortBy?: string;
  sortDir: 'Asc' | 'Desc';
}

export const DEFAULT_LIMIT = 50;

export function normalizePaging(input: PagingInput, rules: PagingRules, where: string): { paging: Paging } | { errors: string[] } {
  const errors: string[] = [];
  const int = (name: string, value: unknown): number | undefined => {
    if (value === undefined || value === null || value === '') return undefined;
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(n)) {
      errors.push(`${where}${name} must be an integer; got ${JSON.stringify(value)}.`);
      return undefined;
    }
    return n;
  };
  const rawLimit = int('limit', input.limit);
  const rawOffset = int('offset', input.offset);
  if (errors.length) return { errors };

  const limit = rawLimit === undefined || rawLimit <= 0 ? DEFAULT_LIMIT : Math.min(rawLimit, rules.max);
  const offset = rawOffset === undefined || rawOffset < 0 ? 0 : rawOffset;
  const sortDir = typeof input.sortDir === 'string' && input.sortDir.toLowerCase() === 'desc' ? 'Desc' : 'Asc';
  const paging: Paging = { limit, offset, sortDir };
  if (rules.sortFields) {
    const requested = typeof input.sortBy === 'string' ? input.sortBy.toLowerCase() : '';
    paging.sortBy = rules.sortFields.find((f) => f.toLowerCase() === requested) ?? rules.defaultSort ?? rules.sortFields[0]!;
  }
  return { paging };
}

/** `{ items, pagination }`, the documented shape of every paginated `data`. */
export function pageOf<T, R>(all: T[], paging: Paging, map: (item: T) => R) {
  const items = all.slice(paging.offset, paging.offset + paging.limit).map(map);
  return {
    items,
    pagination: {
      total: all.length,
      limit: paging.limit,
      offset: paging.offset,
      hasMore: paging.offset + items.length < all.length,
      ...(paging.sortBy ? { sortBy: paging.sortBy, sortDir: paging.sortDir } : {}),
    },
  };
}

/** One collator: `localeCompare(b, 'en', options)` builds one per comparison (7.4 ms to sort 330 parts, 0.15 ms with this). */
const BASE_COLLATOR = new Intl.Collator('en', { sensitivity: 'base' });

export function sortBy<T>(items: T[], key: (item: T) => string | number, dir: 'Asc' | 'Desc', tieBreak: (item: T) => string | number): T[] {
  const sign = dir === 'Desc' ? -1 : 1;
  const cmp = (a: string | number, b: string | number) =>
    typeof a === 'string' && typeof b === 'string' ? BASE_COLLATOR.compare(a, b) : a < b ? -1 : a > b ? 1 : 0;
  return [...items].sort((a, b) => sign * cmp(key(a), key(b)) || cmp(tieBreak(a), tieBreak(b)));
}
