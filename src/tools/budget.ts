/**
 * The response budget of list tools and the argument tolerance of every tool, applied by the server boundary.
 */

type Json = Record<string, unknown>;

export const DEFAULT_MAX_RESULT_BYTES = 50_000;

/** Keeps only the chosen fields of every item (fields an item lacks are simply absent). */
export function projectItems(items: unknown[], fields: readonly string[]): unknown[] {
  return items.map((item) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(fields.filter((f) => Object.hasOwn(item, f)).map((f) => [f, (item as Json)[f]]))
      : item,
  );
}

/**
 * Fits a list result into `maxBytes` of JSON by dropping whole items from the end (never cutting one; the first
 * item is always kept, so paging always advances). When items were dropped the result says `truncated: true`,
 * `hasMore: true` and `nextOffset` = the offset to continue from.
 */
export function capItems<T extends { items: unknown[]; offset?: number }>(payload: T, maxBytes: number): T & { truncated?: true } {
  if (!(maxBytes > 0)) return payload;
  const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
  if (size(payload) <= maxBytes || payload.items.length <= 1) return payload;
  const offset = typeof payload.offset === 'number' ? payload.offset : 0;
  const shell = (kept: number) => ({ ...payload, items: [], hasMore: true, nextOffset: offset + kept, truncated: true as const });
  // The size with k items: the shell (with a nextOffset of the same digit count or fewer) plus items and commas.
  const base = size(shell(payload.items.length));
  let used = base;
  let kept = 0;
  for (const item of payload.items) {
    const add = size(item) + (kept > 0 ? 1 : 0);
    if (kept > 0 && used + add > maxBytes) break;
    used += add;
    kept += 1;
  }
  return { ...shell(kept), items: payload.items.slice(0, kept) };
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
