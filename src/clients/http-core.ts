import ky, { HTTPError, TimeoutError, type KyInstance } from 'ky';
import { heldUntil, holdDeadline } from '../deadline.js';
import { tracedAttempt } from './attempt-trace.js';
import { attemptEnd, callFailure, openScope, reportAnswer, type CallScope, type CoreSettings } from './call-scope.js';
import { CircuitBreaker, CircuitOpenError, type CircuitBreakerOptions } from './circuit-breaker.js';
import type { Upstream, UpstreamError } from './errors.js';
import type { CallObserver } from './events.js';
import { DEFAULT_MAX_RESPONSE_BYTES, MAX_ERROR_BODY_BYTES, readBodyText } from './read-body.js';
import { MIN_ATTEMPT_MS, retryOptions, timeLeft, type RetryPolicy } from './retry-policy.js';
import { normaliseFailure, parseJsonBody, upstreamCorrelationId } from './upstream-failures.js';

export type { RetryPolicy } from './retry-policy.js';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path relative to the base URL, starting with '/' (every dynamic segment already encoded); '' is the URL itself. */
  path: string;
  searchParams?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  /** A form body (application/x-www-form-urlencoded), e.g. an OAuth token request. */
  form?: URLSearchParams;
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
  /** How the URL is named to an operator when it redirects (default `base URL`). */
  urlName?: string;
  /** Per-attempt timeout in milliseconds: connect, headers and the whole body. */
  timeoutMs?: number;
  /** Largest response body read (default 10 MB); past it the request is aborted. Error bodies: at most 64 KB. */
  maxResponseBytes?: number;
  /** What an agent or operator can do about a body over the cap (default: ask for less, or raise the cap). */
  oversizeAdvice?: string;
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

const DEFAULT_OVERSIZE_ADVICE =
  'Ask for less (a smaller limit or page, a narrower search) and call again; an operator can raise UPSTREAM_MAX_RESPONSE_BYTES.';

/** The parts every call of one core shares, built once per upstream. */
interface Core {
  settings: CoreSettings;
  breaker: CircuitBreaker;
  instance: KyInstance;
  fetch: typeof fetch;
  /** The base URL without its trailing slashes, for appending a path. */
  base: string;
}

/** What ky hands the hooks of one call (its `context` option): the call's scope. */
interface CallContext {
  scope: CallScope;
}

/** Starts each attempt's clock; one hook for every call, reaching the call through ky's `context`. */
const ATTEMPT_CLOCK = { beforeRequest: [(_request: Request, options: { context: Record<string, unknown> }) => void ((options.context as unknown as CallContext).scope.attemptStartedAt = Date.now())] };

/**
 * ky instances by timeout: an instance holds only its defaults (each request builds its own state), so every core
 * with the same timeout shares one. A tenants file of 1,000 tenants built 2,000 identical instances at start.
 */
const KY_BY_TIMEOUT = new Map<number, KyInstance>();

function kyFor(timeoutMs: number): KyInstance {
  let instance = KY_BY_TIMEOUT.get(timeoutMs);
  if (!instance) {
    instance = ky.create({
      timeout: timeoutMs,
      // A 3xx comes back as an answer (an HTTPError), never followed: undici would send x-api-key, x-site-id, a
      // token form or a 307/308 body along to whatever host the Location names.
      redirect: 'manual',
      headers: { accept: 'application/json' },
      hooks: ATTEMPT_CLOCK,
    });
    KY_BY_TIMEOUT.set(timeoutMs, instance);
  }
  return instance;
}

/**
 * The shared HTTP core, the one place of the retry and deadline policy: one ky instance per timeout (kyFor), an
 * X-Correlation-ID on every request, reads retried on network errors, 429 and 5xx with exponential backoff and full jitter
 * (./retry-policy.ts), Retry-After honoured but never past the call's deadline, a circuit breaker, and every failure
 * normalised into one UpstreamError carrying status, upstream message and correlation id (./upstream-failures.ts).
 *
 * What an upstream cannot make it do: follow a redirect (the credentials would go along to the Location), wait
 * past the deadline for a body that trickles in, or buffer a body past the byte cap.
 */
export function createHttpCore(options: HttpCoreOptions): HttpCore {
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const settings: CoreSettings = {
    upstream: options.upstream,
    url: options.baseUrl,
    urlName: options.urlName ?? 'base URL',
    timeoutMs: options.timeoutMs ?? 15_000,
    maxResponseBytes,
    maxErrorBodyBytes: Math.min(MAX_ERROR_BODY_BYTES, maxResponseBytes),
    oversizeAdvice: options.oversizeAdvice ?? DEFAULT_OVERSIZE_ADVICE,
    retryLimit: options.retryLimit ?? 3,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 10_000,
  };
  const core: Core = {
    settings,
    breaker: new CircuitBreaker(options.circuitBreaker),
    instance: kyFor(settings.timeoutMs),
    fetch: options.fetch ?? globalThis.fetch,
    base: settings.url.replace(/\/+$/, ''),
  };
  return { upstream: options.upstream, breaker: core.breaker, send: (request) => send(core, request) };
}

