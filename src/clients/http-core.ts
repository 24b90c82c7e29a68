import ky, { HTTPError, TimeoutError, type KyInstance, type Options as KyOptions } from 'ky';
import { holdDeadline } from '../deadline.js';
import { CircuitBreaker, CircuitOpenError, type CircuitBreakerOptions } from './circuit-breaker.js';
import { displayUrl, isUnresolvableHost } from './dns.js';
import { readErrorBody } from './error-body.js';
import { oversizeDetail, redirectDetail, UpstreamError, type Upstream } from './errors.js';
import type { CallObserver, UpstreamEvent } from './events.js';
import { BodyStreamError, BodyTimeoutError, BodyTooLargeError, DEFAULT_MAX_RESPONSE_BYTES, MAX_ERROR_BODY_BYTES, readBodyText } from './read-body.js';

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
  /** Told about retries, their waits and the circuit breaker as they happen (see ./events.ts). */
  observer?: CallObserver;
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
  /** Per-attempt timeout in milliseconds: connect, headers and the whole body. */
  timeoutMs?: number;
  /** Largest response body read (default 10 MB); past it the request is aborted. Error bodies: at most 64 KB. */
  maxResponseBytes?: number;
  /** Longest Retry-After we sleep through (still never past the deadline), in milliseconds. */
  maxRetryAfterMs?: number;
  /** Retries of a read after the first attempt. */
  retryLimit?: number;
  circuitBreaker?: CircuitBreakerOptions;
  fetch?: typeof fetch;
}

export interface HttpCore {
  readonly upstream: Upstream;
  readonly breaker: CircuitBreaker;
  send(request: HttpRequest): Promise<HttpResponse>;
}

const RETRY_STATUS = [429, 500, 502, 503, 504];
/** Statuses whose Retry-After we wait for (on others it is read for the error only). */
const RETRY_AFTER_STATUS = [429, 503];
const MAX_BACKOFF_MS = 4_000;
/** Below this much time left, another attempt is not worth starting. */
const MIN_ATTEMPT_MS = 100;

/**
 * The shared HTTP core, the one place of the retry and deadline policy: one ky instance per upstream (base URL,
 * timeout, X-Correlation-ID), reads retried on network errors, 429 and 5xx with exponential backoff and full
 * jitter, Retry-After honoured but never past the call's deadline, a circuit breaker, and every failure
 * normalised into one UpstreamError carrying status, upstream message and correlation id.
 *
 * What an upstream cannot make it do: follow a redirect (the credentials would go along to the Location), wait
 * past the deadline for a body that trickles in, or buffer a body past the byte cap.
 */
