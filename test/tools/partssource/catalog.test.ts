import { describe, expect, it } from 'vitest';
import { expectRejectedBeforeAnyRequest, useHarness } from '../../support/partssource-tools.js';

// search_parts, get_part_detail (src/tools/partssource/catalog.ts) over the SDK Client against the sandbox.
describe('PartsSource catalog tools', () => {
  const suite = useHarness();

  it('returns paging facts with nextOffset while there is more', async () => {
    const { h } = suite;
    const first = await h.call('search_parts', { keyword: 'probe', limit: 2 });
    expect(first.structuredContent).toMatchObject({ limit: 2, offset: 0, hasMore: true, nextOffset: 2 });
    expect(first.structuredContent.items).toHaveLength(2);
    const total = first.structuredContent.total as number;
    const last = await h.call('search_parts', { keyword: 'probe', limit: 2, offset: total - 1 });
    expect(last.structuredContent).toMatchObject({ hasMore: false, total });
    expect(last.structuredContent).not.toHaveProperty('nextOffset');
    expect(last.structuredContent.items).toHaveLength(1);
  });

  it('rejects invalid catalog arguments before any HTTP request', async () => {
    await expectRejectedBeforeAnyRequest(suite.h, [
      ['search_parts', { limit: 5 }],
      ['search_parts', { keyword: 'probe', limit: 201 }],
      ['get_part_detail', { productId: 'CAT-1' }],
    ]);
  });
});
