import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpServerHandle } from '../src/http/server.js';
import { SANDBOX_API_KEYS, sandboxTenants } from '../src/http/tenants.js';
import { silentLogger } from '../src/logger.js';
import { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { SANDBOX_AUGUR_FIXTURES as AUGUR } from '../src/sandbox/augur/index.js';
import { SANDBOX_PARTSSOURCE_FIXTURES as PS } from '../src/sandbox/partssource/index.js';
import { walkSearchToOrder, type Structured } from './support/harness.js';
import {
  MCP_HEADERS,
  callBody,
  connectHttp,
  ok,
  rawRequest,
  type HttpClient,
  type ToolResult,
} from './support/http.js';

const ACME_KEY = SANDBOX_API_KEYS.acme;
const GLOBEX_KEY = SANDBOX_API_KEYS.globex;

describe('Streamable HTTP server (in process, stateful) against the sandbox', () => {
  let sandbox: Sandbox;
  let server: HttpServerHandle;
  const open: HttpClient[] = [];
  const connect = async (key: string) => {
    const c = await connectHttp(server.url, key);
    open.push(c);
    return c;
  };

  beforeAll(async () => {
    sandbox = await startSandbox();
    server = await startHttpServer({ tenants: sandboxTenants(sandbox, { timeoutMs: 10_000 }), log: silentLogger(), port: 0 });
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close().catch(() => {})));
    await server.close();
    await sandbox.close();
  });

  it('answers 401 with WWW-Authenticate and a JSON-RPC error without a key, with a wrong key, and with another scheme', async () => {
    for (const authorization of [undefined, 'Bearer not-a-key', 'Basic c2FuZGJveC1hY21lOg==', `Bearer ${ACME_KEY}x`]) {
      const res = await rawRequest(server.url, {
        method: 'POST',
        headers: { ...MCP_HEADERS, ...(authorization ? { authorization } : {}) },
        body: callBody('lookup_user', { userId: 12345 }),
      });
      expect(res.status, authorization).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="customer-api-mcp"');
      expect(res.json()).toMatchObject({ jsonrpc: '2.0', error: { code: expect.any(Number), message: expect.stringMatching(/Unauthorized/) } });
    }
    // The SDK client, too, is refused before anything reaches an upstream.
    await expect(connectHttp(server.url, undefined)).rejects.toMatchObject({ code: 401 });
    await expect(connectHttp(server.url, 'wrong-key-wrong-key')).rejects.toMatchObject({ code: 401 });
  });

  it('walks lookup_user → search_parts → get_part_detail → create_order → get_order with the sandbox-acme key', async () => {
    const c = await connect(ACME_KEY);
    expect(c.transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const { user, created, fetched } = await walkSearchToOrder(async (name, args) => ok(await c.call(name, args)), {
      shippingMethod: 'GROUND',
      poNumber: 'PO-HTTP-1',
      searchLimit: 5,
    });
    expect(user.contactId).toBe(12345);
    expect(fetched.order).toMatchObject({ orderId: created.order.orderId, poNumber: 'PO-HTTP-1' });
    const post = sandbox.requests.find((r) => r.method === 'POST' && r.path === '/customer/orders');
    expect(post?.headers['x-api-key']).toBe(SANDBOX_PARTSSOURCE_CREDENTIALS.acme.apiKey);
  });

  it('walks lookup_customer → list_invoices → get_invoice → list_customer_orders → get_customer_order with the sandbox-acme key', async () => {
    const c = await connect(ACME_KEY);
    const lookup = ok(await c.call('lookup_customer', { q: AUGUR.acme.customerQuery }));
    const customer = lookup.items.find((x: Structured) => x.customerName === AUGUR.acme.customerName);
    expect(Number(customer.customerId)).toBe(AUGUR.acme.customerId);
    const customerId = customer.customerId;
    const invoices = ok(await c.call('list_invoices', { customerId }));
    expect(invoices.items.length).toBeGreaterThan(0);
    const invoice = ok(await c.call('get_invoice', { customerId, invoiceNo: invoices.items[0].invoiceNo })).invoice;
    expect(invoice.invoiceNo).toBe(invoices.items[0].invoiceNo);
    const orders = ok(await c.call('list_customer_orders', { customerId }));
    const order = ok(await c.call('get_customer_order', { customerId, orderNo: orders.items[0].orderNo })).order;
    expect(order.orderNo).toBe(orders.items[0].orderNo);
    const augurCalls = sandbox.requests.filter((r) => r.api === 'augur' && r.path.startsWith('/customer'));
    expect(augurCalls.length).toBeGreaterThanOrEqual(5);
    for (const r of augurCalls) expect(r.headers['x-site-id']).toBe(SANDBOX_AUGUR_SITES.acme.siteId);
  });

  it('100 interleaved calls from two acme sessions and one globex session: zero cross-tenant results', async () => {
    const acme1 = await connect(ACME_KEY);
    const acme2 = await connect(ACME_KEY);
    const globex = await connect(GLOBEX_KEY);
    sandbox.clearRequests();
    const tokenCountBefore = sandbox.partssource.controls.tokenRequestCount();

    // Call i: acme on even i (alternating its two sessions), globex on odd i; every fifth call of each asks for the
    // other tenant's user.
    const plan = Array.from({ length: 100 }, (_, i) => {
      const tenant = i % 2 === 0 ? ('acme' as const) : ('globex' as const);
      const own = tenant === 'acme' ? PS.acme.contactId : PS.globex.contactId;
      const other = tenant === 'acme' ? PS.globex.contactId : PS.acme.contactId;
      const userId = Math.floor(i / 2) % 5 === 4 ? other : own;
      const session = tenant === 'globex' ? globex : i % 4 === 0 ? acme1 : acme2;
      return { i, tenant, userId, own: userId === own, session };
    });
    const results: Array<{ step: (typeof plan)[number]; result: ToolResult }> = [];
    for (let start = 0; start < plan.length; start += 10) {
      const wave = plan.slice(start, start + 10);
      results.push(...(await Promise.all(wave.map(async (step) => ({ step, result: await step.session.call('lookup_user', { userId: step.userId }) })))));
    }
    expect(results).toHaveLength(100);
    expect(results.filter((r) => r.step.tenant === 'acme')).toHaveLength(50);

    const apiKey = { acme: SANDBOX_PARTSSOURCE_CREDENTIALS.acme.apiKey, globex: SANDBOX_PARTSSOURCE_CREDENTIALS.globex.apiKey };
    const lookups = sandbox.requests.filter((r) => r.path === '/customer/users/lookup');
    for (const { step, result } of results) {
      const s = result.structuredContent;
      if (step.own) {
        expect(result.isError, JSON.stringify(s)).toBeFalsy();
        expect(s.user.contactId).toBe(step.userId);
      } else {
        expect(result.isError).toBe(true);
        expect(s.error.code).toBe('forbidden_tenant');
        expect(s.error.upstreamStatus).toBe(403);
        expect(JSON.stringify(s)).not.toMatch(/"contactId":\s*\d/);
      }
      // The upstream request this call made (matched by its correlation id) carried this session's tenant's key.
      const sent = lookups.filter((r) => r.headers['x-correlation-id'] === s.correlationId);
      expect(sent.length, `upstream request of call ${step.i}`).toBeGreaterThanOrEqual(1);
      for (const r of sent) {
        expect(r.headers['x-api-key']).toBe(apiKey[step.tenant]);
        expect(r.query.userId).toBe(String(step.userId));
      }
    }
    expect(lookups.filter((r) => r.headers['x-api-key'] === apiKey.acme)).toHaveLength(50);
    expect(lookups.filter((r) => r.headers['x-api-key'] === apiKey.globex)).toHaveLength(50);
    // One client per tenant, built once and shared by all its sessions: so is its token cache. At most one token
    // request per tenant for all these calls (none for a tenant that already had a token from an earlier test).
    const tokens = sandbox.requests.filter((r) => r.path === '/oauth2/token').map((t) => (t.body as Structured).client_id);
    expect(tokens.filter((id) => id === SANDBOX_PARTSSOURCE_CREDENTIALS.acme.clientId).length).toBeLessThanOrEqual(1);
    expect(tokens.filter((id) => id === SANDBOX_PARTSSOURCE_CREDENTIALS.globex.clientId).length).toBeLessThanOrEqual(1);
    expect(sandbox.partssource.controls.tokenRequestCount() - tokenCountBefore).toBe(tokens.length);
  });

  it("refuses another tenant's key on a session (404, JSON-RPC error) and the owner's session keeps working", async () => {
    const acme = await connect(ACME_KEY);
    const sessionId = acme.transport.sessionId!;
    const sessionsBefore = server.stats().sessions;
    const hijack = { ...MCP_HEADERS, authorization: `Bearer ${GLOBEX_KEY}`, 'mcp-session-id': sessionId };
    const post = await rawRequest(server.url, { method: 'POST', headers: hijack, body: callBody('lookup_user', { userId: 12345 }) });
    expect(post.status).toBe(404);
    expect(post.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32001, message: expect.stringMatching(/Session not found/) } });
    expect((await rawRequest(server.url, { method: 'GET', headers: { ...hijack, accept: 'text/event-stream' } })).status).toBe(404);
    expect((await rawRequest(server.url, { method: 'DELETE', headers: hijack })).status).toBe(404);

    // The SDK client of globex, given acme's session id, is refused too.
    const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const stolen = new StreamableHTTPClientTransport(new URL(server.url), {
      sessionId,
      requestInit: { headers: { authorization: `Bearer ${GLOBEX_KEY}` } },
    });
    const thief = new Client({ name: 'thief', version: '1' });
    thief.onerror = () => {};
    await thief.connect(stolen); // a reconnect: no initialize is sent
    await expect(thief.callTool({ name: 'lookup_user', arguments: { userId: 12345 } })).rejects.toMatchObject({ code: 404 });
    await thief.close();

    expect(server.stats().sessions).toBe(sessionsBefore);
    expect(ok(await acme.call('lookup_user', { userId: 12345 })).user.contactId).toBe(12345);
    expect(acme.transport.sessionId).toBe(sessionId);
  });

  it('DELETE ends a session; its id then gets 404', async () => {
    const c = await connect(ACME_KEY);
    const sessionId = c.transport.sessionId!;
    const before = server.stats().sessions;
    await c.transport.terminateSession();
    expect(server.stats().sessions).toBe(before - 1);
    const res = await rawRequest(server.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: `Bearer ${ACME_KEY}`, 'mcp-session-id': sessionId },
      body: callBody('lookup_user', { userId: 12345 }),
    });
    expect(res.status).toBe(404);
  });

  it('a non-initialize request without a session id gets 400; unknown paths 404; PUT 405', async () => {
    const auth = { ...MCP_HEADERS, authorization: `Bearer ${ACME_KEY}` };
    const noSession = await rawRequest(server.url, { method: 'POST', headers: auth, body: callBody('lookup_user', { userId: 1 }) });
    expect(noSession.status).toBe(400);
    expect(noSession.json().error.message).toMatch(/session/i);
    expect((await rawRequest(`${server.origin}/nope`)).status).toBe(404);
    const put = await rawRequest(server.url, { method: 'PUT', headers: auth, body: '{}' });
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, POST, DELETE');
    const badJson = await rawRequest(server.url, { method: 'POST', headers: auth, body: '{"jsonrpc":' });
    expect(badJson.status).toBe(400);
    expect(badJson.json().error.code).toBe(-32700);
  });
});

