import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { AttemptInfo, AttemptTracer } from '../clients/attempt-trace.js';
import { isTokenRequest, type ServerMetrics } from './metrics.js';
import { routeTemplate } from './route-template.js';

/**
 * A CLIENT span per upstream HTTP attempt made within a traced tool call, child of that call's span, and the W3C
 * `traceparent` of the attempt's span on the request. Names and labels carry the route template, never raw ids.
 * Without a tracer, only the token-request metric is kept.
 */
export function attemptTracer(tracer: Tracer | undefined, metrics: ServerMetrics): AttemptTracer {
  return (info) => {
    const begun = performance.now();
    // Only inside a traced call: a /readyz probe's requests would otherwise be traces of their own, every few seconds.
    const parent = trace.getSpan(context.active());
    const span = parent ? tracer?.startSpan(spanName(info), { kind: SpanKind.CLIENT, attributes: attemptAttributes(info) }) : undefined;
    const headers: Record<string, string> = {};
    if (span) propagation.inject(trace.setSpan(context.active(), span), headers);
    return {
      headers,
      end(outcome) {
        metrics.attempt(info, outcome, (performance.now() - begun) / 1000);
        if (!span) return;
        if (outcome.status !== undefined) span.setAttribute('http.response.status_code', outcome.status);
        const failed = outcome.status === undefined || outcome.status >= 400;
        if (failed) {
          const type = outcome.status !== undefined ? String(outcome.status) : errorName(outcome.error);
          span.setAttribute('error.type', type);
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
      },
    };
  };
}

function template(info: AttemptInfo): string {
  return isTokenRequest(info) ? new URL(info.url).pathname : routeTemplate(info.path);
}

function spanName(info: AttemptInfo): string {
  return `${info.method} ${template(info)}`;
}

function attemptAttributes(info: AttemptInfo) {
  const url = new URL(info.url);
  return {
    'http.request.method': info.method,
    'url.template': template(info),
    'server.address': url.hostname,
    'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    'customer_api.upstream': info.upstream,
    'customer_api.request.kind': isTokenRequest(info) ? 'token' : 'api',
    'customer_api.attempt': info.attempt,
    ...(info.attempt > 1 ? { 'http.request.resend_count': info.attempt - 1 } : {}),
  };
}

/** A failure's class (`TimeoutError`, `TypeError`, ...) without its message, which may quote the upstream. */
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown';
}
