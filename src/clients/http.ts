import ky, { HTTPError, TimeoutError, type KyInstance, type Options as KyOptions } from 'ky';
import type { Logger } from '../logger.js';
import { CircuitBreaker, CircuitOpenError, type CircuitBreakerOptions } from './circuit-breaker.js';
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
  /** Epoch ms by which the answer is needed: no retry, backoff or Retry-After wait goes past it. */
  deadline?: number;
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
  /** Longest Retry-After we sleep through (still never past the deadline), in milliseconds. */
  maxRetryAfterMs?: number;
  /** Retries of a read after the first attempt. */
  retryLimit?: number;
  circuitBreaker?: CircuitBreakerOptions;
  log?: Logger;
  fetch?: typeof fetch;
}

export interface HttpCore {
  readonly upstream: Upstream;
  readonly breaker: CircuitBreaker;
  send(request: HttpRequest): Promise<HttpResponse>;
}

const RETRY_STATUS = [429, 500, 502, 503, 504];
/** Below this much time left, another attempt is not worth starting. */
const MIN_ATTEMPT_MS = 100;

/**
 * The shared HTTP core, the one place of the retry and deadline policy: one ky instance per upstream (base URL,
 * timeout, X-Correlation-ID), reads retried on network errors, 429 and 5xx with exponential backoff and full
 * jitter, Retry-After honoured but never past the call's deadline, a circuit breaker, and every failure
 * normalised into one UpstreamError carrying status, upstream message and correlation id.
 */
