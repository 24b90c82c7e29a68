import ky, { HTTPError, TimeoutError, type KyInstance, type Options as KyOptions } from 'ky';
import { readErrorBody } from './error-body.js';
import { UpstreamError, type Upstream } from './errors.js';

/** How a request may be retried. Only reads, and orders that carry their idempotency key, are ever retried. */
export type RetryPolicy = 'read' | 'idempotent-write' | 'never';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path relative to the base URL, starting with '/'; every dynamic segment already encoded. */
  path: string;
  searchParams?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  headers?: Record<string, string>;
  correlationId: string;
  signal?: AbortSignal;
  retry: RetryPolicy;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
  /** The upstream's correlation id (body or header) when it sent one, else ours. */
  correlationId: string;
}

export interface HttpCoreOptions {
  upstream: Upstream;
  baseUrl: string;
  /** Per-attempt timeout in milliseconds. */
  timeoutMs?: number;
  /** Upper bound on a Retry-After wait we are willing to sleep, in milliseconds. */
  maxRetryAfterMs?: number;
  fetch?: typeof fetch;
}

export interface HttpCore {
  readonly upstream: Upstream;
  send(request: HttpRequest): Promise<HttpResponse>;
}

const RETRY_STATUS = [429, 500, 502, 503, 504];

/**
 * The shared HTTP core: one ky instance per upstream (base URL, timeout, retry policy, X-Correlation-ID) and the
 * normalisation of every failure into one UpstreamError carrying status, upstream message and correlation id.
 */
export function createHttpCore(options: HttpCoreOptions): HttpCore {
  const prefixUrl = options.baseUrl.replace(/\/+$/, '');
  const instance: KyInstance = ky.create({
    prefixUrl,
    timeout: options.timeoutMs ?? 15_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers: { accept: 'application/json' },
  });

  function retryOptions(policy: RetryPolicy): KyOptions['retry'] {
    const base = {
      statusCodes: RETRY_STATUS,
      afterStatusCodes: [429, 503],
      maxRetryAfter: options.maxRetryAfterMs ?? 5_000,
      backoffLimit: 2_000,
      jitter: true,
    };
    switch (policy) {
      case 'read':
        return { ...base, limit: 2, methods: ['get', 'post'] };
      case 'idempotent-write':
        // The same Idempotency-Key and body go out again, so the upstream replays instead of duplicating.
        return { ...base, limit: 2, methods: ['post'], statusCodes: [500, 502, 503, 504], retryOnTimeout: true };
      case 'never':
        return { limit: 0 };
    }
  }

  return {
    upstream: options.upstream,
    async send(request) {
      const searchParams: Record<string, string> = {};
      for (const [key, value] of Object.entries(request.searchParams ?? {})) {
        if (value !== undefined) searchParams[key] = String(value);
      }
      const fail = (kind: 'network' | 'timeout' | 'invalid_response', messages: string[], status?: number) =>
        new UpstreamError({
          upstream: options.upstream,
          kind,
          ...(status !== undefined ? { status } : {}),
          upstreamMessages: messages,
          correlationId: request.correlationId,
          method: request.method,
          path: request.path,
        });
      let response: Response;
      try {
        response = await instance(request.path.replace(/^\//, ''), {
          method: request.method,
          searchParams,
          ...(request.json !== undefined ? { json: request.json } : {}),
          headers: { 'x-correlation-id': request.correlationId, ...request.headers },
          retry: retryOptions(request.retry),
          ...(request.signal ? { signal: request.signal } : {}),
        });
      } catch (error) {
        if (error instanceof HTTPError) throw await toUpstreamError(options.upstream, request, error.response);
        if (error instanceof TimeoutError) throw fail('timeout', []);
        if (error instanceof Error && error.name === 'AbortError') throw fail('timeout', ['the tool call was cancelled']);
        throw fail('network', [networkReason(error)]);
      }
      const text = await response.text().catch(() => {
        throw fail('network', ['the connection closed while reading the response']);
      });
      let body: unknown;
      if (text.trim()) {
        try {
          body = JSON.parse(text);
        } catch {
          const found = readErrorBody(text, response.headers.get('content-type')).messages[0];
          throw fail('invalid_response', [`the body is not JSON${found ? ` (${found.slice(0, 120)})` : ''}`], response.status);
        }
      }
      return {
        status: response.status,
        headers: response.headers,
        body,
        correlationId: pickCorrelationId(body, response.headers) ?? request.correlationId,
      };
    },
  };
}

async function toUpstreamError(upstream: Upstream, request: HttpRequest, response: Response): Promise<UpstreamError> {
  const text = await response.text().catch(() => '');
  const facts = readErrorBody(text, response.headers.get('content-type'));
  const retryAfter = Number(response.headers.get('retry-after'));
  return new UpstreamError({
    upstream,
    kind: 'http',
    status: response.status,
    upstreamMessages: facts.messages,
    correlationId: facts.correlationId ?? response.headers.get('x-correlation-id') ?? request.correlationId,
    ...(Number.isFinite(retryAfter) && retryAfter >= 0 && response.headers.has('retry-after')
      ? { retryAfterSeconds: retryAfter }
      : {}),
    method: request.method,
    path: request.path,
  });
}

function pickCorrelationId(body: unknown, headers: Headers): string | undefined {
  if (body && typeof body === 'object' && 'correlationId' in body) {
    const id = (body as { correlationId: unknown }).correlationId;
    if (typeof id === 'string' && id) return id;
  }
  return headers.get('x-correlation-id') ?? undefined;
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? 'unknown network error';
}

/** Encodes one dynamic path segment; ids are validated before they get here, this keeps `/` and `..` inert. */
export function segment(value: string | number): string {
  return encodeURIComponent(String(value));
}
