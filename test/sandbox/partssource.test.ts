import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import {
  SANDBOX_PARTSSOURCE_CREDENTIALS as C,
  SANDBOX_PARTSSOURCE_FIXTURES as FIX,
} from '../../src/sandbox/partssource/index.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Creds = (typeof C)[keyof typeof C];

const READ = 'default-m2m-resource-server-p2hkah/customer:read';
const WRITE = 'default-m2m-resource-server-p2hkah/customer:write';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 24 * 60 * 60 * 1000;

interface Reply {
  status: number;
  headers: Headers;
  body: Json;
}

/** A small client for one sandbox: raw fetch, so every header and body is what the wire carried. */
function clientFor(sb: Sandbox) {
  const tokens = new Map<string, string>();

  async function tokenRequest(form: Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await fetch(sb.partssource.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
  }

  async function token(creds: Creds = C.acme): Promise<string> {
    const cached = tokens.get(creds.clientId);
    if (cached) return cached;
    const reply = await tokenRequest({ grant_type: 'client_credentials', client_id: creds.clientId, client_secret: creds.clientSecret });
    expect(reply.status).toBe(200);
    tokens.set(creds.clientId, reply.body.access_token as string);
    return reply.body.access_token as string;
  }

  async function api(
    path: string,
    init: { method?: string; json?: unknown; headers?: Record<string, string>; creds?: Creds; apiKey?: string | null; bearer?: string | null } = {},
  ): Promise<Reply> {
    const creds = init.creds ?? C.acme;
    const headers: Record<string, string> = { ...init.headers };
    const bearer = init.bearer === undefined ? await token(creds) : init.bearer;
    if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
    const apiKey = init.apiKey === undefined ? creds.apiKey : init.apiKey;
    if (apiKey !== null) headers['x-api-key'] = apiKey;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${sb.partssource.baseUrl}${path}`, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers,
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Json) : {} };
  }

  /** Quotes the product (catalog detail) and returns the first option that is not a flat-rate repair. */
  async function quote(productId: string = FIX.probeProductId, creds: Creds = C.acme) {
    const requesterId = creds.tenant === 'acme' ? FIX.acme.contactId : FIX.globex.contactId;
    const detail = await api(`/catalog/detail?productId=${productId}&requesterId=${requesterId}`, { creds });
    expect(detail.status).toBe(200);
    return detail.body.data as Json;
  }

  function orderBody(option: Json, productId: string, extra: Json = {}): Json {
    return {
      requesterId: FIX.acme.contactId,
      facilityId: FIX.acme.facilityId,
      shippingAddressId: FIX.acme.shippingAddressId,
      billingAddressId: FIX.acme.billingAddressId,
      shippingMethod: 'GROUND',
      poNumber: `PO-T-${randomUUID().slice(0, 8)}`,
      quoteItems: [{ priceOptionId: option.priceOptionId, productId, quantity: 2, price: option.price }],
      ...extra,
    };
  }

  function postOrder(body: Json, key: string | null = randomUUID(), creds: Creds = C.acme) {
    return api('/orders', { json: body, creds, headers: key === null ? {} : { 'idempotency-key': key } });
  }

  async function ordersWithPo(poNumber: string): Promise<number> {
    const reply = await api(`/orders/search?q=${encodeURIComponent(`poNumber:"${poNumber}"`)}`);
    expect(reply.status).toBe(200);
    return reply.body.data.pagination.total as number;
  }

  return { tokenRequest, token, api, quote, orderBody, postOrder, ordersWithPo };
}

async function withSandbox(options: SandboxOptions, run: (sb: Sandbox, c: ReturnType<typeof clientFor>) => Promise<void>) {
  const sb = await startSandbox(options);
  try {
    await run(sb, clientFor(sb));
  } finally {
    await sb.close();
  }
}

function expectProblem(reply: Reply, status: number) {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(reply.body).toMatchObject({ status, service: 'customer-api', type: expect.stringContaining('https://') });
  expect(typeof reply.body.title).toBe('string');
  expect(typeof reply.body.detail).toBe('string');
  expect(typeof reply.body.instance).toBe('string');
  expect(reply.body.correlationId).toBe(reply.headers.get('x-correlation-id'));
  expect(Array.isArray(reply.body.errors)).toBe(true);
}

function expectInvalid(reply: Reply, status: 400 | 422, message: RegExp) {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  expect(reply.body).toMatchObject({ success: false, data: null, errors: expect.any(Array) });
  expect((reply.body.errors as string[]).join('\n')).toMatch(message);
}

const decodeJwt = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Json;

describe('PartsSource sandbox', () => {
  let sb: Sandbox;
  let c: ReturnType<typeof clientFor>;
  beforeAll(async () => {
    sb = await startSandbox();
    c = clientFor(sb);
  });
  afterAll(() => sb.close());

  describe('token endpoint', () => {
    it('issues a Cognito-style JWT with every allowed scope when scope is omitted', async () => {
      const reply = await c.tokenRequest({ grant_type: 'client_credentials', client_id: C.acme.clientId, client_secret: C.acme.clientSecret });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
      expect(reply.body.access_token.split('.')).toHaveLength(3);
      const claims = decodeJwt(reply.body.access_token);
      expect(claims).toMatchObject({ sub: C.acme.clientId, client_id: C.acme.clientId, token_use: 'access' });
      expect(claims.scope.split(' ').sort()).toEqual([READ, WRITE]);
      expect(claims.exp - claims.iat).toBe(3600);
      expect(typeof claims.jti).toBe('string');
      expect(typeof claims.iss).toBe('string');
    });

    it('accepts HTTP Basic client authentication and a narrower scope', async () => {
      const basic = Buffer.from(`${C.acme.clientId}:${C.acme.clientSecret}`).toString('base64');
      const reply = await c.tokenRequest({ grant_type: 'client_credentials', scope: READ }, { authorization: `Basic ${basic}` });
      expect(reply.status).toBe(200);
      expect(decodeJwt(reply.body.access_token).scope).toBe(READ);
    });

    it('answers RFC 6749 errors: invalid_client, unsupported_grant_type, invalid_scope, invalid_request', async () => {
      const before = sb.partssource.controls.tokenRequestCount();
      const wrongSecret = await c.tokenRequest({ grant_type: 'client_credentials', client_id: C.acme.clientId, client_secret: 'nope-123' });
      expect(wrongSecret.status).toBe(401);
      expect(wrongSecret.body.error).toBe('invalid_client');
      expect(JSON.stringify(wrongSecret.body)).not.toContain('nope-123');
      const unknown = await c.tokenRequest({ grant_type: 'client_credentials', client_id: 'who', client_secret: 'x' });
      expect(unknown.status).toBe(401);
      expect(unknown.body.error).toBe('invalid_client');

      const grant = await c.tokenRequest({ grant_type: 'password', client_id: C.acme.clientId, client_secret: C.acme.clientSecret });
      expect(grant.status).toBe(400);
      expect(grant.body.error).toBe('unsupported_grant_type');

      const scope = await c.tokenRequest({ grant_type: 'client_credentials', client_id: C.acmeReadOnly.clientId, client_secret: C.acmeReadOnly.clientSecret, scope: WRITE });
      expect(scope.status).toBe(400);
      expect(scope.body.error).toBe('invalid_scope');

      const missing = await c.tokenRequest({ client_id: C.acme.clientId, client_secret: C.acme.clientSecret });
      expect(missing.status).toBe(400);
      expect(missing.body.error).toBe('invalid_request');
      expect(sb.partssource.controls.tokenRequestCount() - before).toBe(5);
    });
  });

  describe('authentication, tenant and scope checks', () => {
    it('answers a missing or unknown x-api-key with 403 and a bare {"message":"Forbidden"}', async () => {
      for (const apiKey of [null, 'not-a-key']) {
        const reply = await c.api('/users/lookup?userId=12345', { apiKey });
        expect(reply.status).toBe(403);
        expect(reply.body).toEqual({ message: 'Forbidden' });
      }
    });

    it('answers a missing or invalid bearer token with 401 problem details', async () => {
      const none = await c.api('/users/lookup?userId=12345', { bearer: null });
      expectProblem(none, 401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const forged = await c.api('/users/lookup?userId=12345', { bearer: 'eyJhbGciOiJIUzI1NiJ9.eyJqdGkiOiJ4In0.c2ln' });
      expectProblem(forged, 401);
      expect(forged.body.detail).toMatch(/signature/i);
    });

    it('answers a revoked token with 401', async () => {
      await withSandbox({}, async (own, oc) => {
        expect((await oc.api('/users/lookup?userId=12345')).status).toBe(200);
        own.partssource.controls.revokeAllTokens();
        const reply = await oc.api('/users/lookup?userId=12345');
        expectProblem(reply, 401);
        expect(reply.body.detail).toMatch(/revoked/i);
      });
    });

    it('answers an expired token with 401', async () => {
      await withSandbox({ partssource: { tokenLifetimeSeconds: 1 } }, async (_own, oc) => {
        const reply = await oc.tokenRequest({ grant_type: 'client_credentials', client_id: C.acme.clientId, client_secret: C.acme.clientSecret });
        expect(reply.body.expires_in).toBe(1);
        const token = reply.body.access_token as string;
        expect((await oc.api('/users/lookup?userId=12345', { bearer: token })).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        const expired = await oc.api('/users/lookup?userId=12345', { bearer: token });
        expectProblem(expired, 401);
        expect(expired.body.detail).toMatch(/expired/i);
      });
    });

    it('refuses a token and an API key of different tenants with 403', async () => {
      const reply = await c.api('/users/lookup?userId=12345', { creds: C.acme, apiKey: C.globex.apiKey });
      expectProblem(reply, 403);
      expect(reply.body.detail).toMatch(/different organizations/);
    });

    it('refuses POST /orders to read-only credentials with 403 naming the write scope; reads still work', async () => {
      expect((await c.api('/users/lookup?userId=12345', { creds: C.acmeReadOnly })).status).toBe(200);
      const reply = await c.api('/orders', { creds: C.acmeReadOnly, json: {}, headers: { 'idempotency-key': randomUUID() } });
      expectProblem(reply, 403);
      expect(reply.body.detail).toContain(WRITE);
    });

    it('serves a sandbox-only health route without credentials', async () => {
      const reply = await c.api('/health', { bearer: null, apiKey: null });
      expect(reply.status).toBe(200);
      expect(reply.body.data).toMatchObject({ status: 'Healthy', sandbox: true });
    });
  });

  describe('envelope, correlation id, rate limits, routing', () => {
    it('wraps data in the envelope and echoes X-Correlation-ID in body and header', async () => {
      const reply = await c.api('/users/lookup?userId=12345', { headers: { 'x-correlation-id': 'corr-abc-123' } });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ success: true, errors: null, correlationId: 'corr-abc-123' });
      expect(reply.body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(reply.headers.get('x-correlation-id')).toBe('corr-abc-123');
    });

    it('generates a UUID correlation id when none is sent, also on errors', async () => {
      const ok = await c.api('/users/lookup?userId=12345');
      expect(ok.body.correlationId).toMatch(UUID);
      expect(ok.headers.get('x-correlation-id')).toBe(ok.body.correlationId);
      const missing = await c.api(`/orders/${FIX.unknownOrderId}`);
      expect(missing.body.correlationId).toMatch(UUID);
    });

    it('sends X-RateLimit-Limit/Remaining/Reset on every API response', async () => {
      for (const reply of [await c.api('/users/lookup?userId=12345'), await c.api('/orders/1'), await c.api('/users/lookup', { apiKey: null })]) {
        expect(reply.headers.get('x-ratelimit-limit')).toBe('1000');
        expect(Number(reply.headers.get('x-ratelimit-remaining'))).toBeGreaterThanOrEqual(0);
        expect(Number(reply.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
      }
    });

    it('answers 429 with Retry-After when the per-client bucket is empty', async () => {
      await withSandbox({ partssource: { rateLimit: { perSecond: 1, burst: 2 } } }, async (_own, oc) => {
        const first = await oc.api('/users/lookup?userId=12345');
        expect(first.status).toBe(200);
        expect(first.headers.get('x-ratelimit-limit')).toBe('1');
        expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
        expect((await oc.api('/users/lookup?userId=12345')).status).toBe(200);
        const limited = await oc.api('/users/lookup?userId=12345');
        expectProblem(limited, 429);
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
        // The bucket is per client id: another client is not affected.
        expect((await oc.api('/users/lookup?userId=22222', { creds: C.globex })).status).toBe(200);
      });
    });

    it('answers unknown paths with 404 and wrong methods with 405 problem details; serves the /api alias', async () => {
      const unknown = await c.api('/widgets');
      expectProblem(unknown, 404);
      expect(unknown.body.instance).toBe('/widgets');
      expectProblem(await c.api('/users/lookup', { json: {} }), 405);
      const alias = await c.api('/api/manufacturers/search?q=manufacturerId:26799');
      expect(alias.status).toBe(200);
      expect(alias.body.data.items).toEqual([{ manufacturerId: 26799, name: 'Philips Healthcare' }]);
    });
  });

  describe('users', () => {
    it('looks up a user with companies, facilities and addresses', async () => {
      const reply = await c.api(`/users/lookup?userId=${FIX.acme.userId}`);
      const user = reply.body.data;
      expect(user).toMatchObject({ contactId: 12345, userName: 'jdoe', firstName: 'Jane', lastName: 'Doe' });
      expect(user.companies[0]).toMatchObject({ id: FIX.acme.companyId, facilities: expect.arrayContaining([{ id: FIX.acme.facilityId, name: 'Main Campus' }]) });
      expect(user.shippingAddresses.map((a: Json) => a.id)).toEqual([2001, 4001]);
      expect(user.shippingAddresses[0]).toMatchObject({ isDefault: true, country: 'US', line1: expect.any(String), city: expect.any(String), state: 'OH', postalCode: expect.any(String) });
      expect(user.billingAddresses.map((a: Json) => a.id)).toEqual([3001]);
      const byName = await c.api('/users/lookup?username=JDOE');
      expect(byName.body.data.contactId).toBe(12345);
      expect((await c.api(`/users/lookup?userId=${FIX.acme.secondUserId}`)).body.data.userName).toBe('jsmith');
    });

    it('requires exactly one of userId and username', async () => {
      expectInvalid(await c.api('/users/lookup'), 400, /exactly one of .*userId.*username/);
      expectInvalid(await c.api('/users/lookup?userId=12345&username=jdoe'), 400, /exactly one/);
      expectInvalid(await c.api('/users/lookup?userId=abc'), 400, /userId must be a positive integer/);
    });

    it("refuses another tenant's user with 403 and an unknown user with 404", async () => {
      const other = await c.api(`/users/lookup?userId=${FIX.globex.contactId}`);
      expectProblem(other, 403);
      expectProblem(await c.api(`/users/lookup?username=${FIX.globex.username}`), 403);
      const missing = await c.api(`/users/lookup?userId=${FIX.unknownUserId}`);
      expectProblem(missing, 404);
      expect(missing.body.detail).toBe(`No user found with ID: ${FIX.unknownUserId}`);
      // ... and the other way round.
      expectProblem(await c.api(`/users/lookup?userId=${FIX.acme.contactId}`, { creds: C.globex }), 403);
      expect((await c.api(`/users/lookup?userId=${FIX.globex.contactId}`, { creds: C.globex })).status).toBe(200);
    });
  });

  describe('q search language', () => {
    const users = async (q: string, extra = '') => c.api(`/users/search?q=${encodeURIComponent(q)}${extra}`);
    const ids = (reply: Reply) => (reply.body.data.items as Json[]).map((u) => u.contactId);

    it('matches exactly (case-insensitive) with ":" and by substring with "~"', async () => {
      expect(ids(await users('lastName:"doe"'))).toEqual([12345, 12350]);
      expect(ids(await users('LASTNAME:"Doe"'))).toEqual([12345, 12350]);
      expect(ids(await users('email~"GARCIA"'))).toEqual([12346]);
      expect(ids(await users('userName:jdoe'))).toEqual([12345]);
      expect(ids(await users('lastName:"Do"'))).toEqual([]);
    });

    it('requires at least 3 characters for "~" and String fields for it', async () => {
      expectInvalid(await users('firstName~"ja"'), 400, /at least 3 characters/);
      expectInvalid(await users('contactId~"123"'), 400, /String fields only/);
    });

    it('supports negation, AND and numeric ranges', async () => {
      expect(ids(await users('lastName:"Doe" AND -firstName:"Jane"'))).toEqual([12350]);
      expect(ids(await users('contactId>=12349 AND contactId<12352'))).toEqual([12349, 12350, 12351]);
      expect(ids(await users('contactId>60000'))).toEqual([67890]);
    });

    it('supports IN [..] where the field allows it and refuses it elsewhere', async () => {
      const q = `companyId:1001 AND createdDate>="2025-01-01" AND createdDate<="2025-12-31" AND status IN ["Pending", "Research"]`;
      const reply = await c.api(`/orders/search?q=${encodeURIComponent(q)}`);
      expect(reply.status).toBe(200);
      const items = reply.body.data.items as Json[];
      expect(items.map((o) => o.orderId)).toEqual([10001, 10002, 10006]);
      expect(items.every((o) => ['Pending', 'Research'].includes(o.status) && o.companyId === 1001)).toBe(true);
      expect(items[0]).toMatchObject({ orderId: 10001, poNumber: 'PO-456', requesterId: 12345, lineCount: 2, createdDate: expect.any(String) });
      const inList = await c.api(`/orders/search?q=${encodeURIComponent('orderId IN [10001, 10004, 20001]')}`);
      // 20001 belongs to globex: tenant-scoped search simply does not return it.
      expect((inList.body.data.items as Json[]).map((o) => o.orderId)).toEqual([10001, 10004]);
      expectInvalid(await users('lastName IN ["Doe", "Smith"]'), 400, /does not support IN/);
    });

    it('refuses an unknown field with 400 listing the valid fields', async () => {
      const reply = await users('phone:"555"');
      expectInvalid(reply, 400, /Unknown search field 'phone'/);
      expect(reply.body.errors[0]).toContain('contactId, email, firstName, lastName, userName');
      const orders = await c.api(`/orders/search?q=${encodeURIComponent('nonsense~~')}`);
      expectInvalid(orders, 400, /orderId, companyId, rootCompanyId, requesterId, status, createdDate, poNumber, lineId, partNumber, lineItemDescription/);
    });

    it('refuses malformed queries with 400', async () => {
      expectInvalid(await users('lastName:"Doe'), 400, /unterminated/);
      expectInvalid(await users('lastName:"Doe" OR firstName:"Jane"'), 400, /expected AND/);
      expectInvalid(await users('lastName'), 400, /expected an operator/);
      expectInvalid(await users('contactId:abc'), 400, /not a number/);
      expectInvalid(await c.api(`/orders/search?q=${encodeURIComponent('companyId:1001 AND createdDate>="yesterday" AND createdDate<="2025-01-01"')}`), 400, /DateTime/);
    });

    it('searches manufacturers by name and id', async () => {
      const reply = await c.api(`/manufacturers/search?q=${encodeURIComponent('name~"philips"')}&limit=20`);
      expect(reply.body.data).toEqual({ items: [{ manufacturerId: 26799, name: 'Philips Healthcare' }], pagination: { total: 1, limit: 20, offset: 0, hasMore: false } });
      const all = await c.api('/manufacturers/search');
      expect(all.body.data.pagination.total).toBeGreaterThanOrEqual(6);
      expect((all.body.data.items as Json[]).map((m) => m.name)).toEqual(expect.arrayContaining(['GE Healthcare', 'Siemens Healthineers']));
    });
  });

  describe('orders search validation rule', () => {
    const search = (q: string) => c.api(`/orders/search?q=${encodeURIComponent(q)}`);

    it('needs orderId, poNumber or lineId, or a company filter with a bounded createdDate range', async () => {
      expectInvalid(await search('status:"Pending"'), 400, /orderId, poNumber or lineId/);
      expectInvalid(await search('companyId:1001'), 400, /createdDate lower bound/);
      expectInvalid(await search('companyId:1001 AND createdDate>="2025-01-01"'), 400, /createdDate upper bound/);
      expectInvalid(await search('createdDate>="2025-01-01" AND createdDate<="2025-02-01"'), 400, /company filter/);
      expectInvalid(await search('-orderId:10001'), 400, /orderId, poNumber or lineId/);
      expectInvalid(await search(''), 400, /orderId, poNumber or lineId/);
    });

    it('caps the createdDate range at 366 days', async () => {
      expectInvalid(await search('companyId:1001 AND createdDate>="2024-01-01" AND createdDate<="2025-06-01"'), 400, /at most 366 days/);
      expect((await search('rootCompanyId:1000 AND createdDate>="2024-06-01" AND createdDate<="2025-06-01"')).status).toBe(200);
    });

    it('accepts the bypass fields and filters by them', async () => {
      expect((await search(`poNumber:"${FIX.acme.poNumber.toLowerCase()}"`)).body.data.items.map((o: Json) => o.orderId)).toEqual([10001]);
      expect((await search('poNumber~"PO-45"')).body.data.pagination.total).toBe(4);
      expect((await search(`lineId:${FIX.acme.lineId}`)).body.data.items.map((o: Json) => o.orderId)).toEqual([10001]);
      expect((await search(`orderId:${FIX.acme.orderIds.Completed}`)).body.data.items[0].status).toBe('Completed');
    });

    it("refuses another tenant's companyId or rootCompanyId with 403", async () => {
      expectProblem(await search(`companyId:${FIX.globex.companyId} AND createdDate>="2025-01-01" AND createdDate<="2025-12-31"`), 403);
      expectProblem(await search('rootCompanyId IN [1000, 5000] AND createdDate>="2025-01-01" AND createdDate<="2025-12-31"'), 403);
    });
  });

  describe('paging', () => {
    it('clamps GET search limits to 100, turns zero/negative limits into 50 and negative offsets into 0', async () => {
      const big = await c.api('/users/search?limit=500');
      expect(big.body.data.pagination).toMatchObject({ limit: 100, offset: 0 });
      const negative = await c.api('/users/search?limit=-5&offset=-3');
      expect(negative.body.data.pagination).toMatchObject({ limit: 50, offset: 0 });
      expect((await c.api('/users/search?limit=0')).body.data.pagination.limit).toBe(50);
      expectInvalid(await c.api('/users/search?limit=abc'), 400, /limit must be an integer/);
    });

    it('pages with total and hasMore', async () => {
      const page = await c.api('/users/search?limit=3&offset=3');
      expect(page.body.data.items).toHaveLength(3);
      expect(page.body.data.pagination).toMatchObject({ total: 9, limit: 3, offset: 3, hasMore: true });
      const last = await c.api('/users/search?limit=3&offset=6');
      expect(last.body.data.pagination.hasMore).toBe(false);
    });

    it('sorts users by the documented fields; unknown sortBy and sortDir fall back to Id / Asc', async () => {
      const byLast = await c.api('/users/search?sortBy=lastName&sortDir=Desc');
      const last = (byLast.body.data.items as Json[]).map((u) => u.lastName);
      expect(last).toEqual([...last].sort().reverse());
      expect(byLast.body.data.pagination).toMatchObject({ sortBy: 'LastName', sortDir: 'Desc' });
      const fallback = await c.api('/users/search?sortBy=Shoe&sortDir=sideways');
      expect(fallback.body.data.pagination).toMatchObject({ sortBy: 'Id', sortDir: 'Asc' });
      const idsList = (fallback.body.data.items as Json[]).map((u) => u.contactId);
      expect(idsList).toEqual([...idsList].sort((a, b) => a - b));
    });

    it('clamps catalog search limits to 200', async () => {
      const reply = await c.api('/catalog/search', { json: { filters: { manufacturer: 'e' }, pagination: { limit: 500, offset: -1 } } });
      expect(reply.status).toBe(200);
      expect(reply.body.data.pagination).toMatchObject({ limit: 200, offset: 0, hasMore: true });
      expect(reply.body.data.items).toHaveLength(200);
    });
  });

  describe('catalog', () => {
    it('finds ultrasound and other probes by keyword', async () => {
      const reply = await c.api('/catalog/search', { json: { keyword: 'probe', pagination: { limit: 50 } } });
      expect(reply.status).toBe(200);
      const { items, pagination } = reply.body.data as { items: Json[]; pagination: Json };
      expect(pagination.total).toBeGreaterThanOrEqual(10);
      expect(items.every((i) => /probe/i.test(`${i.description} ${i.partNumber} ${i.manufacturer}`))).toBe(true);
      expect(items[0]).toEqual({
        productId: expect.stringMatching(/^CAT-\d+$/),
        partNumber: expect.any(String),
        description: expect.any(String),
        manufacturer: expect.any(String),
        manufacturerId: expect.any(Number),
        price: expect.any(Number),
        quantityAvailable: expect.any(Number),
      });
      const narrow = await c.api('/catalog/search', { json: { keyword: 'ULTRASOUND probe philips' } });
      expect(narrow.body.data.pagination.total).toBeGreaterThan(0);
      expect((narrow.body.data.items as Json[]).every((i) => i.manufacturerId === 26799 && /ultrasound probe/i.test(i.description))).toBe(true);
    });

    it('filters by manufacturerId and sorts by Price', async () => {
      const reply = await c.api('/catalog/search', { json: { filters: { manufacturerId: 26799 }, pagination: { sortBy: 'Price', sortDir: 'Desc', limit: 200 } } });
      const items = reply.body.data.items as Json[];
      expect(items.length).toBeGreaterThan(10);
      expect(items.every((i) => i.manufacturer === 'Philips Healthcare')).toBe(true);
      const prices = items.map((i) => i.price as number);
      expect(prices).toEqual([...prices].sort((a, b) => b - a));
    });

    it('refuses an empty search and bad filter types with 400', async () => {
      expectInvalid(await c.api('/catalog/search', { json: { keyword: '  ' } }), 400, /keyword or at least one filter/);
      expectInvalid(await c.api('/catalog/search', { json: { filters: { manufacturerId: 'philips' } } }), 400, /filters\.manufacturerId must be an integer/);
      expectInvalid(await c.api('/catalog/search', { json: [] }), 400, /JSON object/);
    });

    it('has at least 300 parts over at least 6 manufacturers', async () => {
      const reply = await c.api('/catalog/search', { json: { filters: { partNumber: '', manufacturer: ' ' }, keyword: '' } });
      expect(reply.status).toBe(400);
      let total = 0;
      const makers = new Set<number>();
      for (const m of (await c.api('/manufacturers/search')).body.data.items as Json[]) {
        const page = await c.api('/catalog/search', { json: { filters: { manufacturerId: m.manufacturerId }, pagination: { limit: 1 } } });
        if (page.body.data.pagination.total > 0) makers.add(m.manufacturerId as number);
        total += page.body.data.pagination.total as number;
      }
      expect(total).toBeGreaterThanOrEqual(300);
      expect(makers.size).toBeGreaterThanOrEqual(6);
    });

    it('returns detail with price options valid 30 days, flat-rate options with requiredFields', async () => {
      const started = Date.now();
      const detail = await c.quote(FIX.flatRateProductId);
      expect(detail).toMatchObject({ productId: FIX.flatRateProductId, partNumber: expect.any(String), manufacturer: expect.any(String) });
      const options = detail.options as Json[];
      expect(options.length).toBeGreaterThanOrEqual(2);
      for (const o of options) {
        expect(o).toMatchObject({ priceOptionId: expect.stringMatching(/^OPT-/), price: expect.any(Number), condition: expect.any(String), warranty: expect.any(String), purchaseChoice: expect.any(String), vendor: expect.any(String) });
        expect(Date.parse(o.expiresAt) - started).toBeGreaterThanOrEqual(30 * DAY_MS - 1_000);
        expect(Date.parse(o.expiresAt) - started).toBeLessThanOrEqual(30 * DAY_MS + 60_000);
      }
      const flat = options.find((o) => /Flat Rate Repair/.test(o.condition))!;
      expect(flat.purchaseChoice).toMatch(/^Out/);
      expect(flat.requiredFields).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'serialNumber', required: true }), expect.objectContaining({ name: 'repairReason', required: true })]));
      // Same product, same option ids: quotes are deterministic.
      expect((await c.quote(FIX.flatRateProductId)).options.map((o: Json) => o.priceOptionId)).toEqual(options.map((o) => o.priceOptionId));
      // POST with a JSON body answers the same.
      const posted = await c.api('/catalog/detail', { json: { productId: FIX.flatRateProductId, requesterId: FIX.acme.contactId } });
      expect(posted.body.data.options.map((o: Json) => o.priceOptionId)).toEqual(options.map((o) => o.priceOptionId));
    });

    it('refuses unknown products (404), foreign requesters (403) and missing parameters (400)', async () => {
      const unknown = await c.api(`/catalog/detail?productId=${FIX.unknownProductId}&requesterId=${FIX.acme.contactId}`);
      expectProblem(unknown, 404);
      expect(unknown.body.detail).toContain(FIX.unknownProductId);
      expectProblem(await c.api(`/catalog/detail?productId=${FIX.probeProductId}&requesterId=${FIX.globex.contactId}`), 403);
      const missing = await c.api('/catalog/detail');
      expectInvalid(missing, 400, /productId is required/);
      expect(missing.body.errors.join(' ')).toMatch(/requesterId is required/);
    });
  });

  describe('orders', () => {
    it('creates an order (201) that GET /orders/{id} and the search then return', async () => {
      const detail = await c.quote();
      const option = (detail.options as Json[]).find((o) => !o.requiredFields)!;
      const body = c.orderBody(option, detail.productId as string);
      const created = await c.postOrder(body);
      expect(created.status).toBe(201);
      const order = created.body.data;
      expect(order).toMatchObject({
        orderId: expect.any(Number),
        status: 'Pending',
        poNumber: body.poNumber,
        requesterId: 12345,
        facilityId: 1001,
        companyId: 1001,
        shippingMethod: 'GROUND',
        lineItems: [{ lineId: expect.any(Number), productId: detail.productId, priceOptionId: option.priceOptionId, quantity: 2, unitPrice: option.price, status: 'Pending' }],
      });
      expect(Date.parse(order.createdDate)).toBeGreaterThan(Date.now() - 60_000);
      expect(created.headers.get('idempotent-replayed')).toBeNull();

      const fetched = await c.api(`/orders/${order.orderId}`);
      expect(fetched.status).toBe(200);
      expect(fetched.body.data).toEqual(order);
      expect(await c.ordersWithPo(body.poNumber)).toBe(1);
      const byId = await c.api(`/orders/search?q=orderId:${order.orderId}`);
      expect(byId.body.data.items[0]).toMatchObject({ orderId: order.orderId, status: 'Pending', lineCount: 1 });
      // The other tenant cannot read it.
      expectProblem(await c.api(`/orders/${order.orderId}`, { creds: C.globex }), 403);
    });

    it('returns seeded orders in every status with line status, tracking and carrier', async () => {
      for (const [status, orderId] of Object.entries(FIX.acme.orderIds)) {
        const reply = await c.api(`/orders/${orderId}`);
        expect(reply.body.data).toMatchObject({ orderId, status });
      }
      const completed = (await c.api(`/orders/${FIX.acme.orderIds.Completed}`)).body.data;
      expect(completed.lineItems[0]).toMatchObject({ status: 'Shipped', trackingNumber: expect.any(String), carrier: expect.any(String) });
      const pending = (await c.api(`/orders/${FIX.acme.orderIds.Pending}`)).body.data;
      expect(pending).toMatchObject({ poNumber: FIX.acme.poNumber });
      expect(pending.lineItems[0]).toMatchObject({ trackingNumber: null, carrier: null });
    });

    it("answers another tenant's order with 403, an unknown one with 404, a non-integer id with 400", async () => {
      expectProblem(await c.api(`/orders/${FIX.globex.orderId}`), 403);
      const missing = await c.api(`/orders/${FIX.unknownOrderId}`);
      expectProblem(missing, 404);
      expect(missing.body).toMatchObject({ detail: `No order found with ID: ${FIX.unknownOrderId}`, instance: `/orders/${FIX.unknownOrderId}`, title: 'Resource Not Found' });
      expectInvalid(await c.api('/orders/abc'), 400, /orderId must be an integer/);
    });

    it('replays the stored response for a repeated Idempotency-Key', async () => {
      const detail = await c.quote();
      const body = c.orderBody(detail.options[0], detail.productId);
      const key = randomUUID();
      const first = await c.postOrder(body, key);
      expect(first.status).toBe(201);
      // Same body with another key order and whitespace is still "the same body".
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const second = await c.postOrder(reordered, key);
      expect(second.status).toBe(201);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(second.body).toEqual(first.body);
      expect(await c.ordersWithPo(body.poNumber)).toBe(1);
      // Keys are per tenant: globex may use the same key for its own order.
      const g = await c.quote(FIX.probeProductId, C.globex);
      const globexBody = { ...c.orderBody(g.options[0], g.productId), requesterId: FIX.globex.contactId, facilityId: FIX.globex.facilityId, shippingAddressId: FIX.globex.shippingAddressId, billingAddressId: FIX.globex.billingAddressId };
      const globex = await c.postOrder(globexBody, key, C.globex);
      expect(globex.status).toBe(201);
      expect(globex.headers.get('idempotent-replayed')).toBeNull();
      expect(globex.body.data.orderId).not.toBe(first.body.data.orderId);
    });

    it('answers 409 for the same key with a different body', async () => {
      const detail = await c.quote();
      const body = c.orderBody(detail.options[0], detail.productId);
      const key = randomUUID();
      expect((await c.postOrder(body, key)).status).toBe(201);
      const conflict = await c.postOrder({ ...body, shippingMethod: 'TWODAY' }, key);
      expectProblem(conflict, 409);
      expect(conflict.body.detail).toMatch(/different request body/);
    });

    it('answers 409 for the same key while the first request is in flight', async () => {
      await withSandbox({ partssource: { orderProcessingDelayMs: 300 } }, async (_own, oc) => {
        const detail = await oc.quote();
        const body = oc.orderBody(detail.options[0], detail.productId);
        const key = randomUUID();
        const [a, b] = await Promise.all([oc.postOrder(body, key), new Promise((r) => setTimeout(r, 50)).then(() => oc.postOrder(body, key))]);
        expect(a.status).toBe(201);
        expectProblem(b, 409);
        expect(b.body.detail).toMatch(/still being processed/);
        // Once done, the same key replays.
        const replay = await oc.postOrder(body, key);
        expect(replay.status).toBe(201);
        expect(replay.headers.get('idempotent-replayed')).toBe('true');
        expect(await oc.ordersWithPo(body.poNumber)).toBe(1);
      });
    });

    it('requires a UUID Idempotency-Key (400) and does not store 4xx answers', async () => {
      const detail = await c.quote();
      const body = c.orderBody(detail.options[0], detail.productId);
      expectInvalid(await c.postOrder(body, null), 400, /Idempotency-Key header is required/);
      expectInvalid(await c.postOrder(body, 'order-1'), 400, /must be a UUID/);
      const key = randomUUID();
      const bad = await c.postOrder({ ...body, shippingMethod: 'DRONE', quoteItems: [] }, key);
      expectInvalid(bad, 400, /shippingMethod/);
      expect(bad.body.errors.join(' ')).toMatch(/quoteItems/);
      // The 400 was not stored: the same key now places the corrected order.
      const fixed = await c.postOrder(body, key);
      expect(fixed.status).toBe(201);
      expect(fixed.headers.get('idempotent-replayed')).toBeNull();
    });

    it('names missing and mistyped fields', async () => {
      const reply = await c.postOrder({ requesterId: '12345', quoteItems: [{ priceOptionId: 'x', productId: 'y', quantity: 0, price: 1 }] });
      expectInvalid(reply, 400, /requesterId/);
      const text = reply.body.errors.join('\n');
      expect(text).toMatch(/facilityId: is required/);
      expect(text).toMatch(/quoteItems\[0\]\.quantity/);
      expectInvalid(await c.api('/orders', { method: 'POST', headers: { 'idempotency-key': randomUUID(), 'content-type': 'application/json' }, json: undefined }), 400, /empty/);
    });

    it('refuses foreign (403) and unknown (404) requester, facility and addresses', async () => {
      const detail = await c.quote();
      const body = c.orderBody(detail.options[0], detail.productId);
      const foreignFacility = await c.postOrder({ ...body, facilityId: FIX.globex.facilityId });
      expectProblem(foreignFacility, 403);
      expect(foreignFacility.body.detail).toMatch(/facility/);
      expectProblem(await c.postOrder({ ...body, requesterId: FIX.globex.contactId }), 403);
      const unknownAddress = await c.postOrder({ ...body, shippingAddressId: FIX.acme.billingAddressId });
      expectProblem(unknownAddress, 404);
      expect(unknownAddress.body.detail).toBe(`No shipping address found with ID: ${FIX.acme.billingAddressId}`);
      expect(await c.ordersWithPo(body.poNumber)).toBe(0);
    });

    it('answers a price mismatch with 422 naming the line, and creates no order', async () => {
      const detail = await c.quote();
      const option = detail.options[0] as Json;
      const body = c.orderBody(option, detail.productId);
      body.quoteItems = [body.quoteItems[0], { ...body.quoteItems[0], price: option.price + 1 }];
      const reply = await c.postOrder(body);
      expectInvalid(reply, 422, /quoteItems\[1\]: price/);
      expect(reply.body.errors).toEqual([
        `quoteItems[1]: price ${(option.price + 1).toFixed(2)} does not match price option ${option.priceOptionId} price ${option.price.toFixed(2)}.`,
      ]);
      expect(await c.ordersWithPo(body.poNumber)).toBe(0);
    });

    it('answers 422 for a product mismatch and for unknown or never-quoted options', async () => {
      const detail = await c.quote();
      const option = detail.options[0] as Json;
      const mismatch = await c.postOrder(c.orderBody(option, 'CAT-101'));
      expectInvalid(mismatch, 422, /quoteItems\[0\]: productId CAT-101 does not match price option/);
      expectInvalid(await c.postOrder(c.orderBody({ priceOptionId: 'OPT-NOPE', price: 1 }, detail.productId)), 422, /quoteItems\[0\]: unknown priceOptionId "OPT-NOPE"/);
      // Quotes are per tenant: acme's quote of CAT-150 does not let globex order it.
      const acmeQuote = await c.quote('CAT-150');
      const globexBody = {
        ...c.orderBody(acmeQuote.options[0], 'CAT-150'),
        requesterId: FIX.globex.contactId,
        facilityId: FIX.globex.facilityId,
        shippingAddressId: FIX.globex.shippingAddressId,
        billingAddressId: FIX.globex.billingAddressId,
      };
      expectInvalid(await c.postOrder(globexBody, randomUUID(), C.globex), 422, /quoteItems\[0\]: price option OPT-CAT-150-1 was never quoted to your organization/);
    });

    it('enforces the flat-rate repair rules (quantity 1, required fields)', async () => {
      const detail = await c.quote(FIX.flatRateProductId);
      const flat = (detail.options as Json[]).find((o) => o.requiredFields)!;
      const body = c.orderBody(flat, FIX.flatRateProductId);
      const twoUnits = await c.postOrder(body);
      expectInvalid(twoUnits, 422, /quoteItems\[0\]: .*flat-rate repair; quantity must be 1/);
      expect(twoUnits.body.errors.join('\n')).toMatch(/requiredFields\.serialNumber/);
      expect(await c.ordersWithPo(body.poNumber)).toBe(0);

      const good = { ...body, quoteItems: [{ ...body.quoteItems[0], quantity: 1, requiredFields: { repairReason: 'Cracked lens', serialNumber: 'SN-0042' } }] };
      const created = await c.postOrder(good);
      expect(created.status).toBe(201);
      expect(created.body.data.lineItems[0]).toMatchObject({ quantity: 1, requiredFields: { repairReason: 'Cracked lens', serialNumber: 'SN-0042' } });
    });

    it('answers 422 for a price option older than 30 days', async () => {
      let now = Date.parse('2026-03-01T12:00:00Z');
      await withSandbox({ partssource: { now: () => now } }, async (_own, oc) => {
        const detail = await oc.quote();
        expect(detail.options[0].expiresAt).toBe('2026-03-31T12:00:00.000Z');
        const body = oc.orderBody(detail.options[0], detail.productId);
        now += 29 * DAY_MS;
        const inTime = await oc.postOrder(body);
        expect(inTime.status).toBe(201);
        expect(inTime.body.data.createdDate).toBe('2026-03-30T12:00:00Z');
        now += 2 * DAY_MS;
        const late = { ...body, poNumber: 'PO-LATE-1' };
        const expired = await oc.postOrder(late);
        expectInvalid(expired, 422, /quoteItems\[0\]: price option OPT-\S+ expired on 2026-03-31T12:00:00.000Z/);
        expect(await oc.ordersWithPo('PO-LATE-1')).toBe(0);
        // A fresh quote makes the same option orderable again.
        await oc.quote();
        expect((await oc.postOrder(late)).status).toBe(201);
      });
    });
  });
});
