import { describe, expect, it } from 'vitest';
import { SANDBOX_AUGUR_FIXTURES as FIX } from '../../../src/sandbox/augur/index.js';
import { addressTools } from '../../../src/tools/augur/addresses.js';
import { failed, ok } from '../../support/augur.js';
import {
  ACME,
  expectEveryToolFails,
  FAILURE_ARGS,
  itAnsweredAndFailedEveryTool,
  useAugurToolSuite,
  withForeignToken,
} from '../../support/augur-tools.js';
import type { Structured } from '../../support/harness.js';

// search_customer_addresses, list/get/create/update/delete_customer_address (src/tools/augur/addresses.ts) over the
// SDK Client against the sandbox.
describe('Augur customer address tools', () => {
  const suite = useAugurToolSuite();

  it('creates, updates and deletes a customer address, each write sent exactly once', async () => {
    const { h, augurRequests } = suite;
    const customerId = FIX.acme.customerId;
    const created = ok(
      await h.call('create_customer_address', {
        customerId,
        name: 'Loading dock B',
        address1: '42 Test Way',
        city: 'Columbus',
        state: 'OH',
        postalCode: '43215',
        country: 'US',
      }),
    ).address;
    expect(created).toMatchObject({ name: 'Loading dock B', address1: '42 Test Way', statusCd: 704 });
    const uid = created.customerAddressUid;

    const listed = ok(await h.call('list_customer_addresses', { customerId, limit: 100 }));
    expect(listed.items.some((a: Structured) => a.customerAddressUid === uid)).toBe(true);

    const updated = ok(await h.call('update_customer_address', { customerId, customerAddressUid: uid, city: 'Dayton', status: 'inactive' })).address;
    expect(updated).toMatchObject({ city: 'Dayton', address1: '42 Test Way', statusCd: 705 });
    const fetched = ok(await h.call('get_customer_address', { customerId, customerAddressUid: uid })).address;
    expect(fetched).toMatchObject({ city: 'Dayton', name: 'Loading dock B' });

    const deleted = ok(await h.call('delete_customer_address', { customerId, customerAddressUid: uid })).address;
    expect(deleted.statusCd).toBe(700);
    const afterDelete = ok(await h.call('get_customer_address', { customerId, customerAddressUid: uid })).address;
    expect(afterDelete.statusCd).toBe(700);

    const writes = augurRequests().filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /customer/${customerId}/addresses`,
      `PUT /customer/${customerId}/addresses/${uid}`,
      `DELETE /customer/${customerId}/addresses/${uid}`,
    ]);
    expect(writes[0]!.body).toEqual({
      name: 'Loading dock B',
      address1: '42 Test Way',
      city: 'Columbus',
      state: 'OH',
      postalCode: '43215',
      country: 'US',
    });
    expect(writes[1]!.body).toEqual({ city: 'Dayton', statusCd: 705 });
    for (const write of writes) {
      expect(write.headers['x-site-id']).toBe(ACME.siteId);
      expect(write.headers.authorization).toBe(`Bearer ${ACME.token}`);
    }

    failed(await h.call('update_customer_address', { customerId, customerAddressUid: uid }), 'invalid_argument');
    const missing = failed(await h.call('get_customer_address', { customerId, customerAddressUid: 9_999_999 }), 'not_found');
    expect(missing.upstreamStatus).toBe(404);
  });

  it('answers search_customer_addresses successfully', async () => {
    const { h } = suite;
    const c = FIX.acme.customerId;
    const doc = ok(await h.call('get_customer', { customerId: c })).customer;
    const addresses = ok(await h.call('search_customer_addresses', { customerId: c, q: doc.customerName.slice(0, 5) }));
    expect(addresses.items.length).toBeGreaterThan(0);
  });

  it('fails every address tool at least once with a sensible code, a correlationId and exactly what the service received', async () => {
    const c = FIX.acme.customerId;
    const { none, badOrder, page } = FAILURE_ARGS;
    await withForeignToken(suite, (foreign) =>
      expectEveryToolFails(
        suite,
        [
          { tool: 'search_customer_addresses', args: { customerId: c, q: '' }, code: 'invalid_argument', wire: null },
          {
            tool: 'search_customer_addresses', args: { customerId: c, q: 'main' }, code: 'forbidden_tenant', via: foreign,
            wire: { method: 'GET', path: `/customer/${c}/address`, query: { q: 'main', ...page }, status: 403 },
          },
          { tool: 'list_customer_addresses', args: { customerId: c, orderBy: badOrder }, code: 'invalid_argument', wire: { method: 'GET', path: `/customer/${c}/addresses`, query: { orderBy: badOrder, ...page }, status: 400 } },
          { tool: 'get_customer_address', args: { customerId: c, customerAddressUid: none }, code: 'not_found', wire: { method: 'GET', path: `/customer/${c}/addresses/${none}`, query: {}, status: 404 } },
          { tool: 'create_customer_address', args: { customerId: none, city: 'Nowhere' }, code: 'not_found', wire: { method: 'POST', path: `/customer/${none}/addresses`, body: { city: 'Nowhere' }, status: 404 } },
          {
            tool: 'update_customer_address', args: { customerId: c, customerAddressUid: none, city: 'Nowhere' }, code: 'not_found',
            wire: { method: 'PUT', path: `/customer/${c}/addresses/${none}`, body: { city: 'Nowhere' }, status: 404 },
          },
          { tool: 'delete_customer_address', args: { customerId: c, customerAddressUid: none }, code: 'not_found', wire: { method: 'DELETE', path: `/customer/${c}/addresses/${none}`, status: 404 } },
        ],
        addressTools,
      ),
    );
  });

  itAnsweredAndFailedEveryTool(suite, addressTools, 'address');
});
