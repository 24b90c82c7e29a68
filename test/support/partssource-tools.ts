import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { orderFromSeed, startHarness, type Harness, type HarnessOptions, type Structured } from './harness.js';

/** Shared set-up of the PartsSource tool tests (test/tools/partssource/*.test.ts). */

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * One harness (sandbox + server + SDK Client in memory) for the enclosing describe, its request log cleared after
 * each test. Read `suite.h` inside tests (it is set in beforeAll).
 */
export function useHarness(options: HarnessOptions = {}): { h: Harness } {
  const suite = {} as { h: Harness };
  beforeAll(async () => {
    suite.h = await startHarness(options);
  });
  afterAll(() => suite.h?.close());
  afterEach(() => suite.h.sandbox.clearRequests());
  return suite;
}

/** lookup_user → search_parts → get_part_detail: everything create_order needs. */
export async function prepareOrder(h: Harness) {
  const { structuredContent: lookup } = await h.call('lookup_user', { userId: 12345 });
  const user = lookup.user;
  const { structuredContent: parts } = await h.call('search_parts', { keyword: 'probe', limit: 5 });
  const productId = parts.items[0].productId as string;
  const { structuredContent: detail } = await h.call('get_part_detail', { productId, requesterId: user.contactId });
  const option = detail.part.options.find((o: Structured) => !o.requiredFields?.length);
  return {
    user,
    productId,
    option,
    order: orderFromSeed(user, productId, option),
  };
}

/** Each call is refused as invalid_argument naming the tool, and nothing reaches the sandbox. */
export async function expectRejectedBeforeAnyRequest(h: Harness, bad: Array<[string, Record<string, unknown>]>) {
  h.sandbox.clearRequests();
  for (const [name, args] of bad) {
    const result = await h.call(name, args);
    expect(result.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
    expect(result.structuredContent.error.code).toBe('invalid_argument');
    expect(result.structuredContent.error.message).toContain(name);
  }
  expect(h.sandbox.requests).toHaveLength(0);
}
