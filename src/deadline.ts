/**
 * A deadline a call holds: an AbortController aborted by a setTimeout (reason: a TimeoutError DOMException) or
 * by one of its parent signals (its reason), until `dispose()` clears the timer and the listeners.
 *
 * Why not `AbortSignal.any([parent, AbortSignal.timeout(ms)])`: on Node 20 the timeout signal nested in `any()`
 * can be garbage collected before it fires, and a call waiting on a stalled body then never ends. A timer in
 * the timer list and a listener on the parent keep this one alive until it fires or is disposed.
 */
export interface HeldDeadline {
  readonly signal: AbortSignal;
  /** Epoch ms at which the signal aborts. */
  readonly at: number;
  /** Clears the timer and the parent listener; call it when the call ends, whatever the outcome. */
  dispose(): void;
}

/** When each held deadline's signal aborts at the latest: a call under one needs no second deadline of its own. */
const HELD_UNTIL = new WeakMap<AbortSignal, number>();

/** Epoch ms by which `signal` aborts, when it is a held deadline's. */
export function heldUntil(signal: AbortSignal | undefined): number | undefined {
  return signal === undefined ? undefined : HELD_UNTIL.get(signal);
}

/** `reason`: the message of the TimeoutError DOMException the signal aborts with, or the error itself. */
export function holdDeadline(
  timeoutMs: number,
  parents?: AbortSignal | ReadonlyArray<AbortSignal | undefined>,
  reason: string | (() => Error) = `no answer within ${timeoutMs} ms`,
): HeldDeadline {
  const controller = new AbortController();
  const at = Date.now() + timeoutMs;
  const timer = setTimeout(() => controller.abort(typeof reason === 'string' ? new DOMException(reason, 'TimeoutError') : reason()), timeoutMs);
  HELD_UNTIL.set(controller.signal, at);
  // Parents (the client's cancellation, a shutdown) are listened to directly, not through AbortSignal.any().
  const sources = (Array.isArray(parents) ? parents : [parents]).filter((p): p is AbortSignal => p !== undefined);
  const listeners = sources.map((parent) => {
    const onAbort = () => controller.abort(abortReason(parent));
    if (parent.aborted) onAbort();
    else parent.addEventListener('abort', onAbort, { once: true });
    return () => parent.removeEventListener('abort', onAbort);
  });
  return {
    signal: controller.signal,
    at,
    dispose() {
      clearTimeout(timer);
      for (const remove of listeners) remove();
    },
  };
}

/** Why `signal` aborted, as an Error: a cancellation's reason may be a bare string (the SDK passes the client's). */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException(String(reason ?? 'the call was cancelled'), 'AbortError');
}

/**
 * `promise`, or `onAbort()` thrown as soon as `signal` aborts: for waits the caller does not own (a token
 * request shared by every concurrent call keeps going for the others).
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort: () => Error): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
