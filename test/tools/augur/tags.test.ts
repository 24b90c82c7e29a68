import { describe, expect, it } from 'vitest';
import { SANDBOX_AUGUR_FIXTURES as FIX } from '../../../src/sandbox/augur/index.js';
import { tagTools } from '../../../src/tools/augur/tags.js';
import { failed, ok } from '../../support/augur.js';
import { expectEveryToolFails, FAILURE_ARGS, itAnsweredAndFailedEveryTool, useAugurToolSuite } from '../../support/augur-tools.js';
import type { Structured } from '../../support/harness.js';

// list/get/add/update/delete_customer_tag (src/tools/augur/tags.ts) over the SDK Client against the sandbox.
describe('Augur customer tag tools', () => {
  const suite = useAugurToolSuite();

  it('adds, updates, deletes and restores a customer tag, each write sent exactly once', async () => {
    const { h, augurRequests } = suite;
    const customerId = FIX.acme.customerId;
    const text = `mcp-test-${Date.now()}`;
    const added = ok(await h.call('add_customer_tag', { customerId, tag: text })).tag;
    expect(added).toMatchObject({ tag: text, statusCd: 704 });
    const uid = added.customerTagsUid;
    const listed = ok(await h.call('list_customer_tags', { customerId, limit: 100 }));
    expect(listed.items.some((t: Structured) => t.customerTagsUid === uid && t.tag === text)).toBe(true);

    const renamed = ok(await h.call('update_customer_tag', { customerId, customerTagsUid: uid, tag: `${text}-x` })).tag;
    expect(renamed.tag).toBe(`${text}-x`);
    expect(ok(await h.call('get_customer_tag', { customerId, customerTagsUid: uid })).tag.tag).toBe(`${text}-x`);

    const deleted = ok(await h.call('delete_customer_tag', { customerId, customerTagsUid: uid })).tag;
    expect(deleted.statusCd).toBe(700);
    const restored = ok(await h.call('add_customer_tag', { customerId, tag: `${text}-x` })).tag;
    expect(restored).toMatchObject({ customerTagsUid: uid, statusCd: 704 });

    const writes = augurRequests().filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /customer/${customerId}/tags`,
      `PUT /customer/${customerId}/tags/${uid}`,
      `DELETE /customer/${customerId}/tags/${uid}`,
      `POST /customer/${customerId}/tags`,
    ]);
    expect(writes[0]!.body).toEqual({ tag: text });
    failed(await h.call('add_customer_tag', { customerId, tag: '   ' }), 'invalid_argument');
  });

  it('fails every tag tool at least once with a sensible code, a correlationId and exactly what the service received', async () => {
    const c = FIX.acme.customerId;
    const { none, badOrder, page } = FAILURE_ARGS;
    await expectEveryToolFails(
      suite,
      [
        { tool: 'list_customer_tags', args: { customerId: c, orderBy: badOrder }, code: 'invalid_argument', wire: { method: 'GET', path: `/customer/${c}/tags`, query: { orderBy: badOrder, ...page }, status: 400 } },
        { tool: 'get_customer_tag', args: { customerId: c, customerTagsUid: none }, code: 'not_found', wire: { method: 'GET', path: `/customer/${c}/tags/${none}`, query: {}, status: 404 } },
        { tool: 'add_customer_tag', args: { customerId: none, tag: 'orphan' }, code: 'not_found', wire: { method: 'POST', path: `/customer/${none}/tags`, body: { tag: 'orphan' }, status: 404 } },
        {
          tool: 'update_customer_tag', args: { customerId: c, customerTagsUid: none, status: 'inactive' }, code: 'not_found',
          wire: { method: 'PUT', path: `/customer/${c}/tags/${none}`, body: { statusCd: 705 }, status: 404 },
        },
        { tool: 'delete_customer_tag', args: { customerId: c, customerTagsUid: none }, code: 'not_found', wire: { method: 'DELETE', path: `/customer/${c}/tags/${none}`, status: 404 } },
      ],
      tagTools,
    );
  });

  itAnsweredAndFailedEveryTool(suite, tagTools, 'tag');
});
