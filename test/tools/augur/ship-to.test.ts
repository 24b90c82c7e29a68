import { describe, expect, it } from 'vitest';
import { SANDBOX_AUGUR_FIXTURES as FIX } from '../../../src/sandbox/augur/index.js';
import { shipToTools } from '../../../src/tools/augur/ship-to.js';
import { failed, ok } from '../../support/augur.js';
import { expectEveryToolFails, FAILURE_ARGS, itAnsweredAndFailedEveryTool, useAugurToolSuite } from '../../support/augur-tools.js';
import type { Structured } from '../../support/harness.js';

// list_ship_to_addresses, create_ship_to_address, lookup_ship_to_address, list_freight_codes
// (src/tools/augur/ship-to.ts) over the SDK Client against the sandbox.
describe('Augur ship-to tools', () => {
  const suite = useAugurToolSuite();

  it('creates a ship-to (P21 pass-through), sent once and visible in later reads', async () => {
    const { h, augurRequests } = suite;
    const customerId = FIX.acme.customerId;
    const name = `Annex ${Date.now() % 100000}`;
    const shipTo = ok(
      await h.call('create_ship_to_address', {
        customerId,
        name,
        mailAddress1: '7 Annex Rd',
        mailCity: 'Toledo',
        mailState: 'OH',
        mailPostalCode: '43604',
        deliveryInstructions: 'Ring twice',
      }),
    );
    expect(shipTo.created).toBe(true);
    const found = ok(await h.call('lookup_ship_to_address', { customerId, q: name }));
    expect(found.items).toContainEqual(expect.objectContaining({ name, mailAddress1: '7 Annex Rd' }));
    expect(Number.isInteger(shipTo.shipToId)).toBe(true);
    expect(Number(found.items.find((x: Structured) => x.name === name).id)).toBe(shipTo.shipToId);
    // A ship-to just created has no freight code: null, not not_found.
    expect(ok(await h.call('list_freight_codes', { customerId, shipToId: shipTo.shipToId })).freightCode).toBeNull();

    const writes = augurRequests().filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /customer/${customerId}/ship-to`]);
    expect(writes[0]!.body).toEqual({
      deliveryInstructions: 'Ring twice',
      shipToAddress: { name, mailAddress1: '7 Annex Rd', mailCity: 'Toledo', mailState: 'OH', mailPostalCode: '43604' },
    });
  });

  it('"no freight code" is an empty answer for ship-tos the list tools return; a wrong id stays not_found', async () => {
    const { h } = suite;
    const c = FIX.acme.customerId;
    const shipToNone = ok(await h.call('list_freight_codes', { customerId: c, shipToId: FIX.acme.shipToWithoutFreightCodeId }));
    expect(shipToNone.freightCode).toBeNull();
    // Another customer's ship-to is still a wrong id for this customer.
    const other = ok(await h.call('list_ship_to_addresses', { customerId: FIX.acme.bigCustomerId })).items[0];
    const wrong = await h.call('list_freight_codes', { customerId: c, shipToId: other.shipToId });
    expect(failed(wrong, 'not_found').message).toContain('Check the id');
  });

  it('answers every ship-to read tool successfully', async () => {
    const { h } = suite;
    const c = FIX.acme.customerId;
    const shipTos = ok(await h.call('list_ship_to_addresses', { customerId: c }));
    expect(shipTos.items.length).toBeGreaterThan(0);
    const withFreight = FIX.acme.shipToId;
    const freight = ok(await h.call('list_freight_codes', { customerId: c, shipToId: withFreight })).freightCode;
    expect(typeof freight.freightCd).toBe('string');
    const lookup = ok(await h.call('lookup_ship_to_address', { customerId: c }));
    expect(lookup.items.length).toBeGreaterThan(0);
  });

  it('fails every ship-to tool at least once with a sensible code, a correlationId and exactly what the service received', async () => {
    const c = FIX.acme.customerId;
    const { none, badOrder, page } = FAILURE_ARGS;
    await expectEveryToolFails(
      suite,
      [
        { tool: 'list_ship_to_addresses', args: { customerId: c, orderBy: badOrder }, code: 'invalid_argument', wire: { method: 'GET', path: `/customer/${c}/ship-to`, query: { orderBy: badOrder, ...page }, status: 400 } },
        {
          tool: 'create_ship_to_address', args: { customerId: none, name: 'Nowhere dock', mailAddress1: '0 Void St' }, code: 'not_found',
          wire: { method: 'POST', path: `/customer/${none}/ship-to`, body: { shipToAddress: { name: 'Nowhere dock', mailAddress1: '0 Void St' } }, status: 404 },
          sequence: [`GET /customer/${none}/ship-to/lookup 200`, `POST /customer/${none}/ship-to 404`],
        },
        { tool: 'lookup_ship_to_address', args: { customerId: c, orderBy: badOrder }, code: 'invalid_argument', wire: { method: 'GET', path: `/customer/${c}/ship-to/lookup`, query: { orderBy: badOrder, ...page }, status: 400 } },
        {
          // Not a ship-to of this customer: the 404 stands once the customer's ship-to list does not hold it.
          tool: 'list_freight_codes', args: { customerId: c, shipToId: none }, code: 'not_found',
          wire: { method: 'GET', path: `/customer/${c}/ship-to/${none}/freight-codes`, query: {}, status: 404 },
          sequence: [`GET /customer/${c}/ship-to/${none}/freight-codes 404`, `GET /customer/${c}/ship-to 200`],
        },
      ],
      shipToTools,
    );
  });

  itAnsweredAndFailedEveryTool(suite, shipToTools, 'ship-to');
});
