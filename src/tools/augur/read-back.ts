import type { Page } from '../../clients/augur.js';
import { UpstreamError } from '../../clients/errors.js';

/**
 * The service answers a create of a contact or ship-to with `true` only (reference §2.3.8, §2.3.12), but the next
 * call needs the new record's id. It is read back: the same search before and after the create, newest first, and
 * the one matching row that was not there before is the new one. A read-back that fails or is ambiguous never fails
 * the call (the record was created; calling again would create a second one): the id is then null with a note.
 */
export async function createAndReadBack<T>(steps: {
  /** One page of the rows a new record would appear in, newest first. */
  list: () => Promise<Page<T>>;
  idOf: (row: T) => string | number;
  /** Whether a row holds what was just sent. */
  matches: (row: T) => boolean;
  create: () => Promise<{ data: boolean; correlationId: string }>;
  /** How the agent finds the record itself, for the note. */
  findWith: string;
}): Promise<{ created: boolean; id: string | null; note?: string; correlationId: string }> {
  const before = new Set((await steps.list()).items.map((row) => String(steps.idOf(row))));
  const result = await steps.create();
  if (!result.data) return { created: false, id: null, correlationId: result.correlationId };
  let after: Page<T>;
  try {
    after = await steps.list();
  } catch (error) {
    const why = error instanceof UpstreamError ? error.message : 'the read-back failed';
    return { ...unknownId(steps.findWith, `reading it back failed (${why})`), correlationId: result.correlationId };
  }
  const fresh = after.items.filter((row) => steps.matches(row) && !before.has(String(steps.idOf(row))));
  if (fresh.length === 1) return { created: true, id: String(steps.idOf(fresh[0]!)), correlationId: result.correlationId };
  const why = fresh.length === 0 ? 'it was not found on reading back' : `${fresh.length} new records match it`;
  return { ...unknownId(steps.findWith, why), correlationId: result.correlationId };
}

function unknownId(findWith: string, why: string) {
  return { created: true, id: null, note: `Created, but its id is not known (${why}); do not create it again: find it with ${findWith}.` };
}

/** Whether an error is the upstream's 404 (not found), the one answer a fallback read may explain. */
export function isNotFound(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError && error.info.kind === 'http' && error.status === 404;
}