export function createHttpCore(options: HttpCoreOptions): HttpCore {
  const prefixUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const maxErrorBodyBytes = Math.min(MAX_ERROR_BODY_BYTES, maxResponseBytes);
  const baseFetch = options.fetch ?? globalThis.fetch;
  const breaker = new CircuitBreaker(options.circuitBreaker);
  const instance: KyInstance = ky.create({
    prefixUrl,
    timeout: timeoutMs,
    // A 3xx comes back as an answer (an HTTPError), never followed: undici would send x-api-key, x-site-id and a
    // 307/308 body along to whatever host the Location names.
    redirect: 'manual',
    headers: { accept: 'application/json' },
  });

  const retryLimit = options.retryLimit ?? 3;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;

  /**
   * ky's retry options for one request. The decision and the wait are ours (shouldRetry answers true or false,
   * never "ky decides"), so that the retry is reported with its reason and delay before the wait, not after it.
   */
  function retryOptions(
    request: HttpRequest,
    attemptTimeoutMs: number,
    report: (event: Extract<UpstreamEvent, { type: 'retry' }>) => void,
  ): KyOptions['retry'] {
    if (request.retry === 'never') return { limit: 0 };
    const deadline = request.deadline;
    const left = () => (deadline === undefined ? Number.POSITIVE_INFINITY : deadline - Date.now());
    // An order is retried only where the upstream may not have stored it: no answer or a 5xx.
    const statusCodes = request.retry === 'read' ? RETRY_STATUS : [500, 502, 503, 504];
    let nextDelayMs = 0;
    return {
      limit: retryLimit,
      methods: request.retry === 'read' ? ['get', 'post'] : ['post'],
      delay: () => nextDelayMs,
      jitter: false, // applied in planRetry
      backoffLimit: Number.POSITIVE_INFINITY, // applied in planRetry
      shouldRetry: ({ error, retryCount }) => {
        const plan = planRetry(error, retryCount);
        if (!plan) return false;
        // The failed answer's body is never read: close its connection rather than leave it to the collector.
        if (error instanceof HTTPError) void error.response.body?.cancel().catch(() => {});
        nextDelayMs = plan.delayMs;
        report({
          type: 'retry',
          upstream: options.upstream,
          method: request.method,
          path: request.path,
          attempt: retryCount + 1,
          maxAttempts: retryLimit + 1,
          ...plan,
        });
        return true;
      },
    };

    /** Whether (and after how long) to retry after a failed attempt; `retryCount` is the retry about to be made. */
    function planRetry(error: Error, retryCount: number): { reason: string; status?: number; delayMs: number; retryAfter: boolean } | undefined {
      if (request.signal?.aborted) return undefined;
      const room = left() - MIN_ATTEMPT_MS;
      if (error instanceof HTTPError) {
        const status = error.response.status;
        if (!statusCodes.includes(status)) return undefined;
        const seconds = RETRY_AFTER_STATUS.includes(status) ? retryAfterSeconds(error.response.headers) : undefined;
        if (seconds !== undefined) {
          // When the upstream asks for a wait that would pass the deadline, give its answer to the agent now.
          if (seconds * 1000 > room) return undefined;
          return after(`HTTP ${status}`, Math.min(seconds * 1000, maxRetryAfterMs), true, status);
        }
        return after(`HTTP ${status}`, backoff(), false, status);
      }
      if (error instanceof TimeoutError) return after(`no answer within ${Math.round(attemptTimeoutMs)} ms`, backoff(), false);
      if (isUnresolvableHost(error)) return undefined;
      // A body that trickles in or breaks off is no answer either; one over the cap would come back the same.
      if (error instanceof BodyTimeoutError) return after(`the body did not arrive within ${Math.round(attemptTimeoutMs)} ms`, backoff(), false);
      if (error instanceof BodyTooLargeError || isAbort(error)) return undefined;
      if (error instanceof BodyStreamError) return after(error.message, backoff(), false);
      return after(networkReason(error), backoff(), false);

      /** Full jitter: a random wait between 0 and the exponential backoff. */
      function backoff(): number {
        return Math.round(Math.random() * Math.min(250 * 2 ** (retryCount - 1), MAX_BACKOFF_MS));
      }

      /** The plan, unless the wait would leave the next attempt too little time. */
      function after(reason: string, delayMs: number, retryAfter: boolean, status?: number) {
        if (room - delayMs < MIN_ATTEMPT_MS) return undefined;
        return { reason, ...(status !== undefined ? { status } : {}), delayMs, retryAfter };
      }
    }
  }

  return {
    upstream: options.upstream,
    breaker,
    async send(request) {
      const fail = (
        kind: 'network' | 'unresolvable' | 'timeout' | 'invalid_response' | 'circuit_open',
        messages: string[],
        extra: { status?: number; retryAfterSeconds?: number; url?: string; detail?: string } = {},
      ) =>
        new UpstreamError({
          upstream: options.upstream,
          kind,
          ...extra,
          upstreamMessages: messages,
          correlationId: request.correlationId,
          method: request.method,
          path: request.path,
        });
      const report = (event: UpstreamEvent) => {
        try {
          request.observer?.(event);
        } catch {
          // An observer's failure is no reason to fail the call.
        }
      };
      const where = { upstream: options.upstream, method: request.method, path: request.path };
      const left = request.deadline === undefined ? Number.POSITIVE_INFINITY : request.deadline - Date.now();
      if (left < MIN_ATTEMPT_MS) throw fail('timeout', ["the tool call's deadline passed before the request was sent"]);
      try {
        breaker.admit();
      } catch (error) {
        if (!(error instanceof CircuitOpenError)) throw error;
        report({ type: 'circuit_open', ...where, failures: error.failures, retryAfterMs: error.retryAfterMs });
        throw fail('circuit_open', [`${error.failures} calls failed in a row`], { retryAfterSeconds: Math.ceil(error.retryAfterMs / 1000) });
      }

      const searchParams: Record<string, string> = {};
      for (const [key, value] of Object.entries(request.searchParams ?? {})) {
        if (value !== undefined) searchParams[key] = String(value);
      }
      // The call's deadline as a held timer (see ../deadline.ts), and the caller's signal: either ends the request.
      const held = Number.isFinite(left) ? holdDeadline(left, request.signal, "the tool call's deadline passed") : undefined;
      const signal = held?.signal ?? request.signal;
      const attemptTimeoutMs = Math.min(timeoutMs, left);
      const started = performance.now();
      let attempts = 1;
      let attemptStartedAt = Date.now();
      // The attempt's end for the body read's own timer (ky's timer covers it too: the body is read inside fetch).
      const bodyDeadline = () => Math.min(attemptStartedAt + attemptTimeoutMs, request.deadline ?? Number.POSITIVE_INFINITY);
      let text = '';
      /**
       * fetch, and for a 2xx its body too, inside ky's attempt: ky's timeout then covers the body, and a body that
       * stalls or breaks off is retried like a missing answer. The text is kept here; ky gets an empty response.
       * Error bodies are read later, and shorter (see toUpstreamError).
       */
      const fetchWithBody = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
        const response = await baseFetch(input, init);
        if (!response.ok) return response;
        const attemptSignal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
        ({ text } = await readBodyText(response, { maxBytes: maxResponseBytes, deadline: bodyDeadline(), ...(attemptSignal ? { signal: attemptSignal } : {}) }));
        return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
      };
      const answered = (status: number) =>
        report({ type: 'response', ...where, status, attempts, ms: Math.round(performance.now() - started) });
      try {
        let response: Response;
        try {
          response = await instance(request.path.replace(/^\//, ''), {
            method: request.method,
            searchParams,
            ...(request.json !== undefined ? { json: request.json } : {}),
            headers: { 'x-correlation-id': request.correlationId, ...request.headers },
            timeout: attemptTimeoutMs,
            retry: retryOptions(request, attemptTimeoutMs, (event) => {
              attempts = event.attempt;
              report(event);
            }),
            hooks: {
              beforeRequest: [
                () => {
                  attemptStartedAt = Date.now();
                },
              ],
            },
            fetch: fetchWithBody,
            ...(signal ? { signal } : {}),
          });
        } catch (error) {
          if (error instanceof HTTPError) answered(error.response.status);
          const upstreamError = await normalise(error);
          record(upstreamError);
          throw upstreamError;
        }
        answered(response.status);
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
      } finally {
        held?.dispose();
      }

      async function normalise(error: unknown): Promise<UpstreamError> {
        if (error instanceof HTTPError) {
          const { status } = error.response;
          if (status >= 300 && status < 400) {
            void error.response.body?.cancel().catch(() => {});
            return fail('invalid_response', [], { status, detail: redirectDetail(status, 'base URL') });
          }
          return toUpstreamError(options.upstream, request, error.response, { maxBytes: maxErrorBodyBytes, deadline: bodyDeadline(), ...(signal ? { signal } : {}) });
        }
        if (error instanceof BodyTooLargeError) {
          const advice = 'Ask for less (a smaller limit or page, a narrower search) and call again; an operator can raise UPSTREAM_MAX_RESPONSE_BYTES.';
          return fail('invalid_response', [], { detail: oversizeDetail(error.maxBytes, error.declaredBytes, advice) });
        }
        if (error instanceof BodyTimeoutError) return fail('timeout', [`the response body did not arrive within ${Math.round(error.timeoutMs)} ms`]);
        if (error instanceof BodyStreamError) return fail('network', [error.message]);
        if (error instanceof TimeoutError) return fail('timeout', [`no answer within ${Math.round(Math.min(timeoutMs, left))} ms`]);
        const name = (error as Error)?.name;
        if (name === 'TimeoutError') return fail('timeout', ["the tool call's deadline passed while waiting for the upstream"]);
        if (name === 'AbortError') return fail('timeout', ['the tool call was cancelled']);
        if (isUnresolvableHost(error)) return fail('unresolvable', [networkReason(error)], { url: displayUrl(prefixUrl) });
        return fail('network', [networkReason(error)]);
      }

      /** Failures that say the upstream is down count toward opening the circuit; answers do not. */
      function record(error: UpstreamError): void {
        const { kind, status } = error.info;
        if (kind === 'network' || kind === 'timeout' || (status !== undefined && status >= 500)) {
          if (breaker.failed()) report({ type: 'circuit_opened', ...where, failures: breaker.consecutiveFailures, coolDownMs: breaker.coolDownMs });
        } else {
          breaker.succeeded();
        }
      }
    },
  };
}

async function toUpstreamError(
  upstream: Upstream,
  request: HttpRequest,
  response: Response,
  read: { maxBytes: number; deadline: number; signal?: AbortSignal },
): Promise<UpstreamError> {
  // Only the start of an error body is read: its message is all we want from it.
  const text = await readBodyText(response, { ...read, truncate: true }).then(
    (body) => body.text,
    () => '',
  );
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

/** The call's own signal ended the wait (its deadline or a cancellation): nothing to retry. */
function isAbort(error: unknown): boolean {
  const name = (error as Error)?.name;
  return name === 'AbortError' || name === 'TimeoutError';
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? 'unknown network error';
}

/** Encodes one dynamic path segment; ids are validated before they get here, this keeps `/` and `..` inert. */
export function segment(value: string | number): string {
  return encodeURIComponent(String(value));
}
