import * as z from 'zod';

/** Argument and output definitions shared by several tools: defined once, described once. */

export const positiveId = (what: string) => z.number().int().positive().describe(what);

export const pageArgs = (maxLimit: number, defaultLimit = 20) => ({
  limit: z
    .number()
    .int()
    .min(1)
    .max(maxLimit)
    .default(defaultLimit),
  offset: z.number().int().min(0).default(0), // nextOffset of the previous page
});

export const sortDir = z.enum(['Asc', 'Desc']).describe('Sort direction (default Asc).');

/** Paging facts every list tool returns. */
export const pageFacts = {
  total: z.number().int().describe('All matches.'),
  limit: z.number().int().describe('Page size applied by the upstream.'),
  offset: z.number().int(),
  hasMore: z.boolean(),
  nextOffset: z.number().int().optional().describe('Offset of the next page; present only when hasMore.'),
};

/** Paging facts from the upstream's numbers; `nextOffset` follows the items actually returned. */
export function paging(p: { total: number; limit: number; offset: number; hasMore: boolean }, itemCount: number) {
  return {
    total: p.total,
    limit: p.limit,
    offset: p.offset,
    hasMore: p.hasMore,
    ...(p.hasMore ? { nextOffset: p.offset + Math.max(itemCount, 1) } : {}),
  };
}
