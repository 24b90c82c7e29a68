import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InvalidPathParameterError } from '../src/clients/augur.js';
import { SANDBOX_AUGUR_SITES, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { SANDBOX_AUGUR_FIXTURES as FIX } from '../src/sandbox/augur/index.js';
import { seedSite } from '../src/sandbox/augur/seed.js';
import { SITE_DEFS } from '../src/sandbox/augur/sites.js';
import { augurTools } from '../src/tools/augur/index.js';
import type { Structured } from './support/harness.js';
import {
  PATH_ID_ARGS,
  QUERY_ID_ARGS,
  augurClient,
  connect,
  failed,
  ok,
  resultText,
  sleep,
  toolArgs,
  waitUntil,
  type Connected,
  type Result,
} from './support/augur.js';

/**
 * What must never happen, shown through the SDK Client against the sandbox: a site's token reading another site's
 * rows, a malformed id reaching the wire, and a write repeated by the client after a timeout.
 */

const ACME = SANDBOX_AUGUR_SITES.acme!;
const GLOBEX = SANDBOX_AUGUR_SITES.globex!;
const READ_TOOLS = augurTools.filter((t) => t.annotations.readOnlyHint === true).map((t) => t.name);
const WRITE_TOOLS = augurTools.filter((t) => t.annotations.readOnlyHint !== true && !t.admin).map((t) => t.name);

/** Everything of the globex site that would betray one of its rows: customer names and every numeric id. */
const GLOBEX_SEED = seedSite(SITE_DEFS.find((s) => s.key === 'globex')!);
const GLOBEX_NAMES = GLOBEX_SEED.customers.map((c) => c.customerName ?? '').filter((n) => n.length > 0);
const GLOBEX_IDS = new Set<string>(
  [
    ...GLOBEX_SEED.customers.map((c) => c.customerId),
    ...GLOBEX_SEED.contacts.map((c) => c.id),
    ...GLOBEX_SEED.shipTos.map((s) => s.shipToId),
    ...GLOBEX_SEED.addresses.keys(),
    ...GLOBEX_SEED.customerAddresses.map((a) => a.customerAddressUid),
    ...GLOBEX_SEED.tags.map((t) => t.customerTagsUid),
    ...GLOBEX_SEED.invoices.map((i) => i.invoiceNo),
    ...GLOBEX_SEED.orders.map((o) => o.orderNo),
    ...Object.values(FIX.globex).filter((v) => typeof v === 'number'),
  ].map(String),
);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * The globex names and ids a result shows. Ids the caller passed itself may be echoed back (an error names the
 * path it asked for); correlation ids are random and left out.
 */
function globexTraces(result: Result, args: Record<string, unknown>): string[] {
  const text = resultText(result).replace(UUID, '');
  const echoed = new Set(Object.values(args).map(String));
  const names = GLOBEX_NAMES.filter((name) => text.includes(name));
  const ids = [...new Set(text.match(/\d+/g) ?? [])].filter((run) => GLOBEX_IDS.has(run) && !echoed.has(run));
  return [...names, ...ids, ...(/globex/i.test(text) ? ['"globex"'] : [])];
}

/** The row lists anywhere in the structured content: list `items` and report `data` (aging, sales usage). */
function rowListsIn(value: unknown, found: unknown[][] = []): unknown[][] {
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if ((key === 'items' || key === 'data') && Array.isArray(v)) found.push(v);
      rowListsIn(v, found);
    }
  }
  return found;
}

/** A probe came back empty-handed: refused, or an answer without a single row. */
function expectNothingOfGlobex(result: Result, args: Record<string, unknown>, what: string) {
  if (result.isError) {
    expect(['not_found', 'forbidden_tenant'], `${what}: ${result.structuredContent.error.message}`).toContain(
      result.structuredContent.error.code,
    );
  } else {
    const { correlationId: _id, ...data } = result.structuredContent;
    const lists = rowListsIn(data);
    expect(lists.length, `${what}: no row list`).toBeGreaterThan(0);
    for (const rows of lists) expect(rows, `${what}: ${JSON.stringify(data).slice(0, 300)}`).toEqual([]);
    if ('total' in data) expect(data.total, what).toBe(0);
    expect(data.aging?.invoiceCount ?? 0, what).toBe(0);
    expect(data.salesUsage?.itemCount ?? 0, what).toBe(0);
  }
  expect(globexTraces(result, args), `${what}: ${resultText(result).slice(0, 300)}`).toEqual([]);
}

