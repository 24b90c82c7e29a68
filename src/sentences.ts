/**
 * Joining messages into sentences without doubled punctuation: upstream and validation messages may or may not end
 * with a period ("Client authentication failed.", "price 191.75."), and appending ". Next step" doubled it.
 */

/** The text as a sentence: ends with `.` unless it already ends with `.`, `!`, `?` or `…`. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Clauses joined with `; `, each without its own final period (the caller ends the whole with `sentence`). */
export function clauses(parts: readonly string[]): string {
  return parts
    .map((part) => part.trim().replace(/\.+$/, ''))
    .filter((part) => part !== '')
    .join('; ');
}

/** Sentences joined with one space, each ended once. */
export function sentences(...parts: ReadonlyArray<string | undefined>): string {
  return parts
    .filter((part): part is string => part !== undefined && part.trim() !== '')
    .map(sentence)
    .join(' ');
}