describe('Streamable HTTP server (in process, stateless)', () => {
  let sandbox: Sandbox;
  let server: HttpServerHandle;

  beforeAll(async () => {
    sandbox = await startSandbox();
    server = await startHttpServer({ tenants: sandboxTenants(sandbox), log: silentLogger(), port: 0, stateless: true });
  });
  afterAll(async () => {
    await server.close();
    await sandbox.close();
  });

  it('serves tool calls without a session; GET and DELETE get 405; the key still decides the tenant', async () => {
    const acme = await connectHttp(server.url, ACME_KEY);
    const globex = await connectHttp(server.url, GLOBEX_KEY);
    try {
      expect(acme.transport.sessionId).toBeUndefined();
      expect(ok(await acme.call('lookup_user', { userId: 12345 })).user.contactId).toBe(12345);
      expect(ok(await globex.call('lookup_user', { userId: PS.globex.contactId })).user.contactId).toBe(PS.globex.contactId);
      const denied = await globex.call('lookup_user', { userId: 12345 });
      expect(denied.isError).toBe(true);
      expect(denied.structuredContent.error.code).toBe('forbidden_tenant');
      expect(server.stats().sessions).toBe(0);
      for (const method of ['GET', 'DELETE']) {
        const res = await rawRequest(server.url, { method, headers: { accept: 'text/event-stream', authorization: `Bearer ${ACME_KEY}` } });
        expect(res.status).toBe(405);
        expect(res.headers.allow).toBe('POST');
      }
    } finally {
      await acme.close();
      await globex.close();
    }
  });
});
