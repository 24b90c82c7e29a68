/**
 * The shape of a success's payload, before the byte budget: no field repeated within a result, and a list's items
 * compact unless the agent asked for more (`detail: "full"` or `fields`). The handler's data is not changed (the
 * audit record keeps it whole).
 */

import type * as z from 'zod';
import { MAX_WALK_DEPTH } from '../text-safety.js';
import { ToolInputError, type AnyTool } from '../tools/define.js';

type Json = Record<string, unknown>;

/**
 * An upstream answer nested deeper than any document this server passes on (a broken or hostile upstream: 100,000
 * nested arrays fit in 200 KB). Refused here, before any recursive step (this walk, JSON.stringify) overflows the stack.
 */
export class ResultTooDeepError extends Error {
  constructor(readonly maxDepth: number) {
    super(`the upstream's answer is nested deeper than ${maxDepth} levels`);
    this.name = 'ResultTooDeepError';
  }
}

/** How a list call asked for its items: `detail` (summary by default) and `fields` (exact projection). */
export interface ItemRequest {
  detail?: string;
  fields?: readonly string[];
}

/** The detail level that returns whole items. */
export const FULL_DETAIL = 'full';
/** A list call's `detail`, where the tool has no `detail` of its own. */
export const LIST_DETAILS = ['summary', FULL_DETAIL] as const;

/** Whether the tool's own input schema has this argument (then the server leaves it to the tool). */
export function hasOwnArgument(tool: AnyTool, name: string): boolean {
  const shape = (tool.input as { shape?: Record<string, unknown> }).shape;
  return Boolean(shape && Object.hasOwn(shape, name));
}

/** The item fields a list tool declares (its output's item schema), in declaration order. */
export function itemFieldNames(tool: AnyTool): string[] {
  const items = (tool.output as Record<string, z.ZodType>).items as unknown as { element?: { shape?: Record<string, unknown> } } | undefined;
  return Object.keys(items?.element?.shape ?? {});
}

/** Refuses `fields` naming an item field the tool does not declare, listing the ones it does (nothing sent). */
export function checkFields(tool: AnyTool, fields: readonly string[]): void {
  const valid = itemFieldNames(tool);
  const unknown = fields.filter((field) => !valid.includes(field));
  if (unknown.length === 0) return;
  throw new ToolInputError(
    `Unknown item field${unknown.length > 1 ? 's' : ''} in fields: ${unknown.join(', ')}; nothing was sent upstream. ${tool.name} items have: ${valid.join(', ')}. For every upstream field use detail "full"`,
  );
}

/** The payload as the agent gets it (before the byte budget): repeats dropped, a list's items compact or projected. */
export function shapeResult(tool: AnyTool, data: Json, request: ItemRequest): Json {
  const list = Array.isArray(data.items);
  // A list's items are documents of their own: the paging facts beside them are not their parent.
  const shaped = list ? { ...data, items: (data.items as unknown[]).map((item) => withoutRepeats(item, NO_CONTEXT, 2)) } : (withoutRepeats(data, NO_CONTEXT, 0) as Json);
  if (!list) return shaped;
  const items = shaped.items as unknown[];
  if (request.fields) return { ...shaped, items: items.map((item) => pick(item, request.fields!)) };
  if (request.detail === FULL_DETAIL || !tool.summaryFields) return shaped;
  // A further detail level that names an item field (list_customer_orders' `lines`) keeps that field too.
  const keep = request.detail && request.detail !== 'summary' ? [...tool.summaryFields, request.detail] : tool.summaryFields;
  return { ...shaped, items: items.map((item) => withoutEmpty(pick(item, keep))) };
}

const isObject = (value: unknown): value is Json => Boolean(value) && typeof value === 'object' && !Array.isArray(value);
type Scalar = string | number | boolean;
const isScalar = (value: unknown): value is Scalar => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** Keeps only the chosen fields of an item (fields an item lacks are simply absent). */
function pick(item: unknown, fields: readonly string[]): unknown {
  if (!isObject(item)) return item;
  return Object.fromEntries(fields.filter((f) => Object.hasOwn(item, f)).map((f) => [f, item[f]]));
}

/** Null and empty-string values dropped, at every depth (a compact item says only what is there). */
function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [key, field] of Object.entries(value)) if (field !== null && field !== '' && field !== undefined) out[key] = withoutEmpty(field);
  return out;
}

/**
 * Upstream fields that repeat another field of the same object: the repeat → the field it repeats. Dropped only
 * when the values are equal. `oderNo` is the upstream's misspelt copy of `orderNo` (reference §2.4); an invoice
 * line's `oeLineNumber` is its order line number, nearly always its own `lineNo`; an order line's `displayDesc`
 * is usually its `itemDesc`; an invoice's `freight` is usually its `shippingCost`; an address's physical lines
 * are usually its mailing lines.
 */
const REPEAT_OF: ReadonlyMap<string, string> = new Map([
  ['oderNo', 'orderNo'],
  ['oeLineNumber', 'lineNo'],
  ['displayDesc', 'itemDesc'],
  ['freight', 'shippingCost'],
  // A P21 address's physical lines when they are its mailing lines.
  ...['Address1', 'Address2', 'Address3', 'City', 'State', 'PostalCode', 'Country'].map((part) => [`phys${part}`, `mail${part}`] as const),
]);

const NO_CONTEXT: ReadonlyMap<string, Scalar> = new Map();

/**
 * A reference to another record (orderNo, invoiceNo, customerId, carrierId): in a line it names the same record as
 * in its document. Not a line's own `id`, nor a value (a price or a flag may be equal by chance and mean more).
 */
const REFERENCE = /[a-z](No|Id)$/;

/**
 * A value without repeated fields: an object in a list inside a document (an invoice's or order's lines, its pick
 * tickets and their lines) drops each reference equal to the same-named field of the nearest document above it,
 * and every object drops the fields of REPEAT_OF that repeat their counterpart. A single nested object (an address, user-defined fields) is a document of
 * its own: it starts afresh.
 */
function withoutRepeats(value: unknown, context: ReadonlyMap<string, Scalar>, depth: number): unknown {
  if (!value || typeof value !== 'object') return value;
  if (depth >= MAX_WALK_DEPTH) throw new ResultTooDeepError(MAX_WALK_DEPTH);
  if (Array.isArray(value)) return value.map((item) => withoutRepeats(item, context, depth + 1));
  const object = value as Json;
  const kept: Json = {};
  for (const [key, field] of Object.entries(object)) {
    if (isScalar(field) && REFERENCE.test(key) && context.get(key) === field) continue;
    const repeated = REPEAT_OF.get(key);
    if (repeated !== undefined && isScalar(field) && object[repeated] === field) continue;
    kept[key] = field;
  }
  let inner: Map<string, Scalar> | undefined;
  for (const [key, field] of Object.entries(kept)) {
    if (Array.isArray(field)) {
      // What the lists inside see above them: this object's own values, nearer than its parent's.
      inner ??= new Map([...context, ...Object.entries(object).filter((entry): entry is [string, Scalar] => isScalar(entry[1]))]);
      kept[key] = withoutRepeats(field, inner, depth + 1);
    } else if (isObject(field)) {
      kept[key] = withoutRepeats(field, NO_CONTEXT, depth + 1);
    }
  }
  return kept;
}
