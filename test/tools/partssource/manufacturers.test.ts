import { describe, expect, it } from 'vitest';
import { useHarness } from '../../support/partssource-tools.js';

// search_manufacturers (src/tools/partssource/manufacturers.ts) over the SDK Client against the sandbox.
describe('PartsSource manufacturer tools', () => {
  const suite = useHarness();

  it('searches manufacturers with the q language', async () => {
    const { h } = suite;
    const manufacturers = await h.call('search_manufacturers', { q: 'name~"philips"' });
    expect(manufacturers.structuredContent.items).toContainEqual(expect.objectContaining({ manufacturerId: 26799 }));
  });
});
