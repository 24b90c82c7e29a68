import { setTimeout as wait } from 'node:timers/promises';
import { HTTPError, TimeoutError, type Options as KyOptions } from 'ky';
import { abortReason } from '../deadline.js';
import { isUnresolvableHost } from './dns.js';
import { BodyStreamError, BodyTimeoutError, BodyTooLargeError } from './read-body.js';

/** How a request may be retried. Only reads, and orders that carry their idempotency key, are ever retried. */
export type RetryPolicy = 'read' | 'idempotent-write' | 'never';

const RETRY_STATUS = [429, 500, 502, 503, 504];
/** An order is retried only where the upstream may not have stored it: no answer or a 5xx. */
const WRITE_RETRY_STATUS = [500, 502, 503, 504];
/** Statuses whose Retry-After we wait for (on others it is read for the error only). */
const RETRY_AFTER_STATUS = [429, 503];
const MAX_BACKOFF_MS = 4_000;
/** Below this much time left, another attempt is not worth starting. */
export const MIN_ATTEMPT_MS = 100;

/** How far a core retries: attempts after the first, and the longest Retry-After it sleeps through. */
export interface RetryLimits {
  retryLimit: number;
  maxRetryAfterMs: number;
}

/** One request's part in the decision. */
export interface RetryCall {
  policy: RetryPolicy;
  /** Epoch ms of the call's deadline, if it has one. */
  deadline: number | undefined;
  /** The caller's own signal: once it aborted, nothing is retried. */
  signal: AbortSignal | undefined;
  /** Ends a wait before a retry (the call's deadline or the caller's signal); default `signal`. */
  waitSignal?: AbortSignal | undefined;
  attemptTimeoutMs: number;
}

/** A retry about to be made: why, and after how long. */
export interface RetryPlan {
  reason: string;
  status?: number;
  delayMs: number;
  /** True when the wait is the upstream's Retry-After, not our backoff. */
  retryAfter: boolean;
}

/** Milliseconds until `deadline` (infinite without one). */
export function timeLeft(deadline: number | undefined): number {
  return deadline === undefined ? Number.POSITIVE_INFINITY : deadline - Date.now();
}

/**
 * ky's retry options for one request. The decision and the wait are ours (shouldRetry answers true or false,
 * never "ky decides"), so that `onRetry` hears of a retry with its reason and delay before the wait, not after it.
 */
export function retryOptions(limits: RetryLimits, call: RetryCall, onRetry: (plan: RetryPlan, retryCount: number) => void): KyOptions['retry'] {
  if (call.policy === 'never') return { limit: 0 };
  return {
    limit: limits.retryLimit,
    methods: call.policy === 'read' ? ['get', 'post'] : ['post'],
    // The wait is ours (in shouldRetry): ky's own wait would follow a signal only when given one, and ky is given
    // none (each attempt has its own controller: http-core.ts).
    delay: () => 0,
    jitter: false, // applied in planRetry
    backoffLimit: Number.POSITIVE_INFINITY, // applied in planRetry
    shouldRetry: async ({ error, retryCount }) => {
      const plan = planRetry(error, retryCount, limits, call);
      if (!plan) return false;
      // The failed answer's body is never read: close its connection rather than leave it to the collector.
      if (error instanceof HTTPError) void error.response.body?.cancel().catch(() => {});
      onRetry(plan, retryCount);
      await pause(plan.delayMs, call.waitSignal ?? call.signal);
      return true;
    },
  };
}

/** Waits `ms`, or rejects with the signal's own reason (not timers' AbortError) as soon as it aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return wait(ms, undefined, signal ? { signal } : {}).catch((error: unknown) => {
    throw signal?.aborted ? abortReason(signal) : error;
  });
}

/** Whether (and after how long) to retry after a failed attempt; `retryCount` is the retry about to be made. */
export function planRetry(error: Error, retryCount: number, limits: RetryLimits, call: RetryCall): RetryPlan | undefined {
  if (call.signal?.aborted) return undefined;
  const room = timeLeft(call.deadline) - MIN_ATTEMPT_MS;
  // The plan, unless the wait would leave the next attempt too little time.
  const after = (plan: RetryPlan) => (room - plan.delayMs < MIN_ATTEMPT_MS ? undefined : plan);
  if (!(error instanceof HTTPError)) {
    const reason = noAnswerReason(error, call.attemptTimeoutMs);
    return reason === undefined ? undefined : after({ reason, delayMs: backoff(retryCount), retryAfter: false });
  }
  const status = error.response.status;
  const statusCodes = call.policy === 'read' ? RETRY_STATUS : WRITE_RETRY_STATUS;
  if (!statusCodes.includes(status)) return undefined;
  const reason = `HTTP ${status}`;
  const seconds = RETRY_AFTER_STATUS.includes(status) ? retryAfterSeconds(error.response.headers) : undefined;
  if (seconds === undefined) return after({ reason, status, delayMs: backoff(retryCount), retryAfter: false });
  // When the upstream asks for a wait that would pass the deadline, give its answer to the agent now.
  if (seconds * 1000 > room) return undefined;
  return after({ reason, status, delayMs: Math.min(seconds * 1000, limits.maxRetryAfterMs), retryAfter: true });
}

/** Why an attempt got no (whole) answer, when asking again may help; undefined when it cannot. */
function noAnswerReason(error: Error, attemptTimeoutMs: number): string | undefined {
  if (error instanceof TimeoutError) return `no answer within ${Math.round(attemptTimeoutMs)} ms`;
  if (isUnresolvableHost(error)) return undefined;
  // A body that trickles in or breaks off is no answer either; one over the cap would come back the same.
  if (error instanceof BodyTimeoutError) return `the body did not arrive within ${Math.round(attemptTimeoutMs)} ms`;
  if (error instanceof BodyTooLargeError || isAbort(error)) return undefined;
  if (error instanceof BodyStreamError) return error.message;
  return networkReason(error);
}

/** Full jitter: a random wait between 0 and the exponential backoff. */
function backoff(retryCount: number): number {
  return Math.round(Math.random() * Math.min(250 * 2 ** (retryCount - 1), MAX_BACKOFF_MS));
}

/** Retry-After as seconds: a number of seconds or an HTTP date. */
export function retryAfterSeconds(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** The call's own signal ended the wait (its deadline or a cancellation): nothing to retry. */
function isAbort(error: unknown): boolean {
  const name = (error as Error)?.name;
  return name === 'AbortError' || name === 'TimeoutError';
}

/** The network failure's code (ECONNRESET, ENOTFOUND, ...) or message. */
export function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? 'unknown network error';
}
