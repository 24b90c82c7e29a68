import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AugurClient, InvalidPathParameterError, type AugurConfig } from '../src/clients/augur.js';
import { PartsSourceClient } from '../src/clients/partssource.js';
import { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { SANDBOX_AUGUR_FIXTURES as FIX } from '../src/sandbox/augur/index.js';
import { augurTools } from '../src/tools/augur/index.js';
import type { UpstreamClients } from '../src/tools/define.js';
import type { Structured } from './support/harness.js';
import {
  AS_OF,
  USAGE_FROM,
  augurClient as siteClient,
  connect as connectServer,
  failed,
  ok,
  type Connected,
  type Result,
} from './support/augur.js';

const ACME = SANDBOX_AUGUR_SITES.acme!;
const GLOBEX = SANDBOX_AUGUR_SITES.globex!;
const AUGUR_TOOL_NAMES = augurTools.map((t) => t.name).sort();

/** Tools that answered successfully at least once in this file (checked at the end: every Augur tool). */
const succeeded = new Set<string>();
/** Tools that answered with isError at least once in this file (checked at the end: every Augur tool). */
const failedTools = new Set<string>();

const track = (name: string, result: Result) => (result.isError ? failedTools : succeeded).add(name);

// No result byte cap here: these tests check the upstream's own pages (100 invoices with lines exceed the default
// 50 000-byte budget, which test/budget.test.ts covers).
const connect = (clients: UpstreamClients, enableAdmin = true): Promise<Connected> =>
  connectServer(clients, { enableAdmin, onResult: track, maxResultBytes: 0 });

const augurClient = (sandbox: Sandbox, site: { siteId: string; token: string } = ACME, extra: Partial<AugurConfig> = {}) =>
  siteClient(sandbox, site, extra);

const partsSourceClient = (sandbox: Sandbox) => {
  const creds = SANDBOX_PARTSSOURCE_CREDENTIALS.acme;
  return new PartsSourceClient({
    baseUrl: sandbox.partssource.baseUrl,
    tokenUrl: sandbox.partssource.tokenUrl,
    clientId: creds.clientId,
    clientSecret: creds.clientSecret,
    apiKey: creds.apiKey,
    timeoutMs: 5_000,
  });
};

describe('Augur tools over the SDK Client (in memory) against the sandbox', () => {
  let sandbox: Sandbox;
  let h: Connected;
  const augurRequests = () => sandbox.requests.filter((r) => r.api === 'augur');

  beforeAll(async () => {
    sandbox = await startSandbox();
    h = await connect({ augur: augurClient(sandbox) });
  });
  afterAll(async () => {
    await h.close();
    await sandbox.close();
  });
  afterEach(() => sandbox.clearRequests());

  it('walks lookup_customer → list_invoices → get_invoice → list_customer_orders → get_customer_order', async () => {
    const lookup = ok(await h.call('lookup_customer', { q: FIX.acme.customerQuery }));
    const customer = lookup.items.find((c: Structured) => c.customerName === FIX.acme.customerName);
    expect(customer).toBeDefined();
    expect(Number(customer.customerId)).toBe(FIX.acme.customerId);
    const customerId = customer.customerId;

    const invoices = ok(await h.call('list_invoices', { customerId }));
    expect(invoices.items.length).toBeGreaterThan(0);
    expect(invoices).toMatchObject({ offset: 0, limit: 10 });
    const first = invoices.items[0];
    const invoice = ok(await h.call('get_invoice', { customerId, invoiceNo: first.invoiceNo })).invoice;
    expect(invoice.invoiceNo).toBe(first.invoiceNo);
    expect(Number(invoice.customerId)).toBe(FIX.acme.customerId);
    expect(invoice.lines.length).toBeGreaterThan(0);

    const orders = ok(await h.call('list_customer_orders', { customerId }));
    expect(orders.items.length).toBeGreaterThan(0);
    const orderNo = orders.items[0].orderNo;
    const order = ok(await h.call('get_customer_order', { customerId, orderNo })).order;
    expect(order.orderNo).toBe(orderNo);
    expect(Array.isArray(order.lines)).toBe(true);
    expect(typeof order.orderStatus).toBe('string');

    const sent = augurRequests();
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /customer/lookup',
      `GET /customer/${FIX.acme.customerId}/invoices`,
      `GET /customer/${FIX.acme.customerId}/invoices/${first.invoiceNo}`,
      `GET /customer/${FIX.acme.customerId}/orders`,
      `GET /customer/${FIX.acme.customerId}/orders/${orderNo}`,
    ]);
    for (const request of sent) {
      expect(request.headers['x-site-id']).toBe(ACME.siteId);
      expect(request.headers.authorization).toBe(`Bearer ${ACME.token}`);
      expect(request.status).toBe(200);
    }
    expect(sent[0]!.query).toMatchObject({ q: FIX.acme.customerQuery, limit: '10', offset: '0' });
  });

  it('pages over the customer with more than 100 rows', async () => {
    const customerId = FIX.acme.bigCustomerId;
    const first = ok(await h.call('list_invoices', { customerId, limit: 100 }));
    expect(first.total).toBeGreaterThan(100);
    expect(first.items).toHaveLength(100);
    expect(first).toMatchObject({ limit: 100, offset: 0, hasMore: true, nextOffset: 100 });
    const second = ok(await h.call('list_invoices', { customerId, limit: 100, offset: first.nextOffset }));
    expect(second).toMatchObject({ total: first.total, offset: 100, hasMore: false });
    expect(second).not.toHaveProperty('nextOffset');
    expect(second.items).toHaveLength(first.total - 100);
    const numbers = new Set([...first.items, ...second.items].map((i: Structured) => String(i.invoiceNo)));
    expect(numbers.size).toBe(first.total);
    expect(augurRequests().map((r) => r.query)).toEqual([
      expect.objectContaining({ limit: '100', offset: '0' }),
      expect.objectContaining({ limit: '100', offset: '100' }),
    ]);

    const middle = ok(await h.call('lookup_customer', { q: 'a', limit: 2, offset: 1 }));
    expect(middle.items.length).toBeLessThanOrEqual(2);
    expect(middle.offset).toBe(1);
    expect(middle.hasMore).toBe(middle.total > 1 + middle.items.length);

    const tooBig = await h.call('list_invoices', { customerId, limit: 101 });
    failed(tooBig, 'invalid_argument');
  });

  it('translates booleans and enums into the Y/N/B/L flags', async () => {
    const customerId = FIX.acme.customerId;
    const paid = ok(await h.call('list_invoices', { customerId, paidInFull: true, limit: 100 }));
    const unpaid = ok(await h.call('list_invoices', { customerId, paidInFull: false, limit: 100 }));
    const all = ok(await h.call('list_invoices', { customerId, limit: 100 }));
    expect(paid.items.length).toBeGreaterThan(0);
    expect(unpaid.items.length).toBeGreaterThan(0);
    expect(paid.items.every((i: Structured) => i.paidInFullFlag === 'Y')).toBe(true);
    expect(unpaid.items.every((i: Structured) => i.paidInFullFlag !== 'Y')).toBe(true);
    expect(paid.total + unpaid.total).toBe(all.total);
    const [qPaid, qUnpaid, qAll] = augurRequests().map((r) => r.query);
    expect(qPaid).toMatchObject({ paidInFull: 'Y' });
    expect(qUnpaid).toMatchObject({ paidInFull: 'N' });
    expect(qAll).not.toHaveProperty('paidInFull');
    sandbox.clearRequests();

    const summary = ok(await h.call('list_customer_orders', { customerId, limit: 100 }));
    const everything = ok(
      await h.call('list_customer_orders', { customerId, includeCancelled: true, includeDeleted: true, detail: 'lines', limit: 100 }),
    );
    const full = ok(await h.call('list_customer_orders', { customerId, detail: 'full', limit: 1 }));
    const [qSummary, qEverything, qFull] = augurRequests().map((r) => r.query);
    expect(qSummary).toMatchObject({ cancelFlag: 'N', deleteFlag: 'N', fullDocument: 'N' });
    expect(qEverything).toMatchObject({ cancelFlag: 'B', deleteFlag: 'B', fullDocument: 'L' });
    expect(qFull).toMatchObject({ cancelFlag: 'N', deleteFlag: 'N', fullDocument: 'Y' });
    expect(everything.total).toBeGreaterThan(summary.total);
    expect(summary.items.every((o: Structured) => o.cancelFlag !== 'Y' && o.deleteFlag !== 'Y')).toBe(true);
    expect(everything.items.some((o: Structured) => o.cancelFlag === 'Y')).toBe(true);
    expect(everything.items.some((o: Structured) => o.deleteFlag === 'Y')).toBe(true);
    expect(summary.items[0]).not.toHaveProperty('lines');
    expect(Array.isArray(everything.items[0].lines)).toBe(true);
    expect(Array.isArray(full.items[0].pickTickets)).toBe(true);

    const ordered = ok(await h.call('list_customer_orders', { customerId, orderBy: 'order_no|ASC', limit: 100 }));
    const numbers = ordered.items.map((o: Structured) => Number(o.orderNo));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    failed(await h.call('list_customer_orders', { customerId, orderBy: 'order_no' }), 'invalid_argument');
    failed(await h.call('list_customer_orders', { customerId, orderBy: 'order_no|asc' }), 'invalid_argument');
    // A well-formed orderBy on an unknown column reaches the service, which answers 400.
    const unknownColumn = failed(await h.call('list_customer_orders', { customerId, orderBy: 'no_such_column|ASC' }), 'invalid_argument');
    expect(unknownColumn.upstreamStatus).toBe(400);
  });

  it('rejects invalid path ids with invalid_argument before any request', async () => {
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
    const client = augurClient(sandbox);
    const ctx = { correlationId: 'test-invalid-path' };
    for (const value of [0, -1, 1.5, '12a', '', 'a/b', Number.NaN]) {
      await expect(client.getCustomerDoc(value as number, ctx)).rejects.toBeInstanceOf(InvalidPathParameterError);
      await expect(client.getInvoice(c, value as number, ctx)).rejects.toThrow(/invoiceNo/);
    }
    await expect(client.deleteCustomerTag(c, 0, ctx)).rejects.toBeInstanceOf(InvalidPathParameterError);
    expect(augurRequests()).toHaveLength(0);
  });

  it('accepts ids as numbers or digit strings (the service returns document numbers as strings)', async () => {
    const asNumber = ok(await h.call('get_customer', { customerId: FIX.acme.customerId }));
    const asString = ok(await h.call('get_customer', { customerId: String(FIX.acme.customerId) }));
    expect(asString.customer).toEqual(asNumber.customer);
    expect(asNumber.customer.customerName).toBe(FIX.acme.customerName);
  });

  it('creates, updates and deletes a customer address, each write sent exactly once', async () => {
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

  it('adds, updates, deletes and restores a customer tag, each write sent exactly once', async () => {
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

  it('creates a contact and a ship-to (P21 pass-through), each sent once and visible in later reads', async () => {
    const customerId = FIX.acme.customerId;
    const lastName = `Testperson${Date.now() % 100000}`;
    const contact = ok(
      await h.call('create_customer_contact', {
        customerId,
        firstName: 'Quinn',
        lastName,
        emailAddress: 'quinn.test@example.com',
        title: 'Buyer',
        otherFields: { contactLinks: [] },
      }),
    );
    expect(contact.created).toBe(true);
    const contacts = ok(await h.call('list_customer_contacts', { customerId, q: lastName }));
    expect(contacts.items).toContainEqual(expect.objectContaining({ firstName: 'Quinn', lastName, emailAddress: 'quinn.test@example.com' }));
    // The new id comes back (read back: the service answers `true` only) and is the one the list shows.
    expect(contact.contactId).toMatch(/^\d+$/);
    expect(contact.note).toBeUndefined();
    expect(contacts.items.find((x: Structured) => x.lastName === lastName).id).toBe(contact.contactId);
    expect(ok(await h.call('get_contact', { contactId: contact.contactId })).contact).toMatchObject({ firstName: 'Quinn', lastName });
    // A new contact has no user-defined fields: an empty answer, not a wrong id.
    expect(ok(await h.call('get_contact_custom_fields', { contactId: contact.contactId })).customFields).toBeNull();

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
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /customer/${customerId}/contacts`,
      `POST /customer/${customerId}/ship-to`,
    ]);
    // Each create read the matching rows before and after its one POST, with its own correlation id throughout.
    const contactCall = augurRequests().filter((r) => r.headers['x-correlation-id'] === writes[0]!.headers['x-correlation-id']);
    expect(contactCall.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /customer/${customerId}/contacts`,
      `POST /customer/${customerId}/contacts`,
      `GET /customer/${customerId}/contacts`,
    ]);
    expect(contactCall[0]!.query).toMatchObject({ q: 'quinn.test@example.com', orderBy: 'date_created|DESC', limit: '100' });
    expect(writes[0]!.body).toEqual({
      contactLinks: [],
      firstName: 'Quinn',
      lastName,
      emailAddress: 'quinn.test@example.com',
      title: 'Buyer',
    });
    expect(writes[1]!.body).toEqual({
      deliveryInstructions: 'Ring twice',
      shipToAddress: { name, mailAddress1: '7 Annex Rd', mailCity: 'Toledo', mailState: 'OH', mailPostalCode: '43604' },
    });
  });

  it('"no custom fields" and "no freight code" are empty answers for records the list tools return; a wrong id stays not_found', async () => {
    const c = FIX.acme.customerId;
    const contacts = ok(await h.call('list_customer_contacts', { customerId: c, limit: 100 })).items as Structured[];
    const answers = await Promise.all(contacts.map(async (x) => ok(await h.call('get_contact_custom_fields', { contactId: x.id })).customFields));
    // Some contacts have a contacts-ud row and some do not; neither is an error.
    expect(answers.filter((a) => a === null).length).toBeGreaterThan(0);
    expect(answers.filter((a) => a !== null).length).toBeGreaterThan(0);
    const shipToNone = ok(await h.call('list_freight_codes', { customerId: c, shipToId: FIX.acme.shipToWithoutFreightCodeId }));
    expect(shipToNone.freightCode).toBeNull();
    // Another customer's ship-to is still a wrong id for this customer.
    const other = ok(await h.call('list_ship_to_addresses', { customerId: FIX.acme.bigCustomerId })).items[0];
    const wrong = await h.call('list_freight_codes', { customerId: c, shipToId: other.shipToId });
    expect(failed(wrong, 'not_found').message).toContain('Check the id');
  });

  it('creating the same contact twice gives two different ids, each told apart by the read-back', async () => {
    const customerId = FIX.acme.customerId;
    const lastName = `Twin${Date.now() % 100000}`;
    const args = { customerId, firstName: 'Robin', lastName };
    const first = ok(await h.call('create_customer_contact', args));
    const second = ok(await h.call('create_customer_contact', args));
    expect(first.contactId).toMatch(/^\d+$/);
    expect(second.contactId).toMatch(/^\d+$/);
    expect(second.contactId).not.toBe(first.contactId);
    const listed = ok(await h.call('list_customer_contacts', { customerId, q: lastName })).items.map((x: Structured) => String(x.id));
    expect(listed.sort()).toEqual([first.contactId, second.contactId].sort());
  });

  it('answers every read tool successfully', async () => {
    const c = FIX.acme.customerId;
    const customers = ok(await h.call('list_customers', { q: FIX.acme.customerName, orderBy: 'customer_id|ASC' }));
    expect(customers.items[0]).toMatchObject({ customerName: FIX.acme.customerName });
    const doc = ok(await h.call('get_customer', { customerId: c })).customer;
    expect(doc.salesRepId).toBeTruthy();

    const reps = ok(await h.call('list_salesrep_customers', { contactId: doc.salesRepId, limit: 100 }));
    expect(reps.items.some((x: Structured) => Number(x.customerId) === c)).toBe(true);

    const contacts = ok(await h.call('list_customer_contacts', { customerId: c }));
    const contactId = contacts.items[0].id;
    const contact = ok(await h.call('get_contact', { contactId })).contact;
    expect(String(contact.id)).toBe(String(contactId));
    const allowance = ok(await h.call('get_contact_web_allowance', { contactId })).allowance;
    expect(typeof allowance.webAllowance).toBe('number');
    const ud = ok(await h.call('get_contact_custom_fields', { contactId: FIX.acme.contactId })).customFields;
    expect(ud).toHaveProperty('contactsUdUid');

    const shipTos = ok(await h.call('list_ship_to_addresses', { customerId: c }));
    expect(shipTos.items.length).toBeGreaterThan(0);
    const withFreight = FIX.acme.shipToId;
    const freight = ok(await h.call('list_freight_codes', { customerId: c, shipToId: withFreight })).freightCode;
    expect(typeof freight.freightCd).toBe('string');
    const lookup = ok(await h.call('lookup_ship_to_address', { customerId: c }));
    expect(lookup.items.length).toBeGreaterThan(0);

    const addresses = ok(await h.call('search_customer_addresses', { customerId: c, q: doc.customerName.slice(0, 5) }));
    expect(addresses.items.length).toBeGreaterThan(0);

    const quotes = ok(await h.call('list_quotes', { customerId: c }));
    const quote = ok(await h.call('get_quote', { customerId: c, quoteNo: quotes.items[0].orderNo })).quote;
    expect(quote.orderNo).toBe(quotes.items[0].orderNo);
    const rmas = ok(await h.call('list_rmas', { customerId: c }));
    const rma = ok(await h.call('get_rma', { customerId: c, rmaNo: rmas.items[0].orderNo })).rma;
    expect(rma.orderNo).toBe(rmas.items[0].orderNo);

    const purchased = ok(await h.call('list_purchased_items', { customerId: c }));
    expect(purchased.items[0]).toHaveProperty('itemId');

    const aging = ok(await h.call('get_customer_aging', { customerId: c, asOf: AS_OF }));
    expect(aging.aging.asOf).toBe(AS_OF);
    expect(aging.total).toBe(aging.aging.invoiceCount);
    expect(aging.aging.invoiceCount).toBeGreaterThan(0);
    const usage = ok(
      await h.call('get_sales_usage', { customerId: c, invoicedFrom: USAGE_FROM, invoicedTo: AS_OF, totalBy: 'month' }),
    );
    expect(usage.salesUsage.totalBy).toBe('month');
    expect(usage.total).toBe(usage.salesUsage.itemCount);
    const q = augurRequests().find((r) => r.path.endsWith('/sales-usage'))!.query;
    expect(q).toMatchObject({ invoicedFrom: USAGE_FROM, invoicedTo: AS_OF, totalBy: 'month' });

    const refreshed = ok(await h.call('refresh_customer_data', { dataset: 'oe_contacts_customer' }));
    expect(refreshed.dataset).toBe('oe_contacts_customer');
    expect(augurRequests().at(-1)!.path).toBe('/oe-contacts-customer/refresh');
  });

  it('reports unknown ids as not_found with the service message', async () => {
    const error = failed(await h.call('get_customer', { customerId: 9_999_999 }), 'not_found');
    expect(error.upstreamStatus).toBe(404);
    expect(error.upstreamMessages.join(' ')).toMatch(/customer/i);
  });

  it('fails every Augur tool at least once with a sensible code, a correlationId and exactly what the service received', async () => {
    const c = FIX.acme.customerId;
    const none = 9_999_999;
    const badOrder = 'no_such_column|ASC';
    const page = { limit: '10', offset: '0' };
    // A token of another site, sent for the acme site: the service refuses it (403) before looking at anything.
    const foreign = await connect({ augur: augurClient(sandbox, { siteId: ACME.siteId, token: GLOBEX.token }) });
    interface Case {
      tool: string;
      args: Record<string, unknown>;
      code: string;
      /** What the sandbox must have received (exactly once), or null: refused before any request. */
      wire: null | { method: string; path: string; query?: Record<string, string>; body?: unknown; status: number };
      /**
       * Every request sent, when the tool sends more than the failing one: a create reads the matching rows first (to
       * tell its new record's id), a 404 that may mean "none" is checked against the parent record.
       */
      sequence?: string[];
      via?: Connected;
    }
    const cases: Case[] = [
      // customers
      { tool: 'lookup_customer', args: { q: '   ' }, code: 'invalid_argument', wire: null },
      { tool: 'lookup_customer', args: { q: 'a' }, code: 'forbidden_tenant', via: foreign, wire: { method: 'GET', path: '/customer/lookup', query: { q: 'a', ...page }, status: 403 } },
      { tool: 'list_customers', args: { orderBy: badOrder }, code: 'invalid_argument', wire: { method: 'GET', path: '/customer', query: { orderBy: badOrder, ...page }, status: 400 } },
      { tool: 'get_customer', args: { customerId: none }, code: 'not_found', wire: { method: 'GET', path: `/customer/${none}/doc`, query: {}, status: 404 } },
      // contacts
      { tool: 'list_customer_contacts', args: { customerId: c, orderBy: badOrder }, code: 'invalid_argument', wire: { method: 'GET', path: `/customer/${c}/contacts`, query: { q: '', orderBy: badOrder, ...page }, status: 400 } },
      {
        tool: 'create_customer_contact', args: { customerId: none, firstName: 'Ghost', lastName: 'Writer' }, code: 'not_found',
        wire: { method: 'POST', path: `/customer/${none}/contacts`, body: { firstName: 'Ghost', lastName: 'Writer' }, status: 404 },
        sequence: [`GET /customer/${none}/contacts 200`, `POST /customer/${none}/contacts 404`],
      },
      { tool: 'get_contact', args: { contactId: none }, code: 'not_found', wire: { method: 'GET', path: `/contacts/${none}/doc`, query: {}, status: 404 } },
      { tool: 'get_contact_web_allowance', args: { contactId: none }, code: 'not_found', wire: { method: 'GET', path: `/contacts/${none}/web-allowance`, query: {}, status: 404 } },
      {
        // No contacts-ud row, and no such contact either: the contact document's 404 is the answer.
        tool: 'get_contact_custom_fields', args: { contactId: none }, code: 'not_found',
        wire: { method: 'GET', path: `/contacts/${none}/doc`, query: {}, status: 404 },
        sequence: [`GET /contacts-ud/${none} 404`, `GET /contacts/${none}/doc 404`],
      },
      {
        tool: 'list_salesrep_customers', args: { contactId: FIX.acme.salesRepContactId, orderBy: badOrder }, code: 'invalid_argument',
        wire: { method: 'GET', path: `/contacts/${FIX.acme.salesRepContactId}/customers`, query: { orderBy: badOrder, ...page }, status: 400 },
      },
      // ship-to
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
      // addresses
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
      // tags
      { tool: 'list_customer_tags', args: { customerId: c, orderBy: badOrder }, code: 'invalid_argument', wire: { method: 'GET', path: `/customer/${c}/tags`, query: { orderBy: badOrder, ...page }, status: 400 } },
      { tool: 'get_customer_tag', args: { customerId: c, customerTagsUid: none }, code: 'not_found', wire: { method: 'GET', path: `/customer/${c}/tags/${none}`, query: {}, status: 404 } },
      { tool: 'add_customer_tag', args: { customerId: none, tag: 'orphan' }, code: 'not_found', wire: { method: 'POST', path: `/customer/${none}/tags`, body: { tag: 'orphan' }, status: 404 } },
      {
        tool: 'update_customer_tag', args: { customerId: c, customerTagsUid: none, status: 'inactive' }, code: 'not_found',
        wire: { method: 'PUT', path: `/customer/${c}/tags/${none}`, body: { statusCd: 705 }, status: 404 },
      },
      { tool: 'delete_customer_tag', args: { customerId: c, customerTagsUid: none }, code: 'not_found', wire: { method: 'DELETE', path: `/customer/${c}/tags/${none}`, status: 404 } },
      // invoices
      { tool: 'list_invoices', args: { customerId: c, orderBy: badOrder }, code: 'invalid_argument', wire: { method: 'GET', path: `/customer/${c}/invoices`, query: { orderBy: badOrder, ...page }, status: 400 } },
      { tool: 'get_invoice', args: { customerId: c, invoiceNo: none }, code: 'not_found', wire: { method: 'GET', path: `/customer/${c}/invoices/${none}`, query: {}, status: 404 } },
      {
        // Well-formed but not a calendar day: only the service can tell.
        tool: 'get_customer_aging', args: { customerId: c, asOf: '2026-02-30' }, code: 'invalid_argument',
        wire: { method: 'GET', path: `/customer/${c}/aging`, query: { asOf: '2026-02-30', ...page }, status: 400 },
      },
      // orders, quotes, RMAs
      {
        // The one list documented to 404 on an unknown customer.
        tool: 'list_customer_orders', args: { customerId: none }, code: 'not_found',
        wire: { method: 'GET', path: `/customer/${none}/orders`, query: { cancelFlag: 'N', deleteFlag: 'N', fullDocument: 'N', ...page }, status: 404 },
      },
      {
        // An order of customer A asked for under customer B of the same site.
        tool: 'get_customer_order', args: { customerId: FIX.acme.bigCustomerId, orderNo: FIX.acme.orderNo }, code: 'not_found',
        wire: { method: 'GET', path: `/customer/${FIX.acme.bigCustomerId}/orders/${FIX.acme.orderNo}`, query: {}, status: 404 },
      },
      { tool: 'list_quotes', args: { customerId: c, orderBy: badOrder }, code: 'invalid_argument', wire: { method: 'GET', path: `/customer/${c}/quotes`, query: { orderBy: badOrder, ...page }, status: 400 } },
      {
        // An order number is not a quote number.
        tool: 'get_quote', args: { customerId: c, quoteNo: FIX.acme.orderNo }, code: 'not_found',
        wire: { method: 'GET', path: `/customer/${c}/quotes/${FIX.acme.orderNo}`, query: {}, status: 404 },
      },
      { tool: 'list_rmas', args: { customerId: c, orderBy: badOrder }, code: 'invalid_argument', wire: { method: 'GET', path: `/customer/${c}/rmas`, query: { orderBy: badOrder, ...page }, status: 400 } },
      {
        tool: 'get_rma', args: { customerId: c, rmaNo: FIX.acme.quoteNo }, code: 'not_found',
        wire: { method: 'GET', path: `/customer/${c}/rmas/${FIX.acme.quoteNo}`, query: {}, status: 404 },
      },
      // purchases
      { tool: 'list_purchased_items', args: { customerId: c, orderBy: badOrder }, code: 'invalid_argument', wire: { method: 'GET', path: `/customer/${c}/purchased-items`, query: { orderBy: badOrder, ...page }, status: 400 } },
      {
        tool: 'get_sales_usage', args: { customerId: c, invoicedFrom: '2026-02-30', invoicedTo: AS_OF }, code: 'invalid_argument',
        wire: { method: 'GET', path: `/customer/${c}/sales-usage`, query: { invoicedFrom: '2026-02-30', invoicedTo: AS_OF, ...page }, status: 400 },
      },
      { tool: 'get_sales_usage', args: { customerId: c, invoicedFrom: AS_OF, invoicedTo: USAGE_FROM }, code: 'invalid_argument', wire: null },
      // admin
      { tool: 'refresh_customer_data', args: { dataset: 'everything' }, code: 'invalid_argument', wire: null },
      { tool: 'refresh_customer_data', args: { dataset: 'ship_to' }, code: 'forbidden_tenant', via: foreign, wire: { method: 'GET', path: '/ship-to/refresh', query: {}, status: 403 } },
    ];

    const failedHere = new Set<string>();
    const upstreamFailedHere = new Set<string>();
    try {
      for (const { tool, args, code, wire, via, sequence } of cases) {
        const what = `${tool} ${JSON.stringify(args)}`;
        sandbox.clearRequests();
        const result = await (via ?? h).call(tool, args);
        const error = failed(result, code, what);
        failedHere.add(tool);
        expect(error.message.length, what).toBeGreaterThan(0);
        const sent = augurRequests();
        if (wire === null) {
          expect(sent, `${what}: nothing may be sent`).toHaveLength(0);
          expect(error.message, what).toContain(tool);
          expect(error.retryable, what).toBe(false);
          continue;
        }
        upstreamFailedHere.add(tool);
        // Exactly one request for the failing call: a 4xx is not retried, and a write is never retried.
        expect(sent.map((r) => `${r.method} ${r.path} ${r.status}`), what).toEqual(sequence ?? [`${wire.method} ${wire.path} ${wire.status}`]);
        const request = sent.find((r) => `${r.method} ${r.path}` === `${wire.method} ${wire.path}`)!;
        for (const other of sent) expect(other.headers['x-correlation-id'], what).toBe(request.headers['x-correlation-id']);
        if (wire.query) expect(request.query, what).toEqual(wire.query);
        if (wire.body !== undefined) expect(request.body, what).toEqual(wire.body);
        if (wire.method === 'DELETE') expect(request.body, what).toBeUndefined();
        expect(request.headers['x-site-id'], what).toBe(ACME.siteId);
        expect(request.headers.authorization, what).toBe(`Bearer ${via ? GLOBEX.token : ACME.token}`);
        // The correlationId the agent gets is the one the service saw.
        expect(request.headers['x-correlation-id'], what).toBe(result.structuredContent.correlationId);
        expect(error.upstreamStatus, what).toBe(wire.status);
        expect(error.upstreamMessages?.length, what).toBeGreaterThan(0);
        expect(error.retryable, what).toBe(false);
      }
    } finally {
      await foreign.close();
    }
    // Every Augur tool failed in this test, and every one of them once on the wire (an upstream refusal).
    expect(AUGUR_TOOL_NAMES.filter((name) => !failedHere.has(name))).toEqual([]);
    expect(AUGUR_TOOL_NAMES.filter((name) => !upstreamFailedHere.has(name))).toEqual([]);
  });

  it('after every test: each Augur tool has answered successfully at least once', () => {
    // Relies on the tests above (same file, run in order).
    expect(AUGUR_TOOL_NAMES.filter((name) => !succeeded.has(name))).toEqual([]);
  });

  it('after every test: each Augur tool has failed at least once', () => {
    // Relies on the tests above (same file, run in order). check_health is not among them: it reports, never fails.
    expect(AUGUR_TOOL_NAMES.filter((name) => !failedTools.has(name))).toEqual([]);
  });
});

describe('Augur credentials', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

  it("refuses a token of another site with forbidden_tenant and never shows the other site's rows", async () => {
    const h = await connect({ augur: augurClient(sandbox, { siteId: ACME.siteId, token: GLOBEX.token }) });
    try {
      const error = failed(await h.call('get_customer', { customerId: FIX.acme.customerId }), 'forbidden_tenant');
      expect(error.upstreamStatus).toBe(403);
    } finally {
      await h.close();
    }
    // A valid globex client cannot read an acme customer either.
    const g = await connect({ augur: augurClient(sandbox, GLOBEX) });
    try {
      const result = await g.call('get_customer', { customerId: FIX.acme.customerId });
      expect(result.isError).toBe(true);
      expect(['not_found', 'forbidden_tenant']).toContain(result.structuredContent.error.code);
    } finally {
      await g.close();
    }
  });

  it('reports an expired or invalid token as unauthorized with the AUGUR_TOKEN advice', async () => {
    const expired = sandbox.augur.controls.issueToken(ACME.siteId, -60);
    for (const token of [expired, 'not-a-jwt']) {
      const h = await connect({ augur: augurClient(sandbox, { siteId: ACME.siteId, token }) });
      try {
        sandbox.clearRequests();
        const error = failed(await h.call('lookup_customer', { q: 'a' }), 'unauthorized');
        expect(error.upstreamStatus).toBe(401);
        expect(error.message).toContain('AUGUR_TOKEN');
        expect(error.retryable).toBe(false);
        // 401 is terminal: one request, no retry, no refresh.
        expect(sandbox.requests.filter((r) => r.api === 'augur')).toHaveLength(1);
      } finally {
        await h.close();
      }
    }
  });
});

