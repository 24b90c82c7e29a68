/**
 * The response budget of list tools and the argument tolerance of every tool, applied by the server boundary.
 */

import { truncateText } from '../clients/errors.js';

type Json = Record<string, unknown>;

export const DEFAULT_MAX_RESULT_BYTES = 50_000;

/** Bytes of a value as JSON. */
const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/**
 * Fits a list result into `maxBytes` of JSON by dropping whole items from the end (never cutting one; the first
 * item is always kept, so paging always advances). When items were dropped the result says `truncated: true`,
 * `hasMore: true` and `nextOffset` = the offset to continue from.
 */
export function capItems<T extends { items: unknown[]; offset?: number }>(payload: T, maxBytes: number): T & { truncated?: true } {
  if (!(maxBytes > 0)) return payload;
  if (size(payload) <= maxBytes || payload.items.length <= 1) return payload;
  const offset = typeof payload.offset === 'number' ? payload.offset : 0;
  const shell = (kept: number) => ({ ...payload, items: [], hasMore: true, nextOffset: offset + kept, truncated: true as const });
  // The size with k items: the shell (with a nextOffset of the same digit count or fewer) plus items and commas.
  const kept = leadingItemsThatFit(payload.items, size(shell(payload.items.length)), maxBytes);
  return { ...shell(kept), items: payload.items.slice(0, kept) };
}

/** How many leading items fit (with their commas) when `used` of `limit` bytes are taken; the first always does. */
function leadingItemsThatFit(items: readonly unknown[], used: number, limit: number): number {
  let kept = 0;
  for (const item of items) {
    const add = size(item) + (kept > 0 ? 1 : 0);
    if (kept > 0 && used + add > limit) break;
    used += add;
    kept += 1;
  }
  return kept;
}

/** One part of a document that was cut to fit the budget. */
export interface TruncatedField {
  /** Where it is, e.g. `options` or `lines[0].serials`. */
  field: string;
  unit: 'items' | 'characters';
  kept: number;
  total: number;
}

/** Arrays deeper than this are not looked into (documents are shallow; the walk must stay cheap). */
const MAX_CUT_DEPTH = 32;
/** A string is shortened only when it is longer than this (ids and names never are). */
const MIN_CUT_STRING = 1_000;

/**
 * Fits one document into `maxBytes` of JSON, in three steps until it fits: the longest arrays inside it lose items
 * from the end (each keeps at least one), then the longest strings are cut (ending in "…"), and as a last resort
 * only the note is left. A cut document says `truncated: true`, `truncatedFields` (what was cut, how much was kept)
 * and `truncationHint` (how to get the rest). `skip` names a top-level array not to cut (a list's `items`, already
 * paged by capItems); the arrays inside its items are still cut.
 */
export function capDocument<T extends Json>(doc: T, maxBytes: number, skip?: string): T {
  if (!(maxBytes > 0)) return doc;
  if (size(doc) <= maxBytes) return doc;
  const out = structuredClone(doc) as Json;
  const cuts = new Map<string, TruncatedField>();
  const fits = () => size(withMarker(out, [...cuts.values()], maxBytes)) <= maxBytes;

  // Arrays, largest first; sizes are measured again after every cut (an outer cut may have removed inner arrays).
  for (let round = 0; round < 1_000 && !fits(); round++) {
    const arrays = collect(out, (v): v is unknown[] => Array.isArray(v) && v.length > 1, skip);
    if (arrays.length === 0) break;
    const [largest] = arrays.map((a) => ({ ...a, bytes: size(a.value) })).sort((a, b) => b.bytes - a.bytes);
    const { value: array, path } = largest!;
    const excess = size(withMarker(out, [...cuts.values(), { field: path, unit: 'items', kept: 0, total: 0 }], maxBytes)) - maxBytes;
    // The array's brackets (2 bytes), then items while they fit in what the array may still take.
    let kept = leadingItemsThatFit(array, 2, largest!.bytes - excess);
    if (kept >= array.length) kept = array.length - 1;
    const total = cuts.get(path)?.total ?? array.length;
    array.length = kept;
    cuts.set(path, { field: path, unit: 'items', kept, total });
  }
  // Long strings, largest first.
  for (let round = 0; round < 1_000 && !fits(); round++) {
    const strings = collect(out, (v): v is string => typeof v === 'string' && v.length > MIN_CUT_STRING, skip);
    if (strings.length === 0) break;
    const [longest] = strings.sort((a, b) => b.value.length - a.value.length);
    const excess = size(withMarker(out, [...cuts.values(), { field: longest!.path, unit: 'characters', kept: 0, total: 0 }], maxBytes)) - maxBytes;
    const keep = Math.max(MIN_CUT_STRING, longest!.value.length - Math.max(excess, 0) - 16);
    const shortened = truncateText(longest!.value, keep);
    longest!.set(shortened);
    const total = cuts.get(longest!.path)?.total ?? longest!.value.length;
    cuts.set(longest!.path, { field: longest!.path, unit: 'characters', kept: shortened.length - 1, total }); // "…" is not kept text
  }
  if (!fits()) {
    // Nothing left to cut that would do: say so rather than send the document whole.
    return withMarker({}, [{ field: '(whole document)', unit: 'items', kept: 0, total: 1 }], maxBytes) as T;
  }
  return withMarker(out, [...cuts.values()], maxBytes) as T;
}

