import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import { defineTool } from '../../src/tools/define.js';

/**
 * The fixture tool the `server-sse-polling` scenario calls by name. It exists only in this test's in-process server
 * (never in the product's tool list): the scenario checks the transport (priming event, `retry`, resume with
 * Last-Event-ID), and it needs a call that ends in a result.
 */
export const testReconnectionTool = defineTool({
  name: 'test_reconnection',
  title: 'Conformance fixture: a call whose stream is dropped',
  description: 'Conformance fixture (test only).',
  upstream: 'any',
  group: 'health',
  input: z.object({}).strict(),
  output: { reconnected: z.boolean() },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(_args, ctx) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { data: { reconnected: true }, correlationId: ctx.correlationId };
  },
});

export interface DroppingProxy {
  url: string;
  /** How many POST streams were cut after their first event. */
  dropped(): number;
  close(): Promise<void>;
}

/**
 * Like auth-proxy.ts (adds `Authorization: Bearer <key>`), and in the role of a network that fails: the answer to a
 * POST that calls `test_reconnection` is cut after its first SSE event (the priming event), the way a dropped
 * connection would end it. The reference fixture closes the stream from the server side instead; to a client both
 * look the same, and this server has no reason to end a stream on purpose.
 */
export async function startDroppingProxy(targetUrl: string, key: string): Promise<DroppingProxy> {
  const target = new URL(targetUrl);
  let dropped = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const cut = req.method === 'POST' && body.includes('"test_reconnection"');
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, authorization: `Bearer ${key}` } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.flushHeaders();
          let seen = '';
          answer.on('data', (chunk: Buffer) => {
            if (!cut) return void res.write(chunk);
            seen += chunk.toString('utf8');
            const end = seen.indexOf('\n\n');
            if (end < 0) return;
            res.end(seen.slice(0, end + 2));
            dropped += 1;
            answer.destroy();
          });
          answer.on('end', () => res.end());
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      res.on('close', () => upstream.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    dropped: () => dropped,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