describe("tenant isolation: a token of one site never reads another site's rows", () => {
  let sandbox: Sandbox;
  let acme: Connected;
  let globex: Connected;
  const augurRequests = () => sandbox.requests.filter((r) => r.api === 'augur');

  beforeAll(async () => {
    sandbox = await startSandbox();
    acme = await connect({ augur: augurClient(sandbox, ACME) });
    globex = await connect({ augur: augurClient(sandbox, GLOBEX) });
  });
  afterAll(async () => {
    await acme.close();
    await globex.close();
    await sandbox.close();
  });
  afterEach(() => sandbox.clearRequests());

  it('the probes are real: with its own token, globex finds its rows with every read tool', async () => {
    const args = toolArgs(FIX.globex);
    expect(READ_TOOLS).toHaveLength(27);
    for (const tool of READ_TOOLS) {
      const result = await globex.call(tool, args[tool]);
      ok(result, tool);
      expect(globexTraces(result, {}).length, `${tool} shows no globex row: ${resultText(result).slice(0, 300)}`).toBeGreaterThan(0);
    }
  });

  it("the acme token, asking with globex's ids, gets not_found or an empty answer from every read tool", async () => {
    const args = toolArgs(FIX.globex);
    // Also probe by globex's names and numbers where a tool searches by text.
    const extra: Array<[string, Record<string, unknown>]> = [
      ['lookup_customer', { q: String(FIX.globex.customerId) }],
      ['lookup_customer', { q: 'Globex' }],
      ['list_customers', { q: FIX.globex.customerQuery, limit: 100 }],
      ['list_customers', { class5Id: 'GLOBEX' }],
      ['list_invoices', { customerId: FIX.globex.customerId, q: String(FIX.globex.invoiceNo) }],
      ['list_customer_orders', { customerId: FIX.globex.customerId, includeCancelled: true, includeDeleted: true, detail: 'full' }],
    ];
    const probes: Array<[string, Record<string, unknown>]> = [...READ_TOOLS.map((tool) => [tool, args[tool]!] as [string, Record<string, unknown>]), ...extra];
    for (const [tool, probe] of probes) {
      sandbox.clearRequests();
      const result = await acme.call(tool, probe);
      const what = `${tool} ${JSON.stringify(probe)}`;
      expectNothingOfGlobex(result, probe, what);
      // The probe did reach the service, as acme, and the service answered it.
      const sent = augurRequests();
      // One request; two where a 404 may mean "none" and is checked against the contact or the customer's ship-tos.
      expect(sent, what).toHaveLength(['get_contact_custom_fields', 'list_freight_codes'].includes(tool) ? 2 : 1);
      for (const request of sent) {
        expect(request.headers['x-site-id'], what).toBe(ACME.siteId);
        expect(request.headers.authorization, what).toBe(`Bearer ${ACME.token}`);
        expect([200, 404], what).toContain(request.status);
      }
    }
  });

  it("acme's own customer cannot reach globex documents, ship-tos or contacts through its ids either", async () => {
    const c = FIX.acme.customerId;
    const g = FIX.globex;
    const probes: Array<[string, Record<string, unknown>]> = [
      ['get_invoice', { customerId: c, invoiceNo: g.invoiceNo }],
      ['get_invoice', { customerId: c, invoiceNo: g.unpaidInvoiceNo }],
      ['get_customer_order', { customerId: c, orderNo: g.orderNo }],
      ['get_customer_order', { customerId: c, orderNo: g.cancelledOrderNo }],
      ['get_quote', { customerId: c, quoteNo: g.quoteNo }],
      ['get_rma', { customerId: c, rmaNo: g.rmaNo }],
      ['get_customer_address', { customerId: c, customerAddressUid: g.customerAddressUid }],
      ['get_customer_tag', { customerId: c, customerTagsUid: g.customerTagsUid }],
      ['list_freight_codes', { customerId: c, shipToId: g.shipToId }],
      ['list_invoices', { customerId: c, shipToId: g.shipToId, limit: 100 }],
      ['get_customer_aging', { customerId: c, shipToId: g.shipToId, asOf: '2026-10-31' }],
      ['get_sales_usage', { customerId: c, shipToId: g.shipToId, invoicedFrom: '2026-01-01', invoicedTo: '2026-10-31' }],
      ['list_customer_orders', { customerId: c, contactId: g.contactId, limit: 100 }],
      ['list_salesrep_customers', { contactId: g.salesRepContactId, limit: 100 }],
    ];
    for (const [tool, probe] of probes) {
      const result = await acme.call(tool, probe);
      expectNothingOfGlobex(result, probe, `${tool} ${JSON.stringify(probe)}`);
    }
    // The single-object probes were refused as unknown, not answered.
    const refused = probes.filter(([tool]) => tool.startsWith('get_') && !['get_customer_aging', 'get_sales_usage'].includes(tool)).length;
    expect(augurRequests().filter((r) => r.status === 404)).toHaveLength(refused + 1 /* list_freight_codes */);
  });

  it("the acme token cannot change globex's rows: every write with globex ids is not_found and globex data stays as it was", async () => {
    const g = FIX.globex;
    const before = {
      tags: ok(await globex.call('list_customer_tags', { customerId: g.customerId, limit: 100 })),
      addresses: ok(await globex.call('list_customer_addresses', { customerId: g.customerId, limit: 100 })),
      contacts: ok(await globex.call('list_customer_contacts', { customerId: g.customerId, limit: 100 })),
      shipTos: ok(await globex.call('list_ship_to_addresses', { customerId: g.customerId, limit: 100 })),
    };
    const args = toolArgs(g);
    expect(WRITE_TOOLS).toHaveLength(8);
    sandbox.clearRequests();
    for (const tool of WRITE_TOOLS) {
      const error = failed(await acme.call(tool, args[tool]), 'not_found', tool);
      expect(error.upstreamStatus, tool).toBe(404);
    }
    // Creates of contacts and ship-tos read the matching rows first (acme's view of the customer: nothing).
    const reads = augurRequests().filter((r) => r.method === 'GET');
    expect(reads.every((r) => r.status === 200)).toBe(true);
    const writes = augurRequests().filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.status}`)).toEqual(WRITE_TOOLS.map((tool) => `${tool.startsWith('delete_') ? 'DELETE' : tool.startsWith('update_') ? 'PUT' : 'POST'} 404`));
    expect(writes.every((r) => r.headers['x-site-id'] === ACME.siteId)).toBe(true);

    const after = {
      tags: ok(await globex.call('list_customer_tags', { customerId: g.customerId, limit: 100 })),
      addresses: ok(await globex.call('list_customer_addresses', { customerId: g.customerId, limit: 100 })),
      contacts: ok(await globex.call('list_customer_contacts', { customerId: g.customerId, limit: 100 })),
      shipTos: ok(await globex.call('list_ship_to_addresses', { customerId: g.customerId, limit: 100 })),
    };
    for (const key of Object.keys(before) as Array<keyof typeof before>) {
      expect(after[key].items, key).toEqual(before[key].items);
      expect(after[key].total, key).toBe(before[key].total);
    }
    const tag = after.tags.items.find((t: Structured) => t.customerTagsUid === g.customerTagsUid);
    expect(tag).toBeDefined();
    expect(tag.statusCd).not.toBe(700);
  });

  it('the acme token sent for the globex site is refused with forbidden_tenant by every Augur tool', async () => {
    const crossed = await connect({ augur: augurClient(sandbox, { siteId: GLOBEX.siteId, token: ACME.token }) });
    try {
      const byGlobexIds = toolArgs(FIX.globex);
      const byAcmeIds = toolArgs(FIX.acme);
      const tools = augurTools.map((t) => t.name);
      expect(tools).toHaveLength(36);
      for (const [label, args] of [
        ['globex ids', byGlobexIds],
        ['acme ids', byAcmeIds],
      ] as const) {
        for (const tool of tools) {
          sandbox.clearRequests();
          const what = `${tool} (${label})`;
          const result = await crossed.call(tool, args[tool]);
          const error = failed(result, 'forbidden_tenant', what);
          expect(error.upstreamStatus, what).toBe(403);
          expect(error.retryable, what).toBe(false);
          expect(globexTraces(result, args[tool]!).filter((t) => t !== '"globex"'), what).toEqual([]);
          const sent = augurRequests();
          expect(sent.map((r) => r.status), what).toEqual([403]);
          expect(sent[0]!.headers['x-site-id'], what).toBe(GLOBEX.siteId);
          expect(sent[0]!.headers.authorization, what).toBe(`Bearer ${ACME.token}`);
          expect(sent[0]!.headers['x-correlation-id'], what).toBe(result.structuredContent.correlationId);
        }
      }
    } finally {
      await crossed.close();
    }
  });
});

describe('a malformed id never reaches the wire', () => {
  let sandbox: Sandbox;
  let h: Connected;
  const BAD_IDS: unknown[] = [
    '1/../x',
    -1,
    'abc',
    0,
    1.5,
    '%2F',
    '',
    '0',
    '-1',
    '1%2F2',
    '../1',
    ' 12',
    '12 ',
    '012',
    '1e3',
    '0x1F',
    '１２',
    '12?x=1',
    '12#x',
    Number.MAX_SAFE_INTEGER + 2,
    '9'.repeat(17),
    null,
    true,
    [12],
    { id: 12 },
  ];

  beforeAll(async () => {
    sandbox = await startSandbox();
    h = await connect({ augur: augurClient(sandbox, ACME) });
  });
  afterAll(async () => {
    await h.close();
    await sandbox.close();
  });

  it('covers every Augur tool that takes an id in its path, with the id arguments its schema lists', async () => {
    const listed = new Map((await h.client.listTools()).tools.map((t) => [t.name, Object.keys(t.inputSchema.properties ?? {})]));
    const withoutPathIds = augurTools.map((t) => t.name).filter((name) => !(name in PATH_ID_ARGS));
    expect(withoutPathIds.sort()).toEqual(['list_customers', 'lookup_customer', 'refresh_customer_data']);
    for (const [tool, params] of Object.entries({ ...PATH_ID_ARGS })) {
      for (const param of [...params, ...(QUERY_ID_ARGS[tool] ?? [])]) expect(listed.get(tool), tool).toContain(param);
    }
  });

  it('gives invalid_argument for every malformed path or query id of every tool, and sends nothing', async () => {
    const base = toolArgs(FIX.acme);
    sandbox.clearRequests();
    let calls = 0;
    for (const [tool, params] of Object.entries(PATH_ID_ARGS)) {
      for (const param of [...params, ...(QUERY_ID_ARGS[tool] ?? [])]) {
        for (const value of BAD_IDS) {
          const what = `${tool} ${param}=${JSON.stringify(value)}`;
          const error = failed(await h.call(tool, { ...base[tool], [param]: value }), 'invalid_argument', what);
          expect(error.message, what).toContain(tool);
          expect(error.message, what).toContain(param);
          expect(error.retryable, what).toBe(false);
          expect(error.upstreamStatus, what).toBeUndefined();
          expect(sandbox.requests, what).toHaveLength(0);
          calls++;
        }
      }
    }
    expect(calls).toBe(BAD_IDS.length * (44 + 4));
    expect(sandbox.requests).toHaveLength(0);

    // The check is not vacuous: the same server does reach the sandbox when the id is well-formed.
    ok(await h.call('get_customer', { customerId: String(FIX.acme.customerId) }));
    expect(sandbox.requests.map((r) => r.path)).toEqual([`/customer/${FIX.acme.customerId}/doc`]);
  });

  it('the client refuses them too, whatever its caller: every path-id method throws before any request', async () => {
    const client = augurClient(sandbox, ACME);
    const ctx = { correlationId: 'test-malformed-ids' };
    const c = FIX.acme.customerId;
    const methods: Array<[string, (id: never) => Promise<unknown>]> = [
      ['getCustomerDoc', (id) => client.getCustomerDoc(id, ctx)],
      ['searchCustomerAddresses', (id) => client.searchCustomerAddresses(id, { q: 'a' }, ctx)],
      ['listCustomerAddresses', (id) => client.listCustomerAddresses(id, {}, ctx)],
      ['createCustomerAddress', (id) => client.createCustomerAddress(id, { city: 'x' }, ctx)],
      ['getCustomerAddress', (id) => client.getCustomerAddress(c, id, ctx)],
      ['updateCustomerAddress', (id) => client.updateCustomerAddress(c, id, { city: 'x' }, ctx)],
      ['deleteCustomerAddress', (id) => client.deleteCustomerAddress(c, id, ctx)],
      ['getCustomerAging', (id) => client.getCustomerAging(id, {}, ctx)],
      ['getSalesUsage', (id) => client.getSalesUsage(id, {}, ctx)],
      ['listCustomerContacts', (id) => client.listCustomerContacts(id, {}, ctx)],
      ['createCustomerContact', (id) => client.createCustomerContact(id, {}, ctx)],
      ['listInvoices', (id) => client.listInvoices(id, {}, ctx)],
      ['getInvoice', (id) => client.getInvoice(c, id, ctx)],
      ['listOrders', (id) => client.listOrders(id, {}, ctx)],
      ['getOrder', (id) => client.getOrder(c, id, ctx)],
      ['listQuotes', (id) => client.listQuotes(id, {}, ctx)],
      ['getQuote', (id) => client.getQuote(c, id, ctx)],
      ['listRmas', (id) => client.listRmas(id, {}, ctx)],
      ['getRma', (id) => client.getRma(c, id, ctx)],
      ['listPurchasedItems', (id) => client.listPurchasedItems(id, {}, ctx)],
      ['listShipTo', (id) => client.listShipTo(id, {}, ctx)],
      ['createShipTo', (id) => client.createShipTo(id, {}, ctx)],
      ['lookupShipTo', (id) => client.lookupShipTo(id, {}, ctx)],
      ['getShipToFreightCodes', (id) => client.getShipToFreightCodes(c, id, ctx)],
      ['listCustomerTags', (id) => client.listCustomerTags(id, {}, ctx)],
      ['createCustomerTag', (id) => client.createCustomerTag(id, { tag: 'x' }, ctx)],
      ['getCustomerTag', (id) => client.getCustomerTag(c, id, ctx)],
      ['updateCustomerTag', (id) => client.updateCustomerTag(c, id, { tag: 'x' }, ctx)],
      ['deleteCustomerTag', (id) => client.deleteCustomerTag(c, id, ctx)],
      ['listSalesrepCustomers', (id) => client.listSalesrepCustomers(id, {}, ctx)],
      ['getContactDoc', (id) => client.getContactDoc(id, ctx)],
      ['getContactWebAllowance', (id) => client.getContactWebAllowance(id, ctx)],
      ['getContactUd', (id) => client.getContactUd(id, ctx)],
    ];
    const values: unknown[] = ['1/../x', -1, 'abc', 0, 1.5, '%2F', '', ' 12', '1e3', '０', Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '1?x=1'];
    sandbox.clearRequests();
    for (const [name, invoke] of methods) {
      for (const value of values) {
        await expect(invoke(value as never), `${name}(${JSON.stringify(value)})`).rejects.toBeInstanceOf(InvalidPathParameterError);
      }
    }
    expect(sandbox.requests).toHaveLength(0);
  });
});

describe('a write retried by the agent after a timeout is not repeated by the client', () => {
  let sandbox: Sandbox;
  let h: Connected;
  const customerId = FIX.acme.customerId;
  const sent = (method: string, path: RegExp) => sandbox.requests.filter((r) => r.api === 'augur' && r.method === method && path.test(r.path));
  /** Waits until the delayed request has been handled, then a little more: a client retry would be in by now. */
  const settle = async (count: () => number, expected: number) => {
    expect(await waitUntil(() => count() >= expected, 3_000)).toBe(true);
    await sleep(250);
  };

  beforeAll(async () => {
    sandbox = await startSandbox();
    // Short client timeout; the sandbox is told to take longer on the first matching call.
    h = await connect({ augur: augurClient(sandbox, ACME, { timeoutMs: 300 }) });
  });
  afterAll(async () => {
    await h.close();
    await sandbox.close();
  });
  afterEach(() => {
    sandbox.faults.clear();
    sandbox.clearRequests();
  });

  it('add_customer_tag (POST): timeout, one request, the tag stored once; the retry sends one more and still one tag', async () => {
    const tag = `retry-probe-${Date.now()}`;
    const posts = () => sent('POST', /^\/customer\/\d+\/tags$/);
    sandbox.faults.add({ api: 'augur', method: 'POST', path: '^/customer/\\d+/tags$', latencyMs: 800, times: 1 });

    const first = await h.call('add_customer_tag', { customerId, tag });
    const error = failed(first, 'timeout');
    // Gave up at the client's own timeout, before the service answered.
    expect(error.upstreamMessages).toEqual(['no answer within 300 ms']);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('did not answer in time');

    await settle(() => posts().length, 1);
    expect(posts()).toHaveLength(1);
    expect(posts()[0]).toMatchObject({ path: `/customer/${customerId}/tags`, status: 200, body: { tag } });
    expect(posts()[0]!.headers['x-correlation-id']).toBe(first.structuredContent.correlationId);

    // The service did store it, once, although the agent was told the call timed out.
    const listed = ok(await h.call('list_customer_tags', { customerId, limit: 100 }));
    const stored = listed.items.filter((t: Structured) => t.tag === tag);
    expect(stored).toHaveLength(1);
    expect(stored[0].statusCd).toBe(704);

    // The agent retries the same call: exactly one more POST, and the service refreshes the tag in place.
    const retried = ok(await h.call('add_customer_tag', { customerId, tag })).tag;
    expect(retried).toMatchObject({ tag, statusCd: 704, customerTagsUid: stored[0].customerTagsUid });
    await sleep(250);
    expect(posts()).toHaveLength(2);
    expect(posts()[1]!.status).toBe(200);
    const relisted = ok(await h.call('list_customer_tags', { customerId, limit: 100 }));
    expect(relisted.items.filter((t: Structured) => t.tag === tag)).toHaveLength(1);
    expect(relisted.total).toBe(listed.total);
  });

  it('update_customer_address (PUT): timeout, exactly one request, the change applied once; the retry sends one more', async () => {
    const uid = FIX.acme.customerAddressUid;
    const city = `Retryville ${Date.now() % 100000}`;
    const puts = () => sent('PUT', /^\/customer\/\d+\/addresses\/\d+$/);
    sandbox.faults.add({ api: 'augur', method: 'PUT', path: '^/customer/\\d+/addresses/\\d+$', latencyMs: 800, times: 1 });

    failed(await h.call('update_customer_address', { customerId, customerAddressUid: uid, city }), 'timeout');
    await settle(() => puts().length, 1);
    expect(puts()).toHaveLength(1);
    expect(puts()[0]).toMatchObject({ path: `/customer/${customerId}/addresses/${uid}`, status: 200, body: { city } });
    expect(ok(await h.call('get_customer_address', { customerId, customerAddressUid: uid })).address.city).toBe(city);

    const retried = ok(await h.call('update_customer_address', { customerId, customerAddressUid: uid, city })).address;
    expect(retried).toMatchObject({ customerAddressUid: uid, city });
    await sleep(250);
    expect(puts()).toHaveLength(2);
  });

  it('delete_customer_tag (DELETE): timeout, exactly one request, the tag soft-deleted; the retry sends one more', async () => {
    const created = ok(await h.call('add_customer_tag', { customerId, tag: `delete-probe-${Date.now()}` })).tag;
    const uid = created.customerTagsUid;
    const deletes = () => sent('DELETE', /^\/customer\/\d+\/tags\/\d+$/);
    sandbox.faults.add({ api: 'augur', method: 'DELETE', path: '^/customer/\\d+/tags/\\d+$', latencyMs: 800, times: 1 });

    failed(await h.call('delete_customer_tag', { customerId, customerTagsUid: uid }), 'timeout');
    await settle(() => deletes().length, 1);
    expect(deletes()).toHaveLength(1);
    expect(deletes()[0]).toMatchObject({ path: `/customer/${customerId}/tags/${uid}`, status: 200 });
    expect(ok(await h.call('get_customer_tag', { customerId, customerTagsUid: uid })).tag.statusCd).toBe(700);

    const retried = ok(await h.call('delete_customer_tag', { customerId, customerTagsUid: uid })).tag;
    expect(retried).toMatchObject({ customerTagsUid: uid, statusCd: 700 });
    await sleep(250);
    expect(deletes()).toHaveLength(2);
  });

  it('by contrast, a read that times out is retried by the client and answers', async () => {
    const gets = () => sent('GET', /^\/customer\/\d+\/tags\/\d+$/);
    sandbox.faults.add({ api: 'augur', method: 'GET', path: '^/customer/\\d+/tags/\\d+$', latencyMs: 800, times: 1 });
    const tag = ok(await h.call('get_customer_tag', { customerId, customerTagsUid: FIX.acme.customerTagsUid })).tag;
    expect(tag.customerTagsUid).toBe(FIX.acme.customerTagsUid);
    await settle(() => gets().length, 2);
    expect(gets()).toHaveLength(2);
  });
});
