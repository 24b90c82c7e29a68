import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../src/clients/errors.js';
import type { UpstreamEvent } from '../src/clients/events.js';
import { createHttpCore, type HttpCore } from '../src/clients/http-core.js';

/**
 * The shared HTTP core against a real loopback server that answers the way real gateways do when things go wrong:
 * HTML pages, empty bodies, a bare {message}, problem details, malformed JSON.
 */
type Route = (req: IncomingMessage, res: ServerResponse, hit: number) => void;
const routes: Record<string, Route> = {
  '/html-502': (_q, res) => {
    res.writeHead(502, { 'content-type': 'text/html' });
    res.end('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>');
  },
  '/empty-500': (_q, res) => {
    res.writeHead(500);
    res.end();
  },
  '/bare-403': (_q, res) => {
    res.writeHead(403, { 'content-type': 'application/json' });
    res.end('{"message":"Forbidden"}');
  },
  '/problem-404': (_q, res) => {
    res.writeHead(404, { 'content-type': 'application/problem+json' });
    res.end(JSON.stringify({ type: 'x', title: 'Resource Not Found', status: 404, detail: 'No order found with ID: 1', correlationId: 'upstream-corr', errors: ['Order does not exist'] }));
  },
  '/malformed-200': (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"success": true, "data": {');
  },
  '/flaky': (_q, res, hit) => {
    if (hit === 1) {
      res.writeHead(503, { 'retry-after': '0' });
      res.end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    }
  },
  '/always-503': (_q, res) => {
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' });
    res.end('{"message":"down"}');
  },
  '/rate-limited': (_q, res) => {
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '120' });
    res.end('{"message":"slow down"}');
  },
  '/rate-limited-once': (_q, res, hit) => {
    if (hit === 1) {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end('{"message":"slow down"}');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    }
  },
  '/reset': (req) => {
    req.socket.destroy();
  },
};

let server: Server;

