import * as z from 'zod';
import { ToolInputError } from '../define.js';
import { advertiseAsDigits, advertiseAsInteger, pageArgs, paging } from '../schema-parts.js';

/** Argument and output helpers shared by the Augur tools. */

/** Augur list default and cap: the service's own default page (10), capped at 100 by our policy. */
export const AUGUR_MAX_LIMIT = 100;
export const AUGUR_DEFAULT_LIMIT = 10;
export const augurPage = () => pageArgs(AUGUR_MAX_LIMIT, AUGUR_DEFAULT_LIMIT);

/**
 * A numeric id: a positive integer, or the same as a string of digits (the service returns document and contact
 * numbers as strings, e.g. invoiceNo "1000123", and advertised so). Anything else is refused before any request.
 */
export const augurId = (what: string) =>
  advertiseAsDigits(
    z
      .union([
        z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
        z.string().regex(/^[1-9][0-9]{0,15}$/, 'expected a positive integer'),
      ])
      .describe(what),
  );

/** An id the service returns as a number (customerId, shipToId, ...): advertised as an integer, a digit string still taken. */
export const numericAugurId = (what: string) => advertiseAsInteger(augurId(what));

export const customerId = numericAugurId('customerId from lookup_customer.');

/** A customer document's key fields in a list (list_customers, list_salesrep_customers). */
export const CUSTOMER_SUMMARY = ['customerId', 'customerName', 'companyId', 'class5Id', 'salesRepId', 'termsDesc', 'statusCd'];

export const orderBy = (example: string) =>
  z
    .string()
    .regex(/^[a-z][a-z0-9_]*\|(ASC|DESC)$/, 'expected snake_case_column|ASC or snake_case_column|DESC')
    .describe(`e.g. ${example}`);

/** A calendar day (YYYY-MM-DD), described exactly as `description`. */
const day = (description: string) => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD').describe(description);

export const isoDate = (what?: string) => day(what ? `${what} (YYYY-MM-DD).` : 'YYYY-MM-DD');

/** A document list's filter on its creation day (the upstream's date_created), both ends included. */
export const createdRange = () => ({
  createdFrom: day('YYYY-MM-DD').optional(),
  createdTo: day('YYYY-MM-DD, default today').optional(),
});

/**
 * The range as the upstream takes it: both ends or neither (reference §2.3.10). createdFrom alone runs to today;
 * createdTo alone is refused (an open start has no meaningful default). "Today" is the latest date anywhere on
 * Earth (UTC+14): the site's time zone is unknown, and a later end never loses a document created today.
 */
export function createdParams(range: { createdFrom?: string; createdTo?: string }): { createdFrom?: string; createdTo?: string } {
  const { createdFrom, createdTo } = range;
  if (createdFrom === undefined) {
    if (createdTo !== undefined) throw new ToolInputError('createdTo needs createdFrom (the first creation day, YYYY-MM-DD); nothing was sent');
    return {};
  }
  const to = createdTo ?? new Date(Date.now() + 14 * 3_600_000).toISOString().slice(0, 10);
  if (to < createdFrom) throw new ToolInputError(`createdFrom ${createdFrom} is after createdTo ${to}; nothing was sent`);
  return { createdFrom, createdTo: to };
}

/**
 * Paging facts of a report (aging, sales usage) that pages over its `data` rows and counts them all in one field:
 * the service sends no hasMore, so it follows from the requested page and the count.
 */
export function reportPaging(page: { limit: number; offset: number }, rows: number, total: number) {
  return paging({ total, limit: page.limit, offset: page.offset, hasMore: page.offset + rows < total }, rows);
}

/** Booleans in, Y/N out. */
export const yn = (value: boolean | undefined) => (value === undefined ? undefined : value ? ('Y' as const) : ('N' as const));

/** Status enum in, statusCd out (704 active, 705 inactive). */
export const statusArg = z.enum(['active', 'inactive']);
export const statusCd = (status: 'active' | 'inactive' | undefined) =>
  status === undefined ? undefined : status === 'active' ? 704 : 705;

/** Drops undefined values (so that absent arguments never reach the wire). */
export function defined<T extends Record<string, unknown>>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}
