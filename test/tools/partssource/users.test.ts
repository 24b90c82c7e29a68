import { describe, expect, it } from 'vitest';
import { SANDBOX_PARTSSOURCE_FIXTURES as FIX } from '../../../src/sandbox/partssource/index.js';
import type { Structured } from '../../support/harness.js';
import { expectRejectedBeforeAnyRequest, useHarness } from '../../support/partssource-tools.js';

// lookup_user, search_users (src/tools/partssource/users.ts) over the SDK Client against the sandbox.
describe('PartsSource user tools', () => {
  const suite = useHarness();

  it("refuses another tenant's user with 403", async () => {
    const { h } = suite;
    const user = await h.call('lookup_user', { userId: FIX.globex.contactId });
    expect(user.isError).toBe(true);
    expect(user.structuredContent.error).toMatchObject({ code: 'forbidden_tenant', upstreamStatus: 403 });
  });

  it('rejects invalid user arguments before any HTTP request', async () => {
    await expectRejectedBeforeAnyRequest(suite.h, [
      ['lookup_user', {}],
      ['lookup_user', { userId: 12345, username: 'jdoe' }],
      ['lookup_user', { userId: -1 }],
      ['lookup_user', { userId: '12345' }],
      ['search_users', { q: 'x', unexpected: true }],
    ]);
  });

  it('searches users with the q language', async () => {
    const { h } = suite;
    const users = await h.call('search_users', { q: 'lastName:"Doe"' });
    expect(users.structuredContent.items.some((u: Structured) => u.contactId === 12345)).toBe(true);
  });
});
