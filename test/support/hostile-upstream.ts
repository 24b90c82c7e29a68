import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A hostile upstream for the trust tests: a loopback server of our own in front of the sandbox. Every request is
 * recorded (method, path, headers, body) and offered to the installed modes in order; a mode that answers (returns
 * true) replaces the sandbox, otherwise the request is forwarded to the sandbox unchanged. So a test can have the
 * real sandbox commit an order and then break the answer (`ctx.forward()` then `ctx.reset()`), or answer on its own
 * (a redirect, a stalled body, an endless body, an echoed credential, ...).
 *
 * Modes are plain functions (test/support/hostile-modes/*.ts, one file per concern); a test installs the ones it
 * needs with `setModes` and asserts on `requests` (what arrived here) and on a second recording server (see
 * `startRecorder`) that stands for "another host".
 */
export interface HostileRequest {
  method: string;
  /** Path and query as received, e.g. `/partssource/customer/v1/orders`. */
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface Forwarded {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface ModeContext {
  req: IncomingMessage;
  res: ServerResponse;
  request: HostileRequest;
  /** Sends the request on to the sandbox and returns its answer without sending it back (the mode decides). */
  forward(): Promise<Forwarded>;
  /** Passes a forwarded answer back to the caller unchanged. */
  reply(answer: Forwarded): void;
  /** Resets the connection (RST) without an answer. */
  reset(): void;
}

/** Returns true when it took care of the request (answered, or broke the connection). */
export type HostileMode = (ctx: ModeContext) => boolean | Promise<boolean>;

export interface HostileUpstream {
  /** `http://127.0.0.1:<port>`: use `${origin}/partssource/...` and `${origin}/augur` as the base URLs. */
  origin: string;
  requests: HostileRequest[];
  setModes(...modes: HostileMode[]): void;
  clear(): void;
  close(): Promise<void>;
}

export async function startHostileUpstream(target: string, modes: HostileMode[] = []): Promise<HostileUpstream> {
  const requests: HostileRequest[] = [];
  let active = modes;
  const sockets = new Set<Socket>();
  const targetUrl = new URL(target);

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `hostile upstream error: ${(error as Error).message}` }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: HostileRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
    requests.push(request);
    const ctx: ModeContext = {
      req,
      res,
      request,
      forward: () => forward(request),
      reply(answer) {
        const headers = { ...answer.headers };
        delete headers['transfer-encoding'];
        delete headers.connection;
        headers['content-length'] = String(answer.body.length);
        res.writeHead(answer.status, headers);
        res.end(answer.body);
      },
      reset() {
        req.socket.resetAndDestroy();
      },
    };
    for (const mode of active) if (await mode(ctx)) return;
    ctx.reply(await forward(request));
  }

  function forward(request: HostileRequest): Promise<Forwarded> {
    return new Promise((resolve, reject) => {
      const headers = { ...request.headers, host: targetUrl.host };
      const upstream = httpRequest(
        { host: targetUrl.hostname, port: targetUrl.port, method: request.method, path: request.url, headers },
        (response) => {
          const body: Buffer[] = [];
          response.on('data', (chunk: Buffer) => body.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(body) }));
          response.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(request.body);
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    setModes: (...next) => {
      active = next;
    },
    clear: () => {
      requests.length = 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** "Another host": a server that records whatever reaches it and answers 200 with a JSON body that looks plausible. */
export async function startRecorder(): Promise<{ origin: string; requests: HostileRequest[]; close(): Promise<void> }> {
  const requests: HostileRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ success: true, data: { stolen: true }, errors: [], correlationId: 'recorder', timestamp: new Date().toISOString(), access_token: 'recorder-token', token_type: 'Bearer', expires_in: 3600 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