describe('tool listing by configured upstream', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

  it('only Augur configured: the Augur tools and check_health, nothing of PartsSource', async () => {
    const h = await connect({ augur: augurClient(sandbox) });
    try {
      expect(await h.toolNames()).toEqual([...AUGUR_TOOL_NAMES, 'check_health'].sort());
    } finally {
      await h.close();
    }
  });

  it('only PartsSource configured: no Augur tool', async () => {
    const h = await connect({ partssource: partsSourceClient(sandbox) });
    try {
      const names = await h.toolNames();
      expect(names).toContain('check_health');
      expect(names).toContain('lookup_user');
      expect(names.filter((n) => AUGUR_TOOL_NAMES.includes(n))).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('refresh_customer_data is offered only when admin tools are enabled', async () => {
    const plain = await connect({ augur: augurClient(sandbox) }, false);
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
    const admin = await connect({ augur: augurClient(sandbox) }, true);
    try {
      const listed = (await admin.client.listTools()).tools.find((t) => t.name === 'refresh_customer_data');
      expect(listed?.description).toMatch(/^Deprecated: the current Augur SDK dropped these triggers/);
      expect(listed?.annotations).toMatchObject({ readOnlyHint: false });
    } finally {
      await admin.close();
    }
  });

  it('every Augur tool has the expected annotations and a short description', () => {
    for (const tool of augurTools) {
      expect(tool.description.length, tool.name).toBeLessThanOrEqual(300);
      const a = tool.annotations;
      if (tool.name.startsWith('delete_')) expect(a, tool.name).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: false });
      else if (/^(create|add|update)_/.test(tool.name)) {
        expect(a, tool.name).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false });
      } else if (tool.name !== 'refresh_customer_data') {
        expect(a, tool.name).toEqual({ readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true });
      }
    }
    expect(augurTools.filter((t) => t.admin).map((t) => t.name)).toEqual(['refresh_customer_data']);
  });
});

