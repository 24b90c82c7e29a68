import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Tracer } from '@opentelemetry/api';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { UpstreamEvent } from '../clients/events.js';
import type { ServerMetrics } from './metrics.js';
import { routeTemplate } from './route-template.js';
import type { ToolCallStart, ToolCallTrace } from './types.js';

const METHOD = 'tools/call';

/**
 * One tools/call as a SERVER span after the MCP semantic conventions (`tools/call {tool}`, mcp.method.name,
 * gen_ai.tool.name, gen_ai.operation.name, error.type) plus our correlationId, tenant and error code; never the
 * arguments or the result. A caller's `_meta.traceparent` is its parent. Without a tracer: the metrics alone.
 */
export function startToolCallTrace(start: ToolCallStart, tracer: Tracer | undefined, metrics: ServerMetrics): ToolCallTrace {
  const begun = performance.now();
  const common: Attributes = { 'mcp.method.name': METHOD, 'gen_ai.tool.name': start.tool };
  const span = tracer?.startSpan(`${METHOD} ${start.tool}`, { kind: SpanKind.SERVER, attributes: spanAttributes(start, common) }, callerContext(start));
  const spanContext = span ? trace.setSpan(context.active(), span) : undefined;
  return {
    ...(span ? { traceId: span.spanContext().traceId } : {}),
    run: (work) => (spanContext ? context.with(spanContext, work) : work()),
    observe(event) {
      metrics.upstreamEvent(event, start.tenant);
      if (span && event.type !== 'response') span.addEvent(event.type, eventAttributes(event));
    },
    end(result) {
      const code = errorCode(result);
      const failed = result.isError === true;
      metrics.toolCall((performance.now() - begun) / 1000, {
        ...common,
        ...(failed ? { 'error.type': 'tool_error', 'customer_api.error.code': code ?? 'unknown' } : {}),
        ...(start.tenant ? { 'customer_api.tenant': start.tenant } : {}),
      });
      if (!span) return;
      if (failed) {
        span.setAttributes({ 'error.type': 'tool_error', ...(code ? { 'customer_api.error.code': code } : {}) });
        span.setStatus({ code: SpanStatusCode.ERROR, ...(code ? { message: code } : {}) });
      }
      span.end();
    },
  };
}

function spanAttributes(start: ToolCallStart, common: Attributes): Attributes {
  return {
    ...common,
    'gen_ai.operation.name': 'execute_tool',
    'customer_api.correlation_id': start.correlationId,
    ...(start.requestId !== undefined ? { 'jsonrpc.request.id': String(start.requestId) } : {}),
    ...(start.sessionId ? { 'mcp.session.id': start.sessionId } : {}),
    ...(start.tenant ? { 'customer_api.tenant': start.tenant } : {}),
  };
}

/** The caller's trace from `params._meta` (W3C trace context), else the context of this request. */
function callerContext(start: ToolCallStart) {
  if (typeof start.traceparent !== 'string') return context.active();
  const carrier: Record<string, string> = { traceparent: start.traceparent };
  if (typeof start.tracestate === 'string') carrier.tracestate = start.tracestate;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** The plain facts of an event (no secret is ever in one: see src/clients/events.ts). */
function eventAttributes(event: UpstreamEvent): Attributes {
  const attributes: Attributes = {};
  for (const [key, value] of Object.entries(event)) {
    if (key === 'type' || key === 'path') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') attributes[key] = value;
  }
  attributes['http.route'] = routeTemplate(event.path);
  return attributes;
}

function errorCode(result: CallToolResult): string | undefined {
  const error = (result.structuredContent as { error?: { code?: unknown } } | undefined)?.error;
  return typeof error?.code === 'string' ? error.code : undefined;
}

