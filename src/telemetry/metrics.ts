import type { Attributes, Meter } from '@opentelemetry/api';
import type { AttemptInfo } from '../clients/attempt-trace.js';
import type { UpstreamEvent } from '../clients/events.js';
import { routeTemplate } from './route-template.js';

/** The server's instruments (README "Observability" lists them); recording never throws into a call. */
export interface ServerMetrics {
  toolCall(seconds: number, attributes: Attributes): void;
  upstreamEvent(event: UpstreamEvent, tenant: string | undefined): void;
  attempt(info: AttemptInfo, outcome: { status?: number; error?: unknown }, seconds: number): void;
  refused(reason: string, tenant: string, count: number): void;
  observeSessions(count: () => number): void;
}

/** Seconds buckets for calls that take from a few ms (sandbox) to the 30 s deadline. */
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createServerMetrics(meter: Meter): ServerMetrics {
  const seconds = { unit: 's', advice: { explicitBucketBoundaries: SECONDS } };
  const operation = meter.createHistogram('mcp.server.operation.duration', { ...seconds, description: 'MCP requests handled (tools/call), by tool and error type' });
  const upstream = meter.createHistogram('customer_api.upstream.request.duration', { ...seconds, description: 'Upstream calls, retries included, by upstream, route and outcome' });
  const retries = meter.createCounter('customer_api.upstream.retries', { description: 'Upstream attempts retried' });
  const circuitOpened = meter.createCounter('customer_api.upstream.circuit.opened', { description: 'Times a circuit breaker opened' });
  const circuitRefused = meter.createCounter('customer_api.upstream.circuit.refused', { description: 'Calls not sent because the circuit was open' });
  const tokenRequests = meter.createCounter('customer_api.upstream.token.requests', { description: 'OAuth2 token requests (attempts) by outcome' });
  const tokenRefreshes = meter.createCounter('customer_api.upstream.token.refreshes', { description: 'Tokens refused by the upstream (401) and fetched again' });
  const refusals = meter.createCounter('customer_api.http.refusals', { description: 'MCP requests refused by a tenant limit, by reason' });
  const circuitState = new Map<string, { attributes: Attributes; open: number }>();
  meter
    .createObservableGauge('customer_api.upstream.circuit.state', { description: '1 while a circuit breaker is open (after it opened, until a call passes again), else 0' })
    .addCallback((result) => {
      for (const { attributes, open } of circuitState.values()) result.observe(open, attributes);
    });
  const setCircuit = (tenant: string | undefined, upstreamName: string, open: number) =>
    circuitState.set(`${tenant}\u0000${upstreamName}`, { attributes: { 'customer_api.tenant': tenant ?? '', 'customer_api.upstream': upstreamName }, open });
  const sessions: Array<() => number> = [];
  meter
    .createObservableUpDownCounter('customer_api.http.sessions.open', { description: 'Open stateful MCP sessions' })
    .addCallback((result) => result.observe(sessions.reduce((sum, count) => sum + count(), 0)));

  return {
    toolCall: (duration, attributes) => operation.record(duration, attributes),
    upstreamEvent(event, tenant) {
      const where = { 'customer_api.upstream': event.upstream, 'http.request.method': event.method, 'http.route': routeTemplate(event.path) };
      switch (event.type) {
        case 'response':
          upstream.record(event.ms / 1000, { ...where, 'http.response.status_code': event.status, outcome: event.status < 400 ? 'ok' : 'error' });
          setCircuit(tenant, event.upstream, 0);
          break;
        case 'retry':
          retries.add(1, { ...where, ...(event.status !== undefined ? { 'http.response.status_code': event.status } : {}) });
          break;
        case 'circuit_opened':
          circuitOpened.add(1, { 'customer_api.upstream': event.upstream });
          setCircuit(tenant, event.upstream, 1);
          break;
        case 'circuit_open':
          circuitRefused.add(1, { 'customer_api.upstream': event.upstream });
          setCircuit(tenant, event.upstream, 1);
          break;
        case 'token_refresh':
          tokenRefreshes.add(1, { 'customer_api.upstream': event.upstream });
          break;
      }
    },
    attempt(info, outcome) {
      if (!isTokenRequest(info)) return;
      const attributes = { 'customer_api.upstream': info.upstream, outcome: outcome.status !== undefined && outcome.status < 400 ? 'ok' : 'error' };
      tokenRequests.add(1, outcome.status !== undefined ? { ...attributes, 'http.response.status_code': outcome.status } : attributes);
    },
    refused: (reason, tenant, count) => refusals.add(count, { reason, 'customer_api.tenant': tenant }),
    observeSessions: (count) => void sessions.push(count),
  };
}

/** The OAuth2 token endpoint's core is the one named after its URL option (src/clients/partssource-auth.ts). */
export function isTokenRequest(info: AttemptInfo): boolean {
  return info.urlName.startsWith('token URL');
}
