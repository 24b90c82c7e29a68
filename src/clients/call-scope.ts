import { UpstreamError, type Upstream, type UpstreamErrorKind } from './errors.js';
import type { CallObserver, UpstreamEvent } from './events.js';
import type { HttpRequest } from './http-core.js';
import type { RetryLimits } from './retry-policy.js';

/** What one HTTP core is set up with: its options, defaults applied. */
export interface CoreSettings extends RetryLimits {
  upstream: Upstream;
  /** The configured URL, as configured; a request's path is appended to it. */
  url: string;
  /** How the configured URL is named to an operator (in a refused redirect): e.g. `base URL`. */
  urlName: string;
  timeoutMs: number;
  maxResponseBytes: number;
  maxErrorBodyBytes: number;
  /** What to do about a body over the cap, told to whoever reads the error. */
  oversizeAdvice: string;
}

/**
 * One call's view of the core: its request, the time each attempt has, where its events go, and the clock of the
 * attempt under way (for the body read's own deadline).
 */
export interface CallScope {
  readonly settings: CoreSettings;
  readonly request: HttpRequest;
  readonly where: { upstream: Upstream; method: string; path: string };
  readonly report: (event: UpstreamEvent) => void;
  readonly attemptTimeoutMs: number;
  /** The caller's signal, or the held deadline that follows it. */
  readonly signal: AbortSignal | undefined;
  /** performance.now() when the call began. */
  readonly startedMs: number;
  attempts: number;
  attemptStartedAt: number;
}

export function openScope(settings: CoreSettings, request: HttpRequest, attemptTimeoutMs: number, signal: AbortSignal | undefined): CallScope {
  return {
    settings,
    request,
    where: { upstream: settings.upstream, method: request.method, path: request.path },
    report: safeObserver(request.observer),
    attemptTimeoutMs,
    signal,
    startedMs: performance.now(),
    attempts: 1,
    attemptStartedAt: Date.now(),
  };
}

/** The attempt's end: the body read's own timer (ky's timer covers it too, the body being read inside fetch). */
export function attemptEnd(scope: CallScope): number {
  return Math.min(scope.attemptStartedAt + scope.attemptTimeoutMs, scope.request.deadline ?? Number.POSITIVE_INFINITY);
}

/** Reports the answer that ended the call (success or error status). */
export function reportAnswer(scope: CallScope, status: number): void {
  scope.report({ type: 'response', ...scope.where, status, attempts: scope.attempts, ms: Math.round(performance.now() - scope.startedMs) });
}

export interface FailureFacts {
  status?: number;
  retryAfterSeconds?: number;
  url?: string;
  detail?: string;
  correlationId?: string;
}

/** The call's failure as the one UpstreamError type, with the call's correlation id unless the upstream sent one. */
export function callFailure(scope: CallScope, kind: UpstreamErrorKind, messages: string[], facts: FailureFacts = {}): UpstreamError {
  const { request } = scope;
  return new UpstreamError({
    upstream: scope.settings.upstream,
    kind,
    ...facts,
    upstreamMessages: messages,
    correlationId: facts.correlationId ?? request.correlationId,
    method: request.method,
    path: request.path,
  });
}

/** The observer, unable to fail the call: an observer's failure is no reason to fail it. */
function safeObserver(observer: CallObserver | undefined): (event: UpstreamEvent) => void {
  return (event) => {
    try {
      observer?.(event);
    } catch {
      // ignored: see above
    }
  };
}
