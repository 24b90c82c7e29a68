import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, SANDBOX_AUGUR_FIXTURES, SANDBOX_AUGUR_SITES } from '../../src/sandbox/augur/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';

/**
 * The embedded Augur customers service, over real HTTP on a random loopback port. What is asserted is the wire
 * contract the client will meet on the real service: status codes, the 8-key envelope, field names, flag values.
 */
type Body = {
  count: number;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  message: string;
  options: unknown;
  params: unknown;
  status: number;
  total: number;
  totalResults: number;
  errors?: Record<string, string>;
};

const ENVELOPE_KEYS = ['count', 'data', 'message', 'options', 'params', 'status', 'total', 'totalResults'];
const acme = SANDBOX_AUGUR_FIXTURES.acme;
const globex = SANDBOX_AUGUR_FIXTURES.globex;
const ACME = SANDBOX_AUGUR_SITES.acme;
const GLOBEX = SANDBOX_AUGUR_SITES.globex;

let sandbox: Sandbox;
let clock = Date.now();

beforeAll(async () => {
  sandbox = await startSandbox({ augur: { now: () => clock } });
});
afterAll(async () => {
  await sandbox.close();
});

interface CallOptions {
  method?: string;
  token?: string | null;
  site?: string | null;
  body?: unknown;
  rawBody?: string;
}

