import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAugurSandbox, type AugurSandbox, type AugurSandboxOptions } from './augur/index.js';
import {
  createPartsSourceSandbox,
  type PartsSourceSandbox,
  type PartsSourceSandboxOptions,
} from './partssource/index.js';
import { FaultInjector, type FaultRule } from './faults.js';
import { augurOpenApi, partsSourceOpenApi } from './openapi.js';
import type { RecordedRequest, SandboxModule, SandboxResponse } from './types.js';

export type { RecordedRequest } from './types.js';
export { FaultFile, type FaultRule } from './faults.js';
export { SANDBOX_PARTSSOURCE_CREDENTIALS } from './partssource/index.js';
export { SANDBOX_AUGUR_SITES } from './augur/index.js';

export interface SandboxOptions {
  /** 0 (default) picks a random free port. */
  port?: number;
  host?: string;
  partssource?: PartsSourceSandboxOptions;
  augur?: AugurSandboxOptions;
  /** Keep every request for tests (default true; the long-running CLI sandbox turns it off). */
  recordRequests?: boolean;
  /** Faults to inject from the start (more can be added with `sandbox.faults.add`). */
  faults?: FaultRule[];
}

export interface Sandbox {
  origin: string;
  partssource: { baseUrl: string; tokenUrl: string; controls: PartsSourceSandbox };
  augur: { baseUrl: string; controls: AugurSandbox };
  /** TCP connections accepted since start (benchmarks: sockets opened by a client). */
  connectionCount(): number;
  /** Every request received, oldest first (when recording is on). */
  requests: RecordedRequest[];
  /** Inject latency, error statuses, broken bodies or connection resets into matching requests. */
  faults: FaultInjector;
  clearRequests(): void;
  close(): Promise<void>;
}

const MOUNTS = {
  partssource: '/partssource',
  augur: '/augur',
} as const;

/**
 * Starts the embedded sandbox: one loopback HTTP server with the PartsSource API under `/partssource`
 * (token endpoint `/partssource/oauth2/token`, API base `/partssource/customer`) and the Augur customers
 * service under `/augur`. It is the other side of the wire and imports nothing from src/clients or src/tools.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const partssource = createPartsSourceSandbox(options.partssource);
  const augur = createAugurSandbox(options.augur);
  const modules: Record<keyof typeof MOUNTS, SandboxModule> = { partssource, augur };
  const requests: RecordedRequest[] = [];
  const record = options.recordRequests ?? true;
  const faults = new FaultInjector(options.faults);
  // OpenAPI 3.1 documents generated from the route tables, served unauthenticated at /<api>/openapi.json; each is
  // built on its first GET (once per sandbox), not at start.
  const openapi: Partial<Record<keyof typeof MOUNTS, () => SandboxResponse>> = {};

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
      }
      res.end(JSON.stringify({ message: `sandbox error: ${(error as Error).message}` }));
    });
  });
  server.keepAliveTimeout = 30_000;
  let connections = 0;
  server.on('connection', () => connections++);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const api = (Object.keys(MOUNTS) as Array<keyof typeof MOUNTS>).find(
      (name) => url.pathname === MOUNTS[name] || url.pathname.startsWith(`${MOUNTS[name]}/`),
    );
    const rawBody = await readBody(req);
    if (!api) {
      send(res, { status: 404, body: { message: `No sandbox API at ${url.pathname}; try /partssource or /augur` } });
      return;
    }
    const path = url.pathname.slice(MOUNTS[api].length) || '/';
    const headers = flattenHeaders(req);
    const fault = faults.decide({ api, method: req.method ?? 'GET', path, headers });
    if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
    if (fault.kind === 'reset') {
      if (record) requests.push(recorded(api, req, url, path, headers, rawBody, 0, {}));
      req.socket.destroy();
      return;
    }
    const response =
      fault.kind === 'respond'
        ? fault.response
        : path === '/openapi.json' && req.method === 'GET' && openapi[api]
          ? openapi[api]()
          : await modules[api].handle({ method: req.method ?? 'GET', path, query: url.searchParams, headers: req.headers, rawBody });
    if (record) requests.push(recorded(api, req, url, path, headers, rawBody, response.status, response.headers ?? {}));
    send(res, response);
  }

  function recorded(
    api: RecordedRequest['api'],
    req: IncomingMessage,
    url: URL,
    path: string,
    headers: Record<string, string>,
    rawBody: Buffer,
    status: number,
    responseHeaders: Record<string, string>,
  ): RecordedRequest {
    return {
      api,
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: parseRecordedBody(rawBody, req.headers['content-type']),
      status,
      responseHeaders,
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const document = (build: () => unknown): (() => SandboxResponse) => {
    let response: SandboxResponse | undefined;
    return () => (response ??= { status: 200, headers: { 'cache-control': 'no-cache' }, body: build() });
  };
  openapi.partssource = document(() => partsSourceOpenApi(`${origin}${MOUNTS.partssource}/customer`, `${origin}${MOUNTS.partssource}/oauth2/token`));
  openapi.augur = document(() => augurOpenApi(`${origin}${MOUNTS.augur}`));

  return {
    origin,
    partssource: {
      baseUrl: `${origin}${MOUNTS.partssource}/customer`,
      tokenUrl: `${origin}${MOUNTS.partssource}/oauth2/token`,
      controls: partssource,
    },
    augur: { baseUrl: `${origin}${MOUNTS.augur}`, controls: augur },
    connectionCount: () => connections,
    requests,
    faults,
    clearRequests: () => {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: SandboxResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload: string | undefined;
  if (response.body === undefined) {
    payload = undefined;
  } else if (typeof response.body === 'string') {
    payload = response.body;
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  } else {
    payload = JSON.stringify(response.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function parseRecordedBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
