import type { Upstream } from './errors.js';

/**
 * One upstream HTTP attempt as a tracer sees it (observability, src/telemetry/): the clients know nothing of
 * OpenTelemetry, only that an attempt may carry extra headers (W3C `traceparent`) and is reported when it ends.
 * Unset (the default), an attempt costs one check.
 */
export interface AttemptInfo {
  upstream: Upstream;
  method: string;
  /** The request path as sent (ids included); the tracer turns it into a route template. */
  path: string;
  /** How the configured URL is named, e.g. `base URL`, `token URL (PARTSSOURCE_TOKEN_URL)`. */
  urlName: string;
  url: string;
  /** 1 for the first attempt, 2 for the first retry. */
  attempt: number;
}

export interface AttemptSpan {
  /** Headers the attempt carries (e.g. traceparent). */
  headers: Record<string, string>;
  /** The attempt's end: the status of its answer, or the failure that stopped it. */
  end(outcome: { status?: number; error?: unknown }): void;
}

export type AttemptTracer = (attempt: AttemptInfo) => AttemptSpan | undefined;

let tracer: AttemptTracer | undefined;

/** Installed once by the telemetry when it is configured (one per process, like the OpenTelemetry globals). */
export function setAttemptTracer(next: AttemptTracer | undefined): void {
  tracer = next;
}

/** Wraps one attempt's fetch: its span started, its headers added, its end reported (the body read included). */
export function tracedAttempt(fetch: typeof globalThis.fetch, info: () => AttemptInfo): typeof globalThis.fetch {
  if (!tracer) return fetch;
  const current = tracer;
  return async (input, init) => {
    let span: AttemptSpan | undefined;
    try {
      span = current(info());
    } catch {
      span = undefined; // a tracer's failure is never the call's
    }
    if (!span) return fetch(input, init);
    if (input instanceof Request) for (const [name, value] of Object.entries(span.headers)) input.headers.set(name, value);
    try {
      const response = await fetch(input, init);
      span.end({ status: response.status });
      return response;
    } catch (error) {
      span.end({ error });
      throw error;
    }
  };
}