/** One call: the deadline and the circuit first, then the exchange, its answer parsed or its failure normalised. */
async function send(core: Core, request: HttpRequest): Promise<HttpResponse> {
  const left = timeLeft(request.deadline);
  // The call's deadline as a held timer (see ../deadline.ts), and the caller's signal: either ends the request. A
  // caller's signal that is itself a deadline held to no later (a tool call's) needs no second timer.
  const covered = (heldUntil(request.signal) ?? Number.POSITIVE_INFINITY) <= (request.deadline ?? Number.NEGATIVE_INFINITY);
  const held = Number.isFinite(left) && !covered ? holdDeadline(Math.max(0, left), request.signal, "the tool call's deadline passed") : undefined;
  const scope = openScope(core.settings, request, Math.min(core.settings.timeoutMs, left), held?.signal ?? request.signal);
  try {
    if (left < MIN_ATTEMPT_MS) throw callFailure(scope, 'timeout', ["the tool call's deadline passed before the request was sent"]);
    admit(core.breaker, scope);
    const { response, text } = await exchange(core, scope).catch(async (error: unknown) => {
      if (error instanceof HTTPError) reportAnswer(scope, error.response.status);
      const failure = await normaliseFailure(error, scope);
      recordFailure(core.breaker, failure, scope);
      throw failure;
    });
    reportAnswer(scope, response.status);
    core.breaker.succeeded();
    const body = parseJsonBody(text, response, scope);
    return { status: response.status, headers: response.headers, body, correlationId: upstreamCorrelationId(body, response.headers) ?? request.correlationId };
  } finally {
    held?.dispose();
  }
}

/** Throws `circuit_open` (and reports it) while the upstream is given time to recover. */
function admit(breaker: CircuitBreaker, scope: CallScope): void {
  try {
    breaker.admit();
  } catch (error) {
    if (!(error instanceof CircuitOpenError)) throw error;
    scope.report({ type: 'circuit_open', ...scope.where, failures: error.failures, retryAfterMs: error.retryAfterMs });
    throw callFailure(scope, 'circuit_open', [`${error.failures} calls failed in a row`], { retryAfterSeconds: Math.ceil(error.retryAfterMs / 1000) });
  }
}

/** Failures that say the upstream is down count toward opening the circuit; answers do not. */
function recordFailure(breaker: CircuitBreaker, error: UpstreamError, scope: CallScope): void {
  const { kind, status } = error.info;
  if (kind === 'network' || kind === 'timeout' || (status !== undefined && status >= 500)) {
    if (breaker.failed()) scope.report({ type: 'circuit_opened', ...scope.where, failures: breaker.consecutiveFailures, coolDownMs: breaker.coolDownMs });
  } else {
    breaker.succeeded();
  }
}

/** The request through ky, with its retries (reported as they are planned) and each attempt's clock. */
async function exchange(core: Core, scope: CallScope): Promise<{ response: Response; text: string }> {
  const { request } = scope;
  let text = '';
  const retryCall = { policy: request.retry, deadline: request.deadline, signal: request.signal, waitSignal: scope.signal, attemptTimeoutMs: scope.attemptTimeoutMs };
  const retry = retryOptions(core.settings, retryCall, (plan, retryCount) => {
    scope.attempts = retryCount + 1;
    scope.report({ type: 'retry', ...scope.where, attempt: retryCount + 1, maxAttempts: core.settings.retryLimit + 1, ...plan });
  });
  // The query is part of the URL given to ky: with `searchParams` ky builds every Request twice. No `timeout` and no
  // `signal` for ky: each attempt has one abort controller and one timer of its own (fetchReadingBody), instead of
  // ky's timer and controller plus an AbortSignal.any of them with the call's signal.
  const response = await core.instance(requestUrl(core, request.path) + queryString(request.searchParams), {
    method: request.method,
    ...(request.json !== undefined ? { json: request.json } : {}),
    ...(request.form !== undefined ? { body: request.form } : {}),
    headers: { 'x-correlation-id': request.correlationId, ...request.headers },
    timeout: false,
    retry,
    context: { scope } satisfies CallContext,
    // Each attempt may be traced (its own span and traceparent: ./attempt-trace.ts); untraced, this is the fetch itself.
    fetch: tracedAttempt(fetchReadingBody(core, scope, (read) => (text = read)), () => ({ ...scope.where, urlName: core.settings.urlName, url: core.settings.url, attempt: scope.attempts })),
  });
  return { response, text };
}

/**
 * One attempt: fetch, and for a 2xx its body too, under the attempt's own abort controller and timer (ky's
 * TimeoutError when the attempt's time is up, as ky's own timeout threw; the call's signal ends it too), so a body
 * that stalls or breaks off is retried like a missing answer. The text goes to `keep`; ky gets an empty response.
 * Error bodies are read later, and shorter (see ./upstream-failures.ts).
 */
function fetchReadingBody(core: Core, scope: CallScope, keep: (text: string) => void): typeof fetch {
  return async (input, init) => {
    const attempt = holdDeadline(scope.attemptTimeoutMs, scope.signal, () => new TimeoutError(input as Request));
    try {
      const response = await core.fetch(input, { ...init, signal: attempt.signal });
      if (!response.ok) return response;
      const { text } = await readBodyText(response, { maxBytes: core.settings.maxResponseBytes, deadline: attemptEnd(scope), signal: attempt.signal });
      keep(text);
      return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
    } finally {
      attempt.dispose();
    }
  };
}

/** The path under the base URL (its trailing slashes dropped), or the URL itself as configured for path ''. */
function requestUrl(core: Core, path: string): string {
  return path ? `${core.base}${path}` : core.settings.url;
}

/** `?a=1&b=x` of the defined parameters (as ky would encode them), or '' when there are none. */
function queryString(params: HttpRequest['searchParams']): string {
  if (!params) return '';
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) query.append(key, String(value));
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** Encodes one dynamic path segment; ids are validated before they get here, this keeps `/` and `..` inert. */
export function segment(value: string | number): string {
  return encodeURIComponent(String(value));
}
