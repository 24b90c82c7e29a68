import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { CallObserver } from '../clients/events.js';

/**
 * What the server asks of its telemetry (traces and metrics, src/telemetry/otel.ts). Absent when nothing is
 * configured: then OpenTelemetry is not even imported, and each place that would report costs one check.
 */
export interface Telemetry {
  /** The SERVER span and the metrics of one tools/call. */
  toolCall(start: ToolCallStart): ToolCallTrace;
  /** HTTP requests (or batch members) refused by a tenant's limits. */
  refused(reason: 'rate_limit' | 'concurrency' | 'batch_member', tenant: string, count?: number): void;
  /** Reports the open HTTP sessions as a gauge, read at each collection. */
  observeSessions(count: () => number): void;
  /** Answers a Prometheus scrape (the caller has checked Host and key); absent when /metrics is off. */
  readonly scrape?: (req: IncomingMessage, res: ServerResponse) => void;
  /** Flushes what is pending (spans, a last metric export) and stops. */
  close(): Promise<void>;
}

export interface ToolCallStart {
  tool: string;
  correlationId: string;
  tenant?: string;
  sessionId?: string;
  requestId?: string | number;
  /** The caller's `params._meta.traceparent` / `tracestate`: the span continues that trace. */
  traceparent?: unknown;
  tracestate?: unknown;
}

export interface ToolCallTrace {
  /** Runs the call inside the span's context, so that its upstream attempts become its children. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** The call's upstream events (retries, circuit, token refreshes, answers): span events and metrics. */
  observe: CallObserver;
  end(result: CallToolResult): void;
  /** The span's trace id (for the audit record); absent without a tracer. */
  readonly traceId?: string;
}
