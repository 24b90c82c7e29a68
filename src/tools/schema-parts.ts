import * as z from 'zod';

/** Argument and output definitions shared by several tools: defined once, described once. */

/** How an id the server takes as a number or a string of digits is advertised, when as one form only. */
export type AdvertisedIdForm = 'integer' | 'digits';

/** Id schemas advertised in one form (advertiseAsInteger, advertiseAsDigits). */
const ADVERTISED_ID_FORMS = new WeakMap<object, AdvertisedIdForm>();

/**
 * Advertises an id that the server takes as a number or a string of digits as a positive integer only: for ids the
 * upstream itself returns as numbers (an Augur customerId, shipToId, ...), so the agent has a number to pass; the
 * digit string stays accepted for an agent that quotes it. Half the tokens of the `anyOf`.
 */
export function advertiseAsInteger<T extends z.ZodType>(schema: T): T {
  ADVERTISED_ID_FORMS.set(schema, 'integer');
  return schema;
}

/**
 * Advertises an id that the server takes as a number or a string of digits as the digit string only: for ids the
 * upstream returns as strings (document and contact numbers), so the agent passes what it read; a number stays
 * accepted. A third of the tokens of the `anyOf` of both.
 */
export function advertiseAsDigits<T extends z.ZodType>(schema: T): T {
  ADVERTISED_ID_FORMS.set(schema, 'digits');
  return schema;
}

/** The one form an id schema is advertised in, if it was given one. */
export function advertisedIdForm(schema: object): AdvertisedIdForm | undefined {
  return ADVERTISED_ID_FORMS.get(schema);
}

/** `what` only where the name does not say it: an id's source ("From lookup_user."). */
export const positiveId = (what?: string) => (what ? z.number().int().positive().describe(what) : z.number().int().positive());

export const pageArgs = (maxLimit: number, defaultLimit = 20) => ({
  limit: z
    .number()
    .int()
    .min(1)
    .max(maxLimit)
    .default(defaultLimit),
  offset: z.number().int().min(0).default(0), // nextOffset of the previous page
});

/** A non-empty text argument of at most `max` characters; `what` only where the name does not say it. */
export const text = (max: number, what?: string) => (what ? z.string().trim().min(1).max(max).describe(what) : z.string().trim().min(1).max(max));

/** An optional text field that may be empty; `what` only where the name does not say it already. */
export const optionalText = (max: number, what?: string) =>
  (what ? z.string().trim().max(max).describe(what) : z.string().trim().max(max)).optional();

export const sortDir = z.enum(['Asc', 'Desc']);

/** Paging facts every list tool returns. */
export const pageFacts = {
  total: z.number().int().describe('All matches.'),
  limit: z.number().int().describe('Page size applied by the upstream.'),
  offset: z.number().int(),
  hasMore: z.boolean(),
  nextOffset: z.number().int().optional().describe('Offset of the next page; present only when hasMore.'),
};

/** A list tool's output: the items and the paging facts. */
export const listOutput = <T extends z.ZodType>(item: T) => ({ items: z.array(item), ...pageFacts });

interface PageNumbers {
  total: number;
  limit: number;
  offset: number;
  hasMore: boolean;
}

/** A page as a client returns it: PartsSource's `{items, pagination}` or Augur's flat page. */
export type UpstreamPage<T> = { items: T[]; pagination: PageNumbers } | ({ items: T[] } & PageNumbers);

/** A list tool's payload: the page's items and its paging facts. */
export function listPayload<T>(page: UpstreamPage<T>) {
  const numbers = 'pagination' in page ? page.pagination : page;
  return { items: page.items, ...paging(numbers, page.items.length) };
}

/** Paging facts from the upstream's numbers; `nextOffset` follows the items actually returned. */
export function paging(p: PageNumbers, itemCount: number) {
  return {
    total: p.total,
    limit: p.limit,
    offset: p.offset,
    hasMore: p.hasMore,
    ...(p.hasMore ? { nextOffset: p.offset + Math.max(itemCount, 1) } : {}),
  };
}

/** How deep and how large a pass-through record may be (it is sent upstream as given). */
export const MAX_RECORD_DEPTH = 10;
export const MAX_RECORD_BYTES = 64 * 1024;

/**
 * A record of further upstream fields, sent as given. Bounded in depth and size before anything else looks at it:
 * a record nested 100,000 deep would overflow the stack of every recursive step after validation (the write summary,
 * JSON.stringify of the request body), so it is refused here, iteratively, as an invalid argument naming the field.
 */
export const passThroughRecord = (description: string) =>
  z
    .record(z.string().max(100), z.unknown())
    .superRefine((record, ctx) => {
      if (deeperThan(record, MAX_RECORD_DEPTH)) {
        ctx.addIssue({ code: 'custom', message: `nested deeper than ${MAX_RECORD_DEPTH} levels; send a flatter record` });
        return;
      }
      const bytes = Buffer.byteLength(JSON.stringify(record));
      if (bytes > MAX_RECORD_BYTES) ctx.addIssue({ code: 'custom', message: `${bytes} bytes of JSON, more than the ${MAX_RECORD_BYTES} allowed` });
    })
    .describe(description);

/** Whether objects or arrays nest more than `max` levels (the value itself is level 1); no recursion. */
function deeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) if (child && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
