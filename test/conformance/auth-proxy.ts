import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AuthProxy {
  /** The proxy's MCP endpoint: the target's path on the proxy's loopback port. */
  url: string;
  /** How many requests were forwarded (so a test can tell the runner really went through it). */
  forwarded(): number;
  close(): Promise<void>;
}

/**
 * A loopback reverse proxy that adds `Authorization: Bearer <key>` and forwards everything else untouched.
 *
 * Why: the conformance runner's client cannot send headers, and the product's HTTP mode always requires a key.
 * Putting the key in front of the server (the way a reverse proxy terminating auth would) tests the server in its
 * shipped configuration instead of adding an auth bypass to the product. Host and Origin are passed through as
 * sent, so the server's own DNS-rebinding check still judges them; bodies and SSE streams are piped unbuffered.
 */
export async function startAuthProxy(targetUrl: string, key: string): Promise<AuthProxy> {
  const target = new URL(targetUrl);
  let forwarded = 0;
  const server: Server = createServer((req, res) => {
    forwarded += 1;
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, authorization: `Bearer ${key}` },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.flushHeaders(); // SSE: the client must see the headers before the first event
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    res.on('close', () => upstream.destroy()); // the client went away (e.g. a closed GET stream)
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    forwarded: () => forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