describe('check_health', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

  it('reports both upstreams reachable and authenticated, with correlation ids', async () => {
    const h = await connect({ augur: augurClient(sandbox), partssource: partsSourceClient(sandbox) });
    try {
      const result = ok(await h.call('check_health'));
      const byName = Object.fromEntries(result.upstreams.map((u: Structured) => [u.name, u]));
      expect(Object.keys(byName).sort()).toEqual(['augur', 'partssource']);
      for (const upstream of result.upstreams) {
        expect(upstream).toMatchObject({ reachable: true, authenticated: true });
        expect(typeof upstream.latencyMs).toBe('number');
        expect(upstream.correlationId.length).toBeGreaterThan(0);
        expect(upstream).not.toHaveProperty('message');
      }
      const augur = sandbox.requests.filter((r) => r.api === 'augur');
      expect(augur.map((r) => r.path)).toEqual(['/health-check', '/whoami']);
      expect(augur[0]!.headers).not.toHaveProperty('authorization');
      expect(augur[0]!.headers['x-site-id']).toBe(ACME.siteId);
      expect(augur[1]!.headers.authorization).toBe(`Bearer ${ACME.token}`);
      expect(sandbox.requests.some((r) => r.api === 'partssource' && r.path === '/oauth2/token')).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('reports a rejected token and an unreachable upstream without failing', async () => {
    const down = new AugurClient({ baseUrl: 'http://127.0.0.1:9/augur', siteId: ACME.siteId, token: ACME.token, timeoutMs: 2_000 });
    const h = await connect({ augur: augurClient(sandbox, { siteId: ACME.siteId, token: 'not-a-jwt' }) });
    const d = await connect({ augur: down });
    try {
      const rejected = ok(await h.call('check_health')).upstreams[0];
      expect(rejected).toMatchObject({ name: 'augur', reachable: true, authenticated: false });
      expect(rejected.message).toContain('AUGUR_TOKEN');
      const unreachable = ok(await d.call('check_health')).upstreams[0];
      expect(unreachable).toMatchObject({ name: 'augur', reachable: false, authenticated: false });
      expect(unreachable.message).toBeTruthy();
    } finally {
      await h.close();
      await d.close();
    }
  });
});
