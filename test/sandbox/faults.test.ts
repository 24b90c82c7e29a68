import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_AUGUR_SITES, startSandbox, type Sandbox } from '../../src/sandbox/index.js';

describe('sandbox fault injection', () => {
  let sandbox: Sandbox;
  const acme = SANDBOX_AUGUR_SITES.acme;
  const ping = (init: RequestInit = {}, path = '/health-check') =>
    fetch(`${sandbox.augur.baseUrl}${path}`, { ...init, headers: { 'x-site-id': acme.siteId, authorization: `Bearer ${acme.token}` } });
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    sandbox.faults.clear();
    sandbox.clearRequests();
  });

  it('answers with an injected status for the next N calls only, then handles requests again', async () => {
    sandbox.faults.add({ api: 'augur', path: '^/health-check$', status: 503, retryAfterSeconds: 2, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await ping()).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect((await ping()).status).toBe(200);
    expect(sandbox.requests.map((r) => r.status)).toEqual([503, 503, 200, 200]);
  });

  it('sends Retry-After with an injected 429', async () => {
    sandbox.faults.add({ api: 'augur', status: 429, retryAfterSeconds: 7, times: 1 });
    const res = await ping();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
  });

  it('injects an HTML gateway page, malformed JSON and an empty body', async () => {
    sandbox.faults.add({ api: 'augur', status: 502, body: 'html', times: 1 });
    sandbox.faults.add({ api: 'augur', status: 200, body: 'malformed-json', times: 1 });
    sandbox.faults.add({ api: 'augur', status: 504, body: 'empty', times: 1 });
    const html = await ping();
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toContain('text/html');
    const malformed = await ping();
    await expect(malformed.json()).rejects.toThrow();
    const empty = await ping();
    expect(empty.status).toBe(504);
    expect(await empty.text()).toBe('');
  });

  it('adds latency and still handles the request', async () => {
    sandbox.faults.add({ api: 'augur', latencyMs: 300, times: 1 });
    const started = performance.now();
    const res = await ping();
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('resets the connection', async () => {
    sandbox.faults.add({ api: 'augur', reset: true, times: 1 });
    await expect(ping()).rejects.toThrow();
    expect((await ping()).status).toBe(200);
  });

  it('matches on method, path and a header (one site or tenant only)', async () => {
    sandbox.faults.add({ api: 'augur', method: 'GET', path: '^/ping$', headers: { 'x-site-id': 'globex-site' }, status: 500 });
    expect((await ping({}, '/ping')).status).toBe(200); // acme's site is not affected
    const globex = await fetch(`${sandbox.augur.baseUrl}/ping`, { headers: { 'x-site-id': 'globex-site' } });
    expect(globex.status).toBe(500);
  });

  it('refuses a malformed rule', () => {
    expect(() => sandbox.faults.add({ status: 42 } as never)).toThrow();
  });
});