function withMarker(doc: Json, cuts: TruncatedField[], maxBytes: number): Json {
  if (cuts.length === 0) return doc;
  return {
    ...doc,
    truncated: true,
    truncatedFields: cuts,
    truncationHint: `The document was larger than the ${maxBytes}-byte result budget, so the fields in truncatedFields were cut (arrays keep their first items). Ask for less (a narrower id, a list tool with limit/offset, or fields) or ask the operator to raise --max-result-bytes.`,
  };
}

interface Found<V> {
  path: string;
  value: V;
  set(value: V): void;
}

/** Every value matching `match` inside `doc` (not `doc` itself), with its path and a setter. */
function collect<V>(doc: Json, match: (value: unknown) => value is V, skip?: string): Array<Found<V>> {
  const found: Array<Found<V>> = [];
  const visit = (value: unknown, path: string, set: (v: V) => void, depth: number, top: boolean) => {
    if (match(value) && !(top && path === skip)) found.push({ path, value, set });
    if (!value || typeof value !== 'object' || depth >= MAX_CUT_DEPTH) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${path}[${index}]`, (v) => (value[index] = v), depth + 1, false));
    } else {
      for (const [key, item] of Object.entries(value as Json)) {
        visit(item, path ? `${path}.${key}` : key, (v) => ((value as Json)[key] = v), depth + 1, path === '');
      }
    }
  };
  visit(doc, '', () => {}, 0, false);
  return found;
}

/**
 * Some clients send object or array arguments as JSON text. Where the advertised schema expects an object or an
 * array and the string parses to exactly that, the parsed value is used; anything else is left for validation.
 */
export function parseStringifiedArguments(args: Json, inputSchema: { properties?: Record<string, unknown> }): Json {
  const properties = inputSchema.properties ?? {};
  let out: Json | undefined;
  for (const [name, value] of Object.entries(args)) {
    if (typeof value !== 'string') continue;
    const expects = expectedKinds(properties[name]);
    if (!expects.object && !expects.array) continue;
    const text = value.trim();
    if (!(text.startsWith('{') || text.startsWith('['))) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      continue;
    }
    const isArray = Array.isArray(parsed);
    const isObject = parsed !== null && typeof parsed === 'object' && !isArray;
    if ((isArray && expects.array) || (isObject && expects.object)) (out ??= { ...args })[name] = parsed;
  }
  return out ?? args;
}

function expectedKinds(schema: unknown): { object: boolean; array: boolean } {
  const types = new Set<string>();
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const s = node as Json;
    if (typeof s.type === 'string') types.add(s.type);
    if (Array.isArray(s.type)) for (const t of s.type) types.add(String(t));
    for (const key of ['anyOf', 'oneOf']) if (Array.isArray(s[key])) (s[key] as unknown[]).forEach(visit);
  };
  visit(schema);
  return { object: types.has('object') && !types.has('string'), array: types.has('array') && !types.has('string') };
}
