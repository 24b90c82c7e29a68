import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../src/clients/errors.js';
import { ClientCredentialsTokenProvider } from '../src/clients/partssource-auth.js';

/**
 * The token request goes through the HTTP core's policy (src/clients/partssource-auth.ts → http-core.ts), checked
 * against a real loopback token endpoint whose answers depend on the path: what it received is asserted, not guessed.
 */
type Answer = (req: IncomingMessage, res: ServerResponse, hit: number) => void;
const token = (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ access_token: 'tok-1', token_type: 'Bearer', expires_in: 3600 }));
};
const answers: Record<string, Answer> = {
  '/ok': (_q, res) => token(res),
  '/503-once': (_q, res, hit) => {
    if (hit > 1) return token(res);
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end('{"message":"warming up"}');
  },
  '/redirect': (_q, res) => {
    res.writeHead(307, { location: 'http://127.0.0.1:9/elsewhere' });
    res.end();
  },
  '/stall': (_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"access_token":'); // and nothing more
  },
  '/not-json': (_q, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('hello');
  },
};

let server: Server;
let origin: string;
const seen: Array<{ method: string; url: string; body: string }> = [];
const hits = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, body });
      const path = new URL(req.url!, 'http://x').pathname;
      const n = (hits.get(path) ?? 0) + 1;
      hits.set(path, n);
      (answers[path] ?? ((_q, r) => r.writeHead(404).end()))(req, res, n);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);
beforeEach(() => {
  seen.length = 0;
  hits.clear();
});

const provider = (path: string, timeoutMs = 10_000) =>
  new ClientCredentialsTokenProvider({ tokenUrl: `${origin}${path}`, clientId: 'client-a', clientSecret: 's3cret', scope: 'orders', timeoutMs });

const failureOf = async (tokens: ClientCredentialsTokenProvider) => {
  const error = await tokens.getToken('corr-1').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return (error as UpstreamError).info;
};

describe('the token request, through the HTTP core', () => {
  it('posts the client-credentials form to the token URL as configured (its query kept), with our correlation id', async () => {
    const tokens = provider('/ok?tenant=a');
    expect(await tokens.getToken('corr-1')).toBe('tok-1');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/ok?tenant=a' });
    expect(Object.fromEntries(new URLSearchParams(seen[0]!.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-a',
      client_secret: 's3cret',
      scope: 'orders',
    });
  });

  it('a 503 is retried by the core: two attempts, one token request, the token', async () => {
    const tokens = provider('/503-once');
    expect(await tokens.getToken('corr-1')).toBe('tok-1');
    expect(seen).toHaveLength(2);
    expect(tokens.requestCount).toBe(1);
  });

  it('a redirect is not followed nor retried: invalid_response naming PARTSSOURCE_TOKEN_URL', async () => {
    const info = await failureOf(provider('/redirect'));
    expect(info).toMatchObject({ kind: 'invalid_response', status: 307, method: 'POST', path: '(token endpoint)', correlationId: 'corr-1' });
    expect(info.detail).toContain('PARTSSOURCE_TOKEN_URL');
    expect(seen).toHaveLength(1);
  });

  it('a body that stalls after the headers ends as timeout within the attempt timeout, retried like a missing answer', async () => {
    const info = await failureOf(provider('/stall', 1_500));
    expect(info).toMatchObject({ kind: 'timeout', path: '(token endpoint)' });
    expect(seen).toHaveLength(3); // the first attempt and 2 retries
  });

  it('a 2xx that is not JSON is a refusal without a usable access_token (auth), not retried', async () => {
    const info = await failureOf(provider('/not-json'));
    expect(info).toMatchObject({ kind: 'auth', status: 200, upstreamMessages: ['the token endpoint answered without a usable access_token'] });
    expect(seen).toHaveLength(1);
  });
});
