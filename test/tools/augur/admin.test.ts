import { describe, expect, it } from 'vitest';
import { adminTools } from '../../../src/tools/augur/admin.js';
import { ok } from '../../support/augur.js';
import { expectEveryToolFails, itAnsweredAndFailedEveryTool, useAugurToolSuite, withForeignToken } from '../../support/augur-tools.js';

// refresh_customer_data (src/tools/augur/admin.ts) over the SDK Client against the sandbox.
describe('Augur admin tools', () => {
  const suite = useAugurToolSuite();

  it('answers refresh_customer_data successfully', async () => {
    const { h, augurRequests } = suite;
    const refreshed = ok(await h.call('refresh_customer_data', { dataset: 'oe_contacts_customer' }));
    expect(refreshed.dataset).toBe('oe_contacts_customer');
    expect(augurRequests().at(-1)!.path).toBe('/oe-contacts-customer/refresh');
  });

  it('refresh_customer_data is offered only when admin tools are enabled', async () => {
    const { connect, augurClient } = suite;
    const plain = await connect({ augur: augurClient() }, false);
    try {
      const names = await plain.toolNames();
      expect(names).not.toContain('refresh_customer_data');
      expect(names).toContain('get_customer');
      await expect(plain.client.callTool({ name: 'refresh_customer_data', arguments: { dataset: 'contacts' } })).rejects.toThrow(
        /Unknown tool/,
      );
    } finally {
      await plain.close();
    }
    const admin = await connect({ augur: augurClient() }, true);
    try {
      const listed = (await admin.client.listTools()).tools.find((t) => t.name === 'refresh_customer_data');
      expect(listed?.description).toMatch(/^Deprecated: the current Augur SDK dropped these triggers/);
      expect(listed?.annotations).toMatchObject({ readOnlyHint: false });
    } finally {
      await admin.close();
    }
  });

  it('fails every admin tool at least once with a sensible code, a correlationId and exactly what the service received', async () => {
    await withForeignToken(suite, (foreign) =>
      expectEveryToolFails(
        suite,
        [
          { tool: 'refresh_customer_data', args: { dataset: 'everything' }, code: 'invalid_argument', wire: null },
          { tool: 'refresh_customer_data', args: { dataset: 'ship_to' }, code: 'forbidden_tenant', via: foreign, wire: { method: 'GET', path: '/ship-to/refresh', query: {}, status: 403 } },
        ],
        adminTools,
      ),
    );
  });

  itAnsweredAndFailedEveryTool(suite, adminTools, 'admin');
});