export function createHttpCore(options: HttpCoreOptions): HttpCore {
  const prefixUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;
  const breaker = new CircuitBreaker(options.circuitBreaker);
  const instance: KyInstance = ky.create({
    prefixUrl,
    timeout: timeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    headers: { accept: 'application/json' },
  });

  function retryOptions(request: HttpRequest): KyOptions['retry'] {
    if (request.retry === 'never') return { limit: 0 };
    const deadline = request.deadline;
    const left = () => (deadline === undefined ? Number.POSITIVE_INFINITY : deadline - Date.now());
    return {
      limit: options.retryLimit ?? 3,
      methods: request.retry === 'read' ? ['get', 'post'] : ['post'],
      // An order is retried only where the upstream may not have stored it: no answer or a 5xx.
      statusCodes: request.retry === 'read' ? RETRY_STATUS : [500, 502, 503, 504],
      afterStatusCodes: [429, 503],
      maxRetryAfter: Math.min(options.maxRetryAfterMs ?? 10_000, Math.max(left() - MIN_ATTEMPT_MS, 0)),
      delay: (attempt) => 250 * 2 ** (attempt - 1),
      backoffLimit: 4_000,
      jitter: true, // full jitter: a random delay between 0 and the exponential backoff
      retryOnTimeout: true,
      shouldRetry: ({ error }) => {
        // When the upstream asks for a wait that would pass the deadline, give its answer to the agent now.
        if (error instanceof HTTPError) {
          const seconds = retryAfterSeconds(error.response.headers);
          if (seconds !== undefined && seconds * 1000 > left() - MIN_ATTEMPT_MS) return false;
        }
        if (left() < MIN_ATTEMPT_MS * 2) return false;
        return undefined; // ky's own rules: method, status, Retry-After
      },
    };
  }

  return {
    upstream: options.upstream,
    breaker,
    async send(request) {
      const fail = (kind: 'network' | 'timeout' | 'invalid_response' | 'circuit_open', messages: string[], extra: { status?: number; retryAfterSeconds?: number } = {}) =>
        new UpstreamError({
          upstream: options.upstream,
          kind,
          ...extra,
          upstreamMessages: messages,
          correlationId: request.correlationId,
          method: request.method,
          path: request.path,
        });
      const left = request.deadline === undefined ? Number.POSITIVE_INFINITY : request.deadline - Date.now();
      if (left < MIN_ATTEMPT_MS) throw fail('timeout', ["the tool call's deadline passed before the request was sent"]);
      try {
        breaker.admit();
      } catch (error) {
        if (!(error instanceof CircuitOpenError)) throw error;
        throw fail('circuit_open', [`${error.failures} calls failed in a row`], { retryAfterSeconds: Math.ceil(error.retryAfterMs / 1000) });
      }

      const searchParams: Record<string, string> = {};
      for (const [key, value] of Object.entries(request.searchParams ?? {})) {
        if (value !== undefined) searchParams[key] = String(value);
      }
      const signals = [request.signal, Number.isFinite(left) ? AbortSignal.timeout(left) : undefined].filter(
        (s): s is AbortSignal => s !== undefined,
      );
      let response: Response;
      try {
        response = await instance(request.path.replace(/^\//, ''), {
          method: request.method,
          searchParams,
          ...(request.json !== undefined ? { json: request.json } : {}),
          headers: { 'x-correlation-id': request.correlationId, ...request.headers },
          timeout: Math.min(timeoutMs, left),
          retry: retryOptions(request),
          ...(signals.length ? { signal: AbortSignal.any(signals) } : {}),
          hooks: {
            beforeRetry: [
              ({ error, retryCount }) => {
                options.log?.warn(
                  {
                    upstream: options.upstream,
                    method: request.method,
                    path: request.path,
                    correlationId: request.correlationId,
                    retryCount,
                    status: error instanceof HTTPError ? error.response.status : undefined,
                    reason: error instanceof HTTPError ? undefined : error.name,
                  },
                  'retrying upstream request',
                );
              },
            ],
          },
        });
      } catch (error) {
        const upstreamError = await normalise(error);
        record(upstreamError);
        throw upstreamError;
      }
      const text = await response.text().catch(() => undefined);
      if (text === undefined) {
        const error = fail('network', ['the connection closed while reading the response']);
        record(error);
        throw error;
      }
      breaker.succeeded();
      let body: unknown;
      if (text.trim()) {
        try {
          body = JSON.parse(text);
        } catch {
          const found = readErrorBody(text, response.headers.get('content-type')).messages[0];
          throw fail('invalid_response', [`the body is not JSON${found ? ` (${found.slice(0, 120)})` : ''}`], { status: response.status });
        }
      }
      return {
        status: response.status,
        headers: response.headers,
        body,
        correlationId: pickCorrelationId(body, response.headers) ?? request.correlationId,
      };

      async function normalise(error: unknown): Promise<UpstreamError> {
        if (error instanceof HTTPError) return toUpstreamError(options.upstream, request, error.response);
        if (error instanceof TimeoutError) return fail('timeout', [`no answer within ${Math.round(Math.min(timeoutMs, left))} ms`]);
        const name = (error as Error)?.name;
        if (name === 'TimeoutError') return fail('timeout', ["the tool call's deadline passed while waiting for the upstream"]);
        if (name === 'AbortError') return fail('timeout', ['the tool call was cancelled']);
        return fail('network', [networkReason(error)]);
      }

      /** Failures that say the upstream is down count toward opening the circuit; answers do not. */
      function record(error: UpstreamError): void {
        const { kind, status } = error.info;
        if (kind === 'network' || kind === 'timeout' || (status !== undefined && status >= 500)) {
          breaker.failed();
          if (breaker.state === 'open') {
            options.log?.warn({ upstream: options.upstream, coolDownMs: breaker.coolDownMs }, 'circuit open: failing fast during the cool-down');
          }
        } else {
          breaker.succeeded();
        }
      }
    },
  };
}

async function toUpstreamError(upstream: Upstream, request: HttpRequest, response: Response): Promise<UpstreamError> {
  const text = await response.text().catch(() => '');
  const facts = readErrorBody(text, response.headers.get('content-type'));
  const retryAfter = retryAfterSeconds(response.headers);
  return new UpstreamError({
    upstream,
    kind: 'http',
    status: response.status,
    upstreamMessages: facts.messages,
    correlationId: facts.correlationId ?? response.headers.get('x-correlation-id') ?? request.correlationId,
    ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
    method: request.method,
    path: request.path,
  });
}

/** Retry-After as seconds: a number of seconds or an HTTP date. */
function retryAfterSeconds(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
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