describe('shared HTTP core', () => {
  let core: HttpCore;
  const hits = new Map<string, number>();
  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url!, 'http://x').pathname.replace(/^\/api/, '');
      const n = (hits.get(`${req.method} ${path}`) ?? 0) + 1;
      hits.set(`${req.method} ${path}`, n);
      (routes[path] ?? ((_q, r) => r.writeHead(404).end()))(req, res, n);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    core = createHttpCore({
      upstream: 'partssource',
      baseUrl: `http://127.0.0.1:${port}/api/`,
      timeoutMs: 2_000,
      maxRetryAfterMs: 50,
      circuitBreaker: { failureThreshold: 1_000 }, // the breaker has its own tests below
    });
  });
  afterAll(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  beforeEach(() => hits.clear());

  const failure = async (path: string, method: 'GET' | 'POST' = 'GET', retry: 'read' | 'never' = 'read') => {
    try {
      await core.send({ method, path, correlationId: 'ours-123', retry, ...(method === 'POST' ? { json: {} } : {}) });
    } catch (error) {
      expect(error).toBeInstanceOf(UpstreamError);
      return (error as UpstreamError).info;
    }
    throw new Error('expected a failure');
  };

  it('reads an HTML gateway page as an error with its status and our correlation id', async () => {
    const info = await failure('/html-502', 'GET', 'never');
    expect(info).toMatchObject({ kind: 'http', status: 502, correlationId: 'ours-123' });
    expect(info.upstreamMessages[0]).toMatch(/HTML page.*502 Bad Gateway/);
  });

  it('reads an empty error body', async () => {
    const info = await failure('/empty-500', 'GET', 'never');
    expect(info).toMatchObject({ kind: 'http', status: 500, upstreamMessages: [] });
  });

  it('reads a bare {message} body', async () => {
    expect(await failure('/bare-403')).toMatchObject({ status: 403, upstreamMessages: ['Forbidden'] });
  });

  it("reads problem details and prefers the upstream's correlation id", async () => {
    expect(await failure('/problem-404')).toMatchObject({
      status: 404,
      correlationId: 'upstream-corr',
      upstreamMessages: ['No order found with ID: 1', 'Order does not exist'],
    });
  });

  it('reports malformed JSON on a 200 as an invalid response', async () => {
    expect(await failure('/malformed-200')).toMatchObject({ kind: 'invalid_response', status: 200 });
  });

  it('retries a read after a 503 and succeeds', async () => {
    const response = await core.send({ method: 'GET', path: '/flaky', correlationId: 'c', retry: 'read' });
    expect(response.body).toEqual({ ok: true });
    expect(hits.get('GET /flaky')).toBe(2);
  });

  it('gives up on a read after three retries', async () => {
    expect(await failure('/always-503')).toMatchObject({ status: 503, upstreamMessages: ['down'] });
    expect(hits.get('GET /always-503')).toBe(4);
  });

  it('sends a write once, even on a 503', async () => {
    expect(await failure('/always-503', 'POST', 'never')).toMatchObject({ status: 503 });
    expect(hits.get('POST /always-503')).toBe(1);
  });

  it('retries an idempotent write (same key and body) on a 503', async () => {
    await expect(
      core.send({ method: 'POST', path: '/always-503', json: { a: 1 }, headers: { 'idempotency-key': 'k' }, correlationId: 'c', retry: 'idempotent-write' }),
    ).rejects.toBeInstanceOf(UpstreamError);
    expect(hits.get('POST /always-503')).toBe(4);
  });

  it('reports Retry-After of a 429 it would not wait for', async () => {
    const info = await failure('/rate-limited');
    expect(info).toMatchObject({ status: 429, retryAfterSeconds: 120 });
  });

  it('reports a connection reset as a network failure', async () => {
    expect(await failure('/reset', 'POST', 'never')).toMatchObject({ kind: 'network', correlationId: 'ours-123' });
  });

  it('sends X-Correlation-ID', async () => {
    let seen: string | undefined;
    routes['/echo'] = (req, res) => {
      seen = req.headers['x-correlation-id'] as string;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    };
    await core.send({ method: 'GET', path: '/echo', correlationId: 'corr-42', retry: 'read' });
    expect(seen).toBe('corr-42');
  });

  it('returns a 429 whose Retry-After passes the deadline at once, with retryAfterSeconds', async () => {
    const started = performance.now();
    const error = await core
      .send({ method: 'GET', path: '/rate-limited', correlationId: 'c', retry: 'read', deadline: Date.now() + 30_000 })
      .catch((e: UpstreamError) => e);
    expect((error as UpstreamError).info).toMatchObject({ status: 429, retryAfterSeconds: 120 });
    expect(hits.get('GET /rate-limited')).toBe(1);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('honours a Retry-After that fits in the deadline, then succeeds', async () => {
    const slow = createHttpCore({ upstream: 'augur', baseUrl: `${origin()}/api/` });
    const started = performance.now();
    const response = await slow.send({ method: 'GET', path: '/rate-limited-once', correlationId: 'c', retry: 'read', deadline: Date.now() + 10_000 });
    expect(response.body).toEqual({ ok: true });
    expect(hits.get('GET /rate-limited-once')).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('never retries past the deadline', async () => {
    const started = performance.now();
    const noWait = createHttpCore({ upstream: 'augur', baseUrl: `${origin()}/api/`, circuitBreaker: { failureThreshold: 1_000 } });
    routes['/slow-503'] = (_q, res) => {
      setTimeout(() => res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"busy"}'), 150);
    };
    const error = await noWait
      .send({ method: 'GET', path: '/slow-503', correlationId: 'c', retry: 'read', deadline: Date.now() + 400 })
      .catch((e: UpstreamError) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(performance.now() - started).toBeLessThan(800);
    expect(hits.get('GET /slow-503')!).toBeLessThanOrEqual(3);
  });

  it('opens the circuit after repeated failures, fails fast during the cool-down, then probes', async () => {
    const guarded = createHttpCore({ upstream: 'augur', baseUrl: `${origin()}/api/`, retryLimit: 0, circuitBreaker: { failureThreshold: 3, coolDownMs: 400 } });
    let healthy = false;
    routes['/breaker'] = (_q, res) => {
      if (healthy) res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      else res.writeHead(502).end();
    };
    const call = () => guarded.send({ method: 'GET', path: '/breaker', correlationId: 'c', retry: 'read' }).catch((e: UpstreamError) => e);
    for (let i = 0; i < 3; i++) expect(((await call()) as UpstreamError).info.status).toBe(502);
    expect(guarded.breaker.state).toBe('open');
    const fast = (await call()) as UpstreamError;
    expect(fast.info).toMatchObject({ kind: 'circuit_open' });
    expect(fast.info.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(hits.get('GET /breaker')).toBe(3); // the fail-fast call never reached the upstream
    await new Promise((resolve) => setTimeout(resolve, 450));
    healthy = true;
    const probe = await call();
    expect(probe).toMatchObject({ status: 200 });
    expect(guarded.breaker.state).toBe('closed');
    expect(hits.get('GET /breaker')).toBe(4);
  });

  it('tells the observer of each retry before its wait, and of the circuit opening once per opening', async () => {
    type Seen = UpstreamEvent & { at: number };
    const events: Seen[] = [];
    const observer = (event: UpstreamEvent) => void events.push({ ...event, at: performance.now() });
    const guarded = createHttpCore({ upstream: 'augur', baseUrl: `${origin()}/api/`, retryLimit: 1, circuitBreaker: { failureThreshold: 2, coolDownMs: 300 } });
    routes['/down-502'] = (_q, res) => res.writeHead(502, { 'content-type': 'application/json' }).end('{"message":"down"}');
    const call = () => guarded.send({ method: 'GET', path: '/down-502', correlationId: 'c', retry: 'read', observer }).catch((e: UpstreamError) => e);
    await call();
    const [retry, answer] = events as [Extract<Seen, { type: 'retry' }>, Seen];
    expect(retry).toMatchObject({ type: 'retry', upstream: 'augur', method: 'GET', path: '/down-502', attempt: 2, maxAttempts: 2, reason: 'HTTP 502', status: 502, retryAfter: false });
    expect(retry.delayMs).toBeLessThanOrEqual(250); // full jitter of the first backoff step
    expect(answer.at - retry.at).toBeGreaterThanOrEqual(retry.delayMs - 5); // reported before the wait, not after it
    expect(answer).toMatchObject({ type: 'response', status: 502, attempts: 2 });
    await call();
    expect(events.filter((e) => e.type === 'circuit_opened')).toMatchObject([{ failures: 2, coolDownMs: 300 }]);
    await call();
    expect(events.at(-1)).toMatchObject({ type: 'circuit_open', failures: 2 });
    await new Promise((resolve) => setTimeout(resolve, 350));
    await call(); // the probe fails: the circuit opens again, and says so again
    expect(events.filter((e) => e.type === 'circuit_opened')).toMatchObject([{ failures: 2 }, { failures: 3 }]);
    expect(guarded.breaker.state).toBe('open');
  });

  it('does not count answers (4xx, 429) as failures', async () => {
    const guarded = createHttpCore({ upstream: 'augur', baseUrl: `${origin()}/api/`, retryLimit: 0, circuitBreaker: { failureThreshold: 2 } });
    for (let i = 0; i < 4; i++) await guarded.send({ method: 'GET', path: '/bare-403', correlationId: 'c', retry: 'read' }).catch(() => {});
    expect(guarded.breaker.state).toBe('closed');
  });
});

function origin(): string {
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}