async function call(path: string, options: CallOptions = {}): Promise<{ status: number; body: Body; contentType: string | null }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const site = options.site === undefined ? ACME.siteId : options.site;
  const token = options.token === undefined ? ACME.token : options.token;
  if (site !== null) headers['x-site-id'] = site;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let payload: string | undefined;
  if (options.rawBody !== undefined) payload = options.rawBody;
  else if (options.body !== undefined) payload = JSON.stringify(options.body);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${sandbox.augur.baseUrl}${path}`, { method: options.method ?? 'GET', headers, body: payload });
  return { status: response.status, body: (await response.json()) as Body, contentType: response.headers.get('content-type') };
}

/** Asserts the 8-key envelope (plus `errors` exactly on 400) with `status` mirroring the HTTP status. */
function expectEnvelope(result: { status: number; body: Body }, status: number): Body {
  expect(result.status).toBe(status);
  const keys = Object.keys(result.body).sort();
  expect(keys).toEqual(status === 400 ? [...ENVELOPE_KEYS, 'errors'].sort() : ENVELOPE_KEYS);
  expect(result.body.status).toBe(status);
  expect(typeof result.body.message).toBe('string');
  if (status >= 400) {
    expect(result.body.data).toBeNull();
    expect(result.body).toMatchObject({ count: 0, total: 0, totalResults: 0 });
  }
  return result.body;
}

async function listAll(path: string, pageSize: number): Promise<{ rows: any[]; totalResults: number }> {
  const rows: any[] = [];
  let totalResults = 0;
  for (let offset = 0; ; offset += pageSize) {
    const sep = path.includes('?') ? '&' : '?';
    const body = expectEnvelope(await call(`${path}${sep}limit=${pageSize}&offset=${offset}`), 200);
    totalResults = body.totalResults;
    rows.push(...body.data);
    if (offset + body.count >= body.totalResults) break;
  }
  return { rows, totalResults };
}

describe('Augur sandbox: exports', () => {
  it('has deterministic demo sites, tokens and fixtures, and all 41 routes', () => {
    expect(ACME.siteId).toBe('acme-site');
    expect(GLOBEX.siteId).toBe('globex-site');
    expect(ACME.token.split('.')).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(ACME.token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ siteId: 'acme-site', tokenType: 'site', exp: 4_102_444_800 });
    expect(ROUTES).toHaveLength(41);
    expect(new Set(ROUTES.map((r) => `${r.method} ${r.path}`)).size).toBe(41);
    // The two sites never share an id.
    for (const key of Object.keys(acme) as Array<keyof typeof acme>) {
      if (typeof acme[key] === 'number') expect(acme[key]).not.toBe(globex[key]);
    }
  });
});

describe('Augur sandbox: auth and errors', () => {
  it('serves /health-check with only x-site-id and /ping with nothing', async () => {
    const health = expectEnvelope(await call('/health-check', { token: null }), 200);
    expect(health.data).toEqual({ siteHash: expect.any(String), siteId: 'acme-site' });
    expect(health).toMatchObject({ count: 1, total: 1, totalResults: 1, message: 'Ok' });
    const ping = expectEnvelope(await call('/ping', { token: null, site: null }), 200);
    expect(ping.data).toBe('pong');
  });

  it('answers 400 in the envelope when x-site-id is missing', async () => {
    const body = expectEnvelope(await call('/customer', { site: null }), 400);
    expect(body.errors).toHaveProperty('x-site-id');
    expectEnvelope(await call('/health-check', { site: null, token: null }), 400);
  });

  it('answers 401 for a missing token, a bad signature, an expired token and a non-JWT', async () => {
    expect(expectEnvelope(await call('/customer', { token: null }), 401).message).toMatch(/Authorization/);
    const parts = ACME.token.split('.');
    const forged = `${parts[0]}.${parts[1]}.${Buffer.from('not the signature').toString('base64url')}`;
    expect(expectEnvelope(await call('/customer', { token: forged }), 401).message).toMatch(/signature/);
    const expired = sandbox.augur.controls.issueToken('acme-site', -10);
    expect(expectEnvelope(await call('/whoami', { token: expired }), 401).message).toMatch(/expired/);
    expectEnvelope(await call('/customer', { token: 'garbage' }), 401);
  });

  it('honours the clock option for expiry', async () => {
    const token = sandbox.augur.controls.issueToken('acme-site', 60);
    expectEnvelope(await call('/whoami', { token }), 200);
    clock += 61_000;
    try {
      expectEnvelope(await call('/whoami', { token }), 401);
    } finally {
      clock = Date.now();
    }
  });

  it('answers 403 for a token of another site, and for an unknown site', async () => {
    expect(expectEnvelope(await call('/customer', { token: GLOBEX.token }), 403).message).toContain('globex-site');
    const minted = sandbox.augur.controls.issueToken('globex-site');
    expectEnvelope(await call(`/customer/${acme.customerId}/doc`, { token: minted }), 403);
    expectEnvelope(await call('/health-check', { site: 'nobody-site', token: null }), 403);
  });

  it('answers 404 in the envelope for unknown paths and methods', async () => {
    expectEnvelope(await call('/nope'), 404);
    expectEnvelope(await call('/customer/10002/unknown'), 404);
    expectEnvelope(await call(`/customer/${acme.customerId}/doc`, { method: 'DELETE' }), 404);
  });

  it('answers /whoami with the token identity', async () => {
    const body = expectEnvelope(await call('/whoami'), 200);
    expect(body.data).toEqual({
      email: 'integration@acme-site.example',
      name: 'Acme Sandbox Integration',
      scope: 'customers',
      siteId: 'acme-site',
      tokenType: 'site',
      userId: 1001,
      username: 'acme-sandbox',
    });
  });

  it('sends JSON and records requests under the augur API', async () => {
    sandbox.clearRequests();
    const result = await call(`/customer/${acme.customerId}/doc`);
    expect(result.contentType).toBe('application/json; charset=utf-8');
    expect(sandbox.requests).toHaveLength(1);
    expect(sandbox.requests[0]).toMatchObject({ api: 'augur', method: 'GET', path: `/customer/${acme.customerId}/doc`, status: 200 });
  });
});

describe('Augur sandbox: path ids', () => {
  it('refuses non-integer ids and customerId below 1 with 400', async () => {
    for (const path of ['/customer/abc/doc', '/customer/1.5/invoices', '/customer/%31/doc', '/contacts/x/doc', `/customer/${acme.customerId}/invoices/12a`]) {
      const body = expectEnvelope(await call(path), 400);
      expect(body.message).toMatch(/expected an integer/);
    }
    expect(expectEnvelope(await call('/customer/0/doc'), 400).message).toBe('customerId is below 1');
    expect(expectEnvelope(await call('/customer/-5/orders'), 400).message).toBe('customerId is below 1');
  });

  it('answers 404 with the documented messages for unknown ids', async () => {
    expect(expectEnvelope(await call('/customer/99999/doc'), 404).message).toBe('No customer with this ID');
    expect(expectEnvelope(await call('/customer/99999/orders'), 404).message).toBe('No customer with this customerId');
    expect(expectEnvelope(await call(`/customer/${acme.customerId}/invoices/1`), 404).message).toBe('No invoice with this number for this customer');
    expect(expectEnvelope(await call(`/customer/${acme.customerId}/orders/1`), 404).message).toBe('No order with this number for this customer');
    expect(expectEnvelope(await call(`/customer/${acme.customerId}/quotes/1`), 404).message).toBe('No quote with this number for this customer');
    expect(expectEnvelope(await call(`/customer/${acme.customerId}/rmas/1`), 404).message).toBe('No RMA with this number for this customer');
    expect(expectEnvelope(await call('/contacts/1/doc'), 404).message).toBe('No contact with this ID');
    // Other list endpoints answer an empty list for an unknown customer.
    expect(expectEnvelope(await call('/customer/99999/invoices'), 200)).toMatchObject({ count: 0, totalResults: 0, data: [] });
  });
});

describe('Augur sandbox: customers', () => {
  it('lists customers with paging counters and finds the demo customer by lookup', async () => {
    const page = expectEnvelope(await call('/customer?limit=5&offset=0'), 200);
    expect(page.count).toBe(5);
    expect(page.totalResults).toBeGreaterThanOrEqual(12);
    expect(page.total).toBe(page.totalResults);
    expect(page.params).toEqual({ limit: '5', offset: '0' });
    expect(page.data.map((c: { customerId: number }) => c.customerId)).toEqual([...page.data.map((c: { customerId: number }) => c.customerId)].sort());
    const lookup = expectEnvelope(await call(`/customer/lookup?q=${encodeURIComponent(acme.customerQuery.toLowerCase())}`), 200);
    expect(lookup.data).toEqual([{ customerId: acme.customerId, customerName: acme.customerName }]);
    expect(expectEnvelope(await call('/customer/lookup'), 400).errors).toHaveProperty('q');
  });

  it('returns a customer document with the documented fields', async () => {
    const body = expectEnvelope(await call(`/customer/${acme.customerId}/doc`), 200);
    expect(Object.keys(body.data).sort()).toEqual(
      [
        'customerId', 'companyId', 'customerName', 'class1Id', 'class2Id', 'class3Id', 'class4Id', 'class5Id', 'webEnabledFlag',
        'deleteFlag', 'salesRepId', 'poNoRequired', 'termsId', 'termsDesc', 'taxableFlag', 'statusCd', 'jobPricing', 'userDefined',
      ].sort(),
    );
    expect(body.data).toMatchObject({ customerId: acme.customerId, customerName: acme.customerName, deleteFlag: 'N' });
  });

  it('filters /customer by deleteFlag and statusCd and validates the flag', async () => {
    const all = expectEnvelope(await call('/customer?limit=100'), 200);
    const deleted = expectEnvelope(await call('/customer?deleteFlag=Y'), 200);
    const kept = expectEnvelope(await call('/customer?deleteFlag=N&limit=100'), 200);
    expect(deleted.totalResults).toBeGreaterThan(0);
    expect(deleted.totalResults + kept.totalResults).toBe(all.totalResults);
    const inactive = expectEnvelope(await call('/customer?statusCd=705'), 200);
    expect(inactive.data.every((c: { statusCd: number }) => c.statusCd === 705)).toBe(true);
    expect(expectEnvelope(await call('/customer?statusCd=704,705&limit=100'), 200).totalResults).toBe(all.totalResults);
    expectEnvelope(await call('/customer?deleteFlag=y'), 400);
  });

  it("lists a salesrep's customers", async () => {
    const body = expectEnvelope(await call(`/contacts/${acme.salesRepContactId}/customers?limit=3`), 200);
    expect(body.count).toBe(3);
    expect(body.totalResults).toBeGreaterThan(3);
    expect(body.data.every((c: { salesRepId: string }) => c.salesRepId === String(acme.salesRepContactId))).toBe(true);
  });
});

describe('Augur sandbox: listing rules', () => {
  it('pages over the big customer: more than 100 invoices and orders, every row once', async () => {
    const invoices = await listAll(`/customer/${acme.bigCustomerId}/invoices`, 40);
    expect(invoices.totalResults).toBeGreaterThan(100);
    expect(new Set(invoices.rows.map((i) => i.invoiceNo)).size).toBe(invoices.totalResults);
    const all = expectEnvelope(await call(`/customer/${acme.bigCustomerId}/orders?cancelFlag=B&deleteFlag=B&fullDocument=N&limit=1`), 200);
    expect(all.totalResults).toBeGreaterThan(100);

    const first = expectEnvelope(await call(`/customer/${acme.bigCustomerId}/invoices`), 200);
    expect(first).toMatchObject({ count: 10 }); // default limit 10
    const tail = expectEnvelope(await call(`/customer/${acme.bigCustomerId}/invoices?limit=25&offset=100`), 200);
    expect(tail.count).toBe(Math.min(25, tail.totalResults - 100));
    expect(tail.totalResults).toBe(invoices.totalResults);
    const beyond = expectEnvelope(await call(`/customer/${acme.bigCustomerId}/invoices?offset=100000`), 200);
    expect(beyond).toMatchObject({ count: 0, data: [], totalResults: invoices.totalResults });
  });

  it('refuses bad limit and offset values with 400', async () => {
    for (const query of ['limit=0', 'limit=-1', 'limit=abc', 'limit=1.5', 'offset=-1', 'offset=2.5']) {
      const body = expectEnvelope(await call(`/customer/${acme.bigCustomerId}/invoices?${query}`), 400);
      expect(Object.keys(body.errors ?? {})).toEqual([query.split('=')[0]]);
    }
    expectEnvelope(await call(`/customer/${acme.bigCustomerId}/invoices?limit=500`), 200);
  });

  it('sorts by a snake_case column and refuses anything else with the documented sentence', async () => {
    const asc = expectEnvelope(await call(`/customer/${acme.bigCustomerId}/invoices?orderBy=invoice_date|ASC&limit=50`), 200);
    const dates = asc.data.map((i: { invoiceDate: string }) => i.invoiceDate);
    expect(dates).toEqual([...dates].sort());
    const desc = expectEnvelope(await call(`/customer/${acme.bigCustomerId}/invoices?orderBy=total_amount|DESC&limit=50`), 200);
    const totals = desc.data.map((i: { totalAmount: number }) => i.totalAmount);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    for (const bad of ['invoiceDate|ASC', 'invoice_date|asc', 'no_such_column|ASC', 'invoice_date', 'invoice_date|UP']) {
      const body = expectEnvelope(await call(`/customer/${acme.bigCustomerId}/invoices?orderBy=${encodeURIComponent(bad)}`), 400);
      expect(body.message).toBe('orderBy is not column|ASC or column|DESC on a invoice_hdr column');
      expect(body.errors).toHaveProperty('orderBy');
    }
    expect(expectEnvelope(await call('/customer?orderBy=customer_name|DESC'), 200).data[0].customerName).toBeTruthy();
    expect(expectEnvelope(await call('/customer?orderBy=bogus|ASC'), 400).message).toBe('orderBy is not column|ASC or column|DESC on a customer column');
  });

  it('filters invoices by paidInFull Y/N, shipToId and q', async () => {
    const base = `/customer/${acme.bigCustomerId}/invoices`;
    const all = expectEnvelope(await call(base), 200).totalResults;
    const paid = await listAll(`${base}?paidInFull=Y`, 100);
    const unpaid = await listAll(`${base}?paidInFull=N`, 100);
    expect(paid.totalResults).toBeGreaterThan(0);
    expect(unpaid.totalResults).toBeGreaterThan(0);
    expect(paid.totalResults + unpaid.totalResults).toBe(all);
    expect(paid.rows.every((i) => i.paidInFullFlag === 'Y' && i.amountPaid === i.totalAmount && i.datePaid !== null)).toBe(true);
    expect(unpaid.rows.every((i) => i.paidInFullFlag === 'N' && i.datePaid === null)).toBe(true);
    expectEnvelope(await call(`${base}?paidInFull=yes`), 400);

    const shipTos = expectEnvelope(await call(`/customer/${acme.bigCustomerId}/ship-to?limit=10`), 200);
    expect(shipTos.count).toBeGreaterThan(1);
    const perShipTo = await Promise.all(
      shipTos.data.map(async (s: { shipToId: number }) => expectEnvelope(await call(`${base}?shipToId=${s.shipToId}`), 200).totalResults),
    );
    expect(perShipTo.every((n) => n > 0)).toBe(true);
    expect(perShipTo.reduce((a, b) => a + b, 0)).toBe(all);

    const one = expectEnvelope(await call(`/customer/${acme.customerId}/invoices?q=${acme.invoiceNo}`), 200);
    expect(one.data.map((i: { invoiceNo: string }) => i.invoiceNo)).toEqual([String(acme.invoiceNo)]);
  });

  it('includes or excludes cancelled and deleted orders with cancelFlag/deleteFlag N|Y|B', async () => {
    const base = `/customer/${acme.customerId}/orders?fullDocument=N&limit=100`;
    const nos = async (query: string): Promise<string[]> =>
      expectEnvelope(await call(`${base}${query}`), 200).data.map((o: { orderNo: string }) => o.orderNo);
    const byDefault = await nos('');
    expect(byDefault).toContain(String(acme.orderNo));
    expect(byDefault).not.toContain(String(acme.cancelledOrderNo));
    expect(byDefault).not.toContain(String(acme.deletedOrderNo));
    expect(await nos('&cancelFlag=B')).toContain(String(acme.cancelledOrderNo));
    expect(await nos('&cancelFlag=Y')).toEqual([String(acme.cancelledOrderNo)]);
    expect(await nos('&deleteFlag=Y')).toEqual([String(acme.deletedOrderNo)]);
    const both = await nos('&cancelFlag=B&deleteFlag=B');
    expect(both).toEqual(expect.arrayContaining([String(acme.orderNo), String(acme.cancelledOrderNo), String(acme.deletedOrderNo)]));
    expect(both).toHaveLength(byDefault.length + 2);
    expectEnvelope(await call(`${base}&cancelFlag=X`), 400);
  });

  it('shapes orders by fullDocument: N header row, L header + light lines, Y full document', async () => {
    const base = `/customer/${acme.customerId}/orders?q=${acme.orderNo}`;
    const n = expectEnvelope(await call(`${base}&fullDocument=N`), 200).data[0];
    expect(n).toMatchObject({ orderNo: String(acme.orderNo), oeHdrUid: expect.any(Number), sourceCodeNo: 706, deleteFlag: 'N' });
    expect(n).toHaveProperty('class1id');
    expect(n).not.toHaveProperty('lines');
    expect(n.orderDate).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const l = expectEnvelope(await call(`${base}&fullDocument=L`), 200).data[0];
    expect(Object.keys(l.lines[0]).sort()).toEqual(['itemId', 'lineNo', 'oeLineUid', 'parentOeLineUid', 'qtyOrdered', 'unitPrice']);

    const y = expectEnvelope(await call(base), 200).data[0]; // default Y
    expect(y).toMatchObject({ orderNo: String(acme.orderNo), orderStatus: expect.any(String), carrierName: expect.any(String) });
    expect(y).toHaveProperty('pickTickets');
    expect(y).toHaveProperty('class1Id');
    expect(y.lines[0]).toHaveProperty('trinityItemId');
    // Cancelled and deleted lines are left out of L only.
    expect(y.lines.some((line: { cancelFlag: string }) => line.cancelFlag === 'Y')).toBe(true);
    expect(y.lines.some((line: { deleteFlag: string }) => line.deleteFlag === 'Y')).toBe(true);
    expect(l.lines.length).toBe(y.lines.length - 2);

    expect(expectEnvelope(await call(`${base}&fullDocument=X`), 400).errors).toHaveProperty('fullDocument');
    const single = expectEnvelope(await call(`/customer/${acme.customerId}/orders/${acme.orderNo}`), 200);
    expect(single.data).toEqual(y);
    expect(expectEnvelope(await call(`/customer/${acme.customerId}/orders/${acme.cancelledOrderNo}`), 200).data.cancelFlag).toBe('Y');
  });

  it('validates the createdFrom/createdTo pair', async () => {
    const base = `/customer/${acme.bigCustomerId}/invoices`;
    expectEnvelope(await call(`${base}?createdFrom=2026-01-01`), 400);
    expectEnvelope(await call(`${base}?createdFrom=2026-01-01&createdTo=2026-02-30`), 400);
    const range = expectEnvelope(await call(`${base}?createdFrom=2026-01-01&createdTo=2026-03-31&limit=100`), 200);
    expect(range.totalResults).toBeGreaterThan(0);
    expect(range.totalResults).toBeLessThan(expectEnvelope(await call(base), 200).totalResults);
  });
});

describe('Augur sandbox: documents, contacts and reports', () => {
  it('serves single invoices, quotes and RMAs as documented', async () => {
    const invoice = expectEnvelope(await call(`/customer/${acme.customerId}/invoices/${acme.invoiceNo}`), 200).data;
    expect(invoice).toMatchObject({ invoiceNo: String(acme.invoiceNo), customerId: acme.customerId, paidInFullFlag: 'Y' });
    expect(invoice.lines[0]).toHaveProperty('oderNo', invoice.lines[0].orderNo);
    const unpaid = expectEnvelope(await call(`/customer/${acme.customerId}/invoices/${acme.unpaidInvoiceNo}`), 200).data;
    expect(unpaid).toMatchObject({ paidInFullFlag: 'N', datePaid: null });
    expect(expectEnvelope(await call(`/customer/${acme.customerId}/quotes/${acme.quoteNo}`), 200).data.orderNo).toBe(String(acme.quoteNo));
    expect(expectEnvelope(await call(`/customer/${acme.customerId}/quotes`), 200).totalResults).toBeGreaterThan(0);
    expect(expectEnvelope(await call(`/customer/${acme.customerId}/rmas`), 200).data[0].orderNo).toBe(String(acme.rmaNo));
    const items = expectEnvelope(await call(`/customer/${acme.customerId}/purchased-items`), 200);
    expect(items.data[0]).toMatchObject({ customerId: acme.customerId, invMastUid: expect.any(Number), count: expect.any(Number) });
  });

  it('serves contact doc, web allowance and contacts-ud', async () => {
    const doc = expectEnvelope(await call(`/contacts/${acme.contactId}/doc`), 200).data;
    expect(doc).toMatchObject({ id: String(acme.contactId), addressId: acme.customerId, address: { id: acme.customerId } });
    const allowance = expectEnvelope(await call(`/contacts/${acme.contactId}/web-allowance`), 200).data;
    expect(allowance).toEqual({ webAllowance: expect.any(Number), orderStartDate: expect.stringMatching(/^\d{4}-\d{2}-01$/), id: String(acme.contactId), customerId: acme.customerId });
    // A salesrep is on no customer.
    expect(expectEnvelope(await call(`/contacts/${acme.salesRepContactId}/web-allowance`), 404).message).toBe('No contact with this ID on any customer');
    const ud = expectEnvelope(await call(`/contacts-ud/${acme.contactId}`), 200).data;
    expect(ud).toMatchObject({ id: String(acme.contactId), contactsUdUid: expect.any(Number), lastMaintainedBy: expect.any(String) });
    expect(expectEnvelope(await call('/contacts-ud/1'), 404).message).toBe('No user-defined fields row for this contact');
  });

  it('serves freight codes for a ship-to of the customer only', async () => {
    const code = expectEnvelope(await call(`/customer/${acme.customerId}/ship-to/${acme.shipToId}/freight-codes`), 200).data;
    expect(code).toMatchObject({ freightCodeUid: expect.any(Number), freightCd: expect.any(String), outgoingFreight: 'Y' });
    const message = 'The ship-to does not belong to this customer, or has no freight code';
    expect(expectEnvelope(await call(`/customer/${acme.customerId}/ship-to/${acme.shipToWithoutFreightCodeId}/freight-codes`), 404).message).toBe(message);
    expect(expectEnvelope(await call(`/customer/${acme.bigCustomerId}/ship-to/${acme.shipToId}/freight-codes`), 404).message).toBe(message);
  });

  it('ages outstanding invoices into current/30/60/90 buckets', async () => {
    const body = expectEnvelope(await call(`/customer/${acme.bigCustomerId}/aging?asOf=2026-12-31&limit=5`), 200);
    const report = body.data;
    expect(report).toMatchObject({ customerId: String(acme.bigCustomerId), asOf: '2026-12-31', bucketKeys: ['current', '30', '60', '90'] });
    expect(report.data).toHaveLength(Math.min(5, report.invoiceCount));
    expect(report.totals.map((t: { key: string }) => t.key)).toEqual(report.bucketKeys);
    expect(report.totals.reduce((sum: number, t: { invoices: number }) => sum + t.invoices, 0)).toBe(report.invoiceCount);
    for (const row of report.data) expect(row.balance).toBeCloseTo(row.totalAmount - row.amountPaid, 2);
    expectEnvelope(await call(`/customer/${acme.bigCustomerId}/aging?asOf=12/31/2026`), 400);
  });

  it('folds sales usage per item and period', async () => {
    const base = `/customer/${acme.bigCustomerId}/sales-usage`;
    const report = expectEnvelope(await call(`${base}?invoicedFrom=2026-01-01&invoicedTo=2026-06-30&totalBy=month&limit=3`), 200).data;
    expect(report).toMatchObject({ customerId: String(acme.bigCustomerId), totalBy: 'month', invoicedFrom: '2026-01-01', invoicedTo: '2026-06-30' });
    expect(report.bucketKeys).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    expect(report.itemCount).toBeGreaterThan(3);
    expect(report.data).toHaveLength(3);
    expect(report.data[0].buckets.map((b: { key: string }) => b.key)).toEqual(report.bucketKeys);
    const weeks = expectEnvelope(await call(`${base}?invoicedFrom=2026-01-05&invoicedTo=2026-01-18`), 200).data;
    expect(weeks.bucketKeys).toEqual(['2026-W02', '2026-W03']);
    expectEnvelope(await call(`${base}?totalBy=day`), 400);
    expectEnvelope(await call(`${base}?invoicedFrom=2026-06-01&invoicedTo=2026-01-01`), 400);
    expectEnvelope(await call(`${base}?orderBy=customer_id|ASC`), 400);
  });

  it('serves the deprecated refresh triggers', async () => {
    for (const path of ['/contacts/refresh', '/oe-contacts-customer/refresh', '/ship-to/refresh']) {
      const body = expectEnvelope(await call(path), 200);
      expect(body.data).toEqual({ message: expect.any(String), timestamp: expect.any(String), jobId: expect.any(String) });
    }
    expectEnvelope(await call('/ship-to/refresh', { token: null }), 401);
  });
});

describe('Augur sandbox: writes', () => {
  it('runs a customer address round trip with soft delete', async () => {
    const base = `/customer/${acme.customerId}/addresses`;
    const before = expectEnvelope(await call(base), 200).totalResults;
    const created = expectEnvelope(
      await call(base, { method: 'POST', body: { name: 'Loading Dock C', address1: '1 Test Way', city: 'Columbus', state: 'OH', postalCode: '43215', emailAddress: 'dock@example.test' } }),
      200,
    ).data;
    expect(created).toMatchObject({ customerId: acme.customerId, name: 'Loading Dock C', statusCd: 704, processCd: 704, updateCd: 1185, address2: null });
    expect(Object.keys(created)).toHaveLength(18);
    const uid = created.customerAddressUid;
    expect(expectEnvelope(await call(`${base}/${uid}`), 200).data).toEqual(created);

    const updated = expectEnvelope(await call(`${base}/${uid}`, { method: 'PUT', body: { city: 'Dayton' } }), 200).data;
    expect(updated).toMatchObject({ city: 'Dayton', name: 'Loading Dock C', address1: '1 Test Way' });
    expect(expectEnvelope(await call(base), 200).totalResults).toBe(before + 1);
    expect(expectEnvelope(await call(`${base}?emailAddress=dock@example.test`), 200).data.map((a: { customerAddressUid: number }) => a.customerAddressUid)).toEqual([uid]);

    const deleted = expectEnvelope(await call(`${base}/${uid}`, { method: 'DELETE' }), 200).data;
    expect(deleted).toMatchObject({ customerAddressUid: uid, statusCd: 700 });
    // Soft delete: still readable, filtered out by statusCd.
    expect(expectEnvelope(await call(`${base}/${uid}`), 200).data.statusCd).toBe(700);
    const active = expectEnvelope(await call(`${base}?statusCd=704,705`), 200).data.map((a: { customerAddressUid: number }) => a.customerAddressUid);
    expect(active).not.toContain(uid);
    expect(expectEnvelope(await call(`${base}?statusCd=700`), 200).data.map((a: { customerAddressUid: number }) => a.customerAddressUid)).toEqual([uid]);

    expectEnvelope(await call(`${base}/999999`), 404);
    expectEnvelope(await call(`/customer/${acme.bigCustomerId}/addresses/${acme.customerAddressUid}`), 404);
    expect(expectEnvelope(await call(base, { method: 'POST', body: { postalCode: 12345 } }), 400).errors).toHaveProperty('postalCode');
    expectEnvelope(await call(base, { method: 'POST', rawBody: '{not json' }), 400);
    expectEnvelope(await call(base, { method: 'POST', rawBody: '[]' }), 200);
  });

  it('runs tag CRUD, restoring a deleted tag by text', async () => {
    const base = `/customer/${acme.customerId}/tags`;
    const created = expectEnvelope(await call(base, { method: 'POST', body: { tag: 'sandbox-test-tag' } }), 200).data;
    expect(created).toMatchObject({ customerId: acme.customerId, tag: 'sandbox-test-tag', statusCd: 704 });
    expect(Object.keys(created).sort()).toEqual(['customerId', 'customerTagsUid', 'dateCreated', 'dateLastModified', 'processCd', 'statusCd', 'tag', 'updateCd']);
    const uid = created.customerTagsUid;
    const renamed = expectEnvelope(await call(`${base}/${uid}`, { method: 'PUT', body: { tag: 'sandbox-renamed' } }), 200).data;
    expect(renamed.tag).toBe('sandbox-renamed');
    expect(expectEnvelope(await call(`${base}/${uid}`, { method: 'PUT', body: { tag: '  ' } }), 200).data.tag).toBe('sandbox-renamed');
    expect(expectEnvelope(await call(`${base}/${uid}`, { method: 'DELETE' }), 200).data.statusCd).toBe(700);
    expect(expectEnvelope(await call(`${base}?statusCd=704`), 200).data.map((t: { customerTagsUid: number }) => t.customerTagsUid)).not.toContain(uid);
    const restored = expectEnvelope(await call(base, { method: 'POST', body: { tag: 'sandbox-renamed' } }), 200).data;
    expect(restored).toMatchObject({ customerTagsUid: uid, statusCd: 704 });
    expect(expectEnvelope(await call(base, { method: 'POST', body: { tag: ' ' } }), 400).message).toBe('The tag is missing or blank');
    expect(expectEnvelope(await call(base, { method: 'POST', body: {} }), 400).errors).toHaveProperty('tag');
    expect(expectEnvelope(await call(`${base}/999999`), 404).message).toBe('No tag with this ID for this customer');
  });

  it('creates a contact that then appears in the contacts list', async () => {
    const base = `/customer/${acme.customerId}/contacts`;
    expectEnvelope(await call(base), 400); // q is required
    const before = expectEnvelope(await call(`${base}?q=`), 200).totalResults;
    const created = expectEnvelope(
      await call(base, { method: 'POST', body: { firstName: 'Zelda', lastName: 'Quartermaine', emailAddress: 'zelda.q@example.test', title: 'Buyer' } }),
      200,
    );
    expect(created.data).toBe(true);
    const found = expectEnvelope(await call(`${base}?q=quartermaine`), 200);
    expect(found.data).toEqual([expect.objectContaining({ firstName: 'Zelda', lastName: 'Quartermaine', emailAddress: 'zelda.q@example.test', addressId: acme.customerId })]);
    expect(expectEnvelope(await call(`${base}?q=`), 200).totalResults).toBe(before + 1);
    const doc = expectEnvelope(await call(`/contacts/${found.data[0].id}/doc`), 200).data;
    expect(doc).toMatchObject({ firstName: 'Zelda' });
  });

  it('creates a ship-to that then appears in the ship-to list and lookup', async () => {
    const base = `/customer/${acme.customerId}/ship-to`;
    const before = expectEnvelope(await call(base), 200).totalResults;
    const created = expectEnvelope(
      await call(base, { method: 'POST', body: { shipToAddress: { name: 'Riverside Annex Sandbox', mailAddress1: '77 Annex Rd', mailCity: 'Toledo', mailState: 'OH', mailPostalCode: '43604' } } }),
      200,
    );
    expect(created.data).toBe(true);
    const list = expectEnvelope(await call(base), 200);
    expect(list.totalResults).toBe(before + 1);
    // Newest first (default date_created|DESC).
    expect(list.data[0].address).toMatchObject({ name: 'Riverside Annex Sandbox', mailAddress1: '77 Annex Rd', mailCity: 'Toledo' });
    const lookup = expectEnvelope(await call(`${base}/lookup?q=annex%20sandbox`), 200);
    expect(lookup.data).toEqual([expect.objectContaining({ id: list.data[0].shipToId, name: 'Riverside Annex Sandbox' })]);
    expectEnvelope(await call(base, { method: 'POST', rawBody: '"just a string"' }), 400);
    expectEnvelope(await call('/customer/99999/ship-to', { method: 'POST', body: {} }), 404);
  });
});

describe('Augur sandbox: site isolation', () => {
  it('never shows one site the rows of the other', async () => {
    expectEnvelope(await call(`/customer/${globex.customerId}/doc`), 404);
    expectEnvelope(await call(`/customer/${globex.customerId}/orders`), 404);
    expectEnvelope(await call(`/customer/${globex.customerId}/invoices/${globex.invoiceNo}`), 404);
    expect(expectEnvelope(await call(`/customer/${globex.customerId}/invoices`), 200).totalResults).toBe(0);
    expectEnvelope(await call(`/contacts/${globex.contactId}/doc`), 404);
    expectEnvelope(await call(`/customer/${globex.customerId}/tags`, { method: 'POST', body: { tag: 'intruder' } }), 404);

    const asGlobex = { token: GLOBEX.token, site: GLOBEX.siteId };
    expect(expectEnvelope(await call(`/customer/${globex.customerId}/doc`, asGlobex), 200).data.customerName).toBe(globex.customerName);
    expectEnvelope(await call(`/customer/${acme.customerId}/doc`, asGlobex), 404);
    const names = expectEnvelope(await call('/customer?limit=100', asGlobex), 200).data.map((c: { customerName: string }) => c.customerName);
    expect(names).toContain(globex.customerName);
    expect(names).not.toContain(acme.customerName);
  });
});

describe('Augur sandbox: every route answers', () => {
  it('routes all 41 endpoints with the fixture ids', async () => {
    const ids: Record<string, number> = {
      customerId: acme.customerId,
      customerAddressUid: acme.customerAddressUid,
      customerTagsUid: acme.customerTagsUid,
      invoiceNo: acme.invoiceNo,
      orderNo: acme.orderNo,
      quoteNo: acme.quoteNo,
      rmaNo: acme.rmaNo,
      shipToId: acme.shipToId,
      id: acme.contactId,
    };
    for (const route of ROUTES) {
      const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => String(ids[name]));
      const needsQ = route.query?.some((p) => p.name === 'q' && p.required);
      const body = route.method === 'POST' || route.method === 'PUT' ? { tag: 'route-check' } : undefined;
      const result = await call(needsQ ? `${path}?q=` : path, { method: route.method, body });
      expect(result.status, `${route.method} ${route.path}`).toBe(200);
      expectEnvelope(result, 200);
    }
  });
});
