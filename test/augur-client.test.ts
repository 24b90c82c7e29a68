import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AugurClient, InvalidPathParameterError } from '../src/clients/augur.js';
import { UpstreamError } from '../src/clients/errors.js';

/**
 * The Augur client's wire rules against a tiny scripted loopback server (real HTTP; the sandbox has no fault
 * injection): which methods are retried, what counts as an envelope, how list paging facts are computed.
 */
interface Hit {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

const envelope = (data: unknown, extra: Record<string, unknown> = {}) => ({
  count: Array.isArray(data) ? data.length : 1,
  data,
  message: 'Ok',
  options: [],
  params: [],
  status: 200,
  total: Array.isArray(data) ? data.length : 1,
  totalResults: Array.isArray(data) ? data.length : 1,
  ...extra,
});

describe('AugurClient wire rules', () => {
  let server: Server;
  let baseUrl: string;
  const hits: Hit[] = [];
  let answer: (hit: Hit) => { status: number; body: unknown } = () => ({ status: 200, body: envelope({}) });

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const hit = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
        hits.push(hit);
        const { status, body } = answer(hit);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/augur`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    hits.length = 0;
  });

  const client = () => new AugurClient({ baseUrl, token: 'tok', siteId: 'site-1', timeoutMs: 2_000 });
  const ctx = { correlationId: 'corr-1' };

  it('retries a GET on 5xx and sends POST, PUT and DELETE exactly once', async () => {
    answer = () => ({ status: 500, body: envelope(null, { status: 500, message: 'boom', count: 0, total: 0, totalResults: 0 }) });
    await expect(client().getCustomerDoc(1, ctx)).rejects.toBeInstanceOf(UpstreamError);
    expect(hits.length).toBeGreaterThan(1);
    expect(hits.every((h) => h.method === 'GET')).toBe(true);

    for (const write of [
      () => client().createCustomerTag(1, { tag: 'x' }, ctx),
      () => client().updateCustomerTag(1, 2, { tag: 'y' }, ctx),
      () => client().deleteCustomerTag(1, 2, ctx),
      () => client().createCustomerContact(1, { firstName: 'A' }, ctx),
    ]) {
      hits.length = 0;
      const error = await write().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamError);
      expect((error as UpstreamError).status).toBe(500);
      expect((error as UpstreamError).info.upstreamMessages).toContain('boom');
      expect(hits).toHaveLength(1);
    }
  });

  it('sends x-site-id always and the bearer token on all but /health-check and /ping', async () => {
    answer = (hit) => ({
      status: 200,
      body: envelope(hit.url.endsWith('/ping') ? 'pong' : hit.url.endsWith('/health-check') ? { siteHash: 'h', siteId: 'site-1' } : { siteId: 'site-1' }),
    });
    await client().healthCheck(ctx);
    await client().ping(ctx);
    await client().whoami(ctx);
    expect(hits.map((h) => [h.url, h.headers['x-site-id'], h.headers.authorization])).toEqual([
      ['/augur/health-check', 'site-1', undefined],
      ['/augur/ping', 'site-1', undefined],
      ['/augur/whoami', 'site-1', 'Bearer tok'],
    ]);
    expect(hits[0]!.headers['x-correlation-id']).toBe('corr-1');
  });

  it('refuses a body without the 8-key envelope as an invalid response', async () => {
    answer = () => ({ status: 200, body: { data: [] } });
    const error = await client().listCustomers({}, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).info.kind).toBe('invalid_response');
    expect((error as UpstreamError).message).toMatch(/envelope/);
    expect(hits).toHaveLength(1);
  });

  it('computes paging facts from totalResults, falling back to total', async () => {
    answer = () => ({ status: 200, body: envelope([{ customerId: 1 }, { customerId: '2' }], { count: 2, total: 7, totalResults: 0 }) });
    const page = await client().lookupCustomers({ q: 'a', limit: 2, offset: 4 }, ctx);
    expect(page.data).toMatchObject({ total: 7, count: 2, limit: 2, offset: 4, hasMore: true });
    expect(hits[0]!.url).toBe('/augur/customer/lookup?q=a&limit=2&offset=4');

    answer = () => ({ status: 200, body: envelope([{ customerId: 3 }], { count: 1, total: 1, totalResults: 5 }) });
    const last = await client().lookupCustomers({ q: 'a', offset: 4 }, ctx);
    expect(last.data).toMatchObject({ total: 5, count: 1, limit: 10, offset: 4, hasMore: false });
  });

  it('sends statusCd lists comma-joined and never an undefined parameter', async () => {
    answer = () => ({ status: 200, body: envelope([]) });
    await client().listCustomerTags(1, { statusCd: [704, 705], orderBy: undefined }, ctx);
    expect(hits[0]!.url).toBe('/augur/customer/1/tags?statusCd=704%2C705');
  });

  it('validates path ids before any request', async () => {
    for (const value of [0, -3, 2.5, Number.NaN, '', '007x', '0', '1/2']) {
      await expect(client().getRma(1, value as number, ctx)).rejects.toBeInstanceOf(InvalidPathParameterError);
    }
    const error = await client().getContactDoc('abc', ctx).catch((e: unknown) => e);
    expect((error as InvalidPathParameterError).parameter).toBe('id');
    expect((error as Error).message).not.toContain('abc');
    expect(hits).toHaveLength(0);
  });
});
