import { redactSecrets } from './redaction.js';

/**
 * What upstream text must lose before an agent (or a log reader) sees it: invisible format characters, which can
 * hide instructions (Unicode tag characters spell ASCII invisibly) or make text read differently from what it is
 * (bidi overrides, zero-width characters, the byte-order mark), and any credential this process knows.
 */

/**
 * Unicode category Cf (format characters), except a zero-width joiner between two pictographs: that ZWJ glues emoji
 * sequences such as 👩‍💻 and carries nothing on its own. Variation selectors (FE0F) and skin tones are not Cf.
 */
const FORMAT = /(?<=\p{Extended_Pictographic}[\p{Emoji_Modifier}\uFE0F]?)(\u200D)(?=\p{Extended_Pictographic})|\p{Cf}/gu;
const ANY_FORMAT = /\p{Cf}/u;

export function stripFormatCharacters(text: string): string {
  if (!ANY_FORMAT.test(text)) return text;
  return text.replace(FORMAT, (_, joiner: string | undefined) => joiner ?? '');
}

/** One string made safe to show: format characters stripped (first, so they cannot split a secret), secrets redacted. */
export function cleanText(text: string): string {
  return redactSecrets(stripFormatCharacters(text));
}

/** Nesting past this is not walked further (no upstream document is this deep; the walk must not overflow). */
export const MAX_WALK_DEPTH = 200;

/**
 * Every string of a JSON value (object keys included) through cleanText. Returns the same value when nothing
 * changed, so a clean result is not copied.
 */
export function cleanDeep<T>(value: T): T {
  return walk(value, 0) as T;
}

function walk(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (!value || typeof value !== 'object') return value;
  if (depth >= MAX_WALK_DEPTH) return '[nested too deeply]';
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item, index) => {
      const cleaned = walk(item, depth + 1);
      if (cleaned !== item) (out ??= value.slice())[index] = cleaned;
    });
    return out ?? value;
  }
  let changed = false;
  const entries = Object.entries(value as Record<string, unknown>).map(([key, item]): [string, unknown] => {
    const cleanKey = cleanText(key);
    const cleaned = walk(item, depth + 1);
    if (cleanKey !== key || cleaned !== item) changed = true;
    return [cleanKey, cleaned];
  });
  return changed ? Object.fromEntries(entries) : value;
}
