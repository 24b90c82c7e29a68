import { describe, expect, it } from 'vitest';
import { InvalidPathParameterError } from '../../../src/clients/augur.js';
import { SANDBOX_AUGUR_FIXTURES as FIX } from '../../../src/sandbox/augur/index.js';
import { failed, ok } from '../../support/augur.js';
import { useAugurToolSuite } from '../../support/augur-tools.js';

// The id arguments every Augur tool shares (augurId in src/tools/augur/common.ts), and the client's own check.
describe('Augur path ids', () => {
  const suite = useAugurToolSuite();

  it('rejects invalid path ids with invalid_argument before any request', async () => {
    const { h, augurRequests } = suite;
    const bad = [0, -1, 1.5, '12a', '', '0', '1/2', '../1'];
    const c = FIX.acme.customerId;
    for (const value of bad) {
      const calls: Array<[string, Record<string, unknown>]> = [
        ['get_customer', { customerId: value }],
        ['get_invoice', { customerId: c, invoiceNo: value }],
        ['get_customer_order', { customerId: c, orderNo: value }],
        ['get_contact', { contactId: value }],
        ['delete_customer_address', { customerId: c, customerAddressUid: value }],
        ['delete_customer_tag', { customerId: c, customerTagsUid: value }],
        ['list_freight_codes', { customerId: c, shipToId: value }],
      ];
      for (const [name, args] of calls) {
        const error = failed(await h.call(name, args), 'invalid_argument');
        expect(error.message).toContain(name);
      }
    }
    expect(augurRequests()).toHaveLength(0);

    // The client checks too, whatever the caller: nothing goes on the wire.
    const client = suite.augurClient();
    const ctx = { correlationId: 'test-invalid-path' };
    for (const value of [0, -1, 1.5, '12a', '', 'a/b', Number.NaN]) {
      await expect(client.getCustomerDoc(value as number, ctx)).rejects.toBeInstanceOf(InvalidPathParameterError);
      await expect(client.getInvoice(c, value as number, ctx)).rejects.toThrow(/invoiceNo/);
    }
    await expect(client.deleteCustomerTag(c, 0, ctx)).rejects.toBeInstanceOf(InvalidPathParameterError);
    expect(augurRequests()).toHaveLength(0);
  });

  it('accepts ids as numbers or digit strings (the service returns document numbers as strings)', async () => {
    const { h, augurRequests } = suite;
    const asNumber = ok(await h.call('get_customer', { customerId: FIX.acme.customerId }));
    const asString = ok(await h.call('get_customer', { customerId: String(FIX.acme.customerId) }));
    expect(asString.customer).toEqual(asNumber.customer);
    expect(asNumber.customer.customerName).toBe(FIX.acme.customerName);
  });
});
