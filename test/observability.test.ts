import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/logger.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { sandboxPartsSource } from '../src/sandbox-tenants.js';
import { createMcpServer } from '../src/server.js';
import { MemoryStore } from '../src/state/memory.js';
import { buildTenantRuntime } from '../src/tenant-runtime.js';
import { routeTemplate } from '../src/telemetry/route-template.js';
import { cleanEnv, sandboxLiveVariables } from './support/cli.js';
import { orderFromSeed, type Structured } from './support/harness.js';
import { connectHttp, killAllChildren, ok, rawRequest, spawnHttpCli, waitFor, type HttpClient, type HttpProcess } from './support/http.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';

const API_KEY = 'observability-test-key-0123456789';
const METRICS_KEY = 'metrics-scrape-key-0123456789';
const SERVER = 2;
const CLIENT = 3;
const RATE_LIMIT = 20;

/** A live-mode server (tenant acme's demo credentials) over the test's sandbox, with the given OTEL_* variables. */
function liveEnv(sandbox: Sandbox, extra: Record<string, string>): Record<string, string> {
  return cleanEnv({
    ...sandboxLiveVariables(sandbox, { augur: false }),
    MCP_HTTP_API_KEY: API_KEY,
    LOG_LEVEL: 'warn',
    // Spans leave in batches: a short delay keeps the test from waiting the default 5 s.
    OTEL_BSP_SCHEDULE_DELAY: '100',
    ...extra,
  });
}

/**
 * The arguments of a valid create_order, found through an in-process server with no telemetry over the same
 * sandbox: the traced server's first upstream request is then the order's own (its token request included).
 */
async function orderArguments(sandbox: Sandbox): Promise<{ args: Structured; untracedRequests: Sandbox['requests'] }> {
  const runtime = buildTenantRuntime({ name: 'prep', partssource: sandboxPartsSource(sandbox, 'acme', { timeoutMs: 5_000 }) }, { store: new MemoryStore() });
  const server = createMcpServer({ clients: runtime.clients, state: runtime.state, confirmationSecret: runtime.confirmationSecret, log: silentLogger() });
  const client = new Client({ name: 'prep', version: '1.0.0' });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(b), client.connect(a)]);
  const call = async (name: string, args: Structured) => (await client.callTool({ name, arguments: args })).structuredContent as Structured;
  const before = sandbox.requests.length;
  const { user } = await call('lookup_user', { userId: 12345 });
  const parts = await call('search_parts', { keyword: 'probe', limit: 5 });
  const productId = parts.items[0].productId as string;
  const { part } = await call('get_part_detail', { productId, requesterId: user.contactId });
  const option = part.options.find((o: Structured) => !o.requiredFields?.length);
  const untracedRequests = sandbox.requests.slice(before);
  await client.close();
  await server.close();
  return { args: orderFromSeed(user, productId, option, 1), untracedRequests };
}

/** `00-<trace id>-<parent id>-<flags>` split into its parts. */
function traceparentOf(header: string | undefined) {
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/.exec(header ?? '');
  expect(match, `traceparent ${header}`).not.toBeNull();
  return { traceId: match![1]!, parentId: match![2]! };
}

async function spansWhere(receiver: OtlpReceiver, what: string, match: (spans: ReceivedSpan[]) => boolean): Promise<ReceivedSpan[]> {
  await waitFor(() => match(receiver.spans()), what, 20_000);
  return receiver.spans();
}

/** Prometheus text → samples `{ name, labels, value }`. */
function parsePrometheus(text: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

describe('observability: OTLP/JSON traces, /metrics (stateless HTTP, CLI process)', { timeout: 120_000 }, () => {
  let sandbox: Sandbox;
  let receiver: OtlpReceiver;
  let server: HttpProcess;
  let client: HttpClient;
  let order: Awaited<ReturnType<typeof orderArguments>>;

  const auditLog = join(mkdtempSync(join(tmpdir(), 'otel-audit-')), 'audit.jsonl');

  beforeAll(async () => {
    sandbox = await startSandbox();
    receiver = await startOtlpReceiver();
    order = await orderArguments(sandbox);
    server = await spawnHttpCli(
      ['--stateless', '--port', '0', '--rate-limit', String(RATE_LIMIT), '--audit-log', auditLog],
      liveEnv(sandbox, {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'mcp-under-test',
        OTEL_METRIC_EXPORT_INTERVAL: '1000',
        MCP_METRICS_KEY: METRICS_KEY,
      }),
    );
    client = await connectHttp(server.url, API_KEY);
  });
  afterAll(async () => {
    await client?.close();
    killAllChildren();
    await receiver?.close();
    await sandbox?.close();
  });

  it('without telemetry (the in-process server) no upstream request carries a traceparent', () => {
    expect(order.untracedRequests.length).toBeGreaterThanOrEqual(4);
    for (const request of order.untracedRequests) expect(request.headers.traceparent).toBeUndefined();
  });

  it('one create_order: a SERVER span with the MCP attributes, CLIENT spans for the token and the POST, the same trace upstream', async () => {
    sandbox.clearRequests();
    const created = ok(await client.call('create_order', order.args));
    const spans = await spansWhere(receiver, 'the create_order span and its children', (all) => {
      const root = all.find((s) => s.name === 'tools/call create_order');
      return root !== undefined && all.filter((s) => s.parentSpanId === root.spanId).length >= 2;
    });
    const root = spans.find((s) => s.name === 'tools/call create_order')!;
    expect(root.kind).toBe(SERVER);
    expect(root.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'create_order',
      'gen_ai.operation.name': 'execute_tool',
      'customer_api.correlation_id': created.correlationId,
      'customer_api.tenant': 'default',
    });
    expect(typeof root.attributes['jsonrpc.request.id']).toBe('string');
    expect(root.attributes['error.type']).toBeUndefined();
    expect(root.resource['service.name']).toBe('mcp-under-test');
    // Never the arguments: no value of the order's body appears among the span's attributes.
    expect(JSON.stringify(root.attributes)).not.toContain(String(order.args.items[0].priceOptionId));

    const children = spans.filter((s) => s.parentSpanId === root.spanId);
    const token = children.find((s) => s.attributes['customer_api.request.kind'] === 'token')!;
    const post = children.find((s) => s.name === 'POST /orders')!;
    expect(token).toMatchObject({ kind: CLIENT, traceId: root.traceId, name: 'POST /partssource/oauth2/token' });
    expect(token.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.response.status_code': 200, 'customer_api.attempt': 1 });
    expect(post.kind).toBe(CLIENT);
    expect(post.attributes).toMatchObject({ 'http.request.method': 'POST', 'url.template': '/orders', 'customer_api.upstream': 'partssource' });
    expect([200, 201]).toContain(post.attributes['http.response.status_code']);

    // What the sandbox received: the same trace, each request's parent being its own CLIENT span.
    const upstreamPost = sandbox.requests.find((r) => r.method === 'POST' && r.path === '/customer/orders')!;
    const upstreamToken = sandbox.requests.find((r) => r.path === '/oauth2/token')!;
    expect(traceparentOf(upstreamPost.headers.traceparent)).toEqual({ traceId: root.traceId, parentId: post.spanId });
    expect(traceparentOf(upstreamToken.headers.traceparent)).toEqual({ traceId: root.traceId, parentId: token.spanId });
    // The write's audit record names the same trace (src/audit/).
    const records = readFileSync(auditLog, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.filter((r) => r.correlationId === created.correlationId)).toEqual([
      expect.objectContaining({ tool: 'create_order', outcome: 'placed', traceId: root.traceId }),
    ]);
  });

  it("continues the caller's trace from params._meta.traceparent, and marks a failed call tool_error", async () => {
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const result = await client.client.callTool({ name: 'get_order', arguments: { orderId: 999_999_999 }, _meta: { traceparent: `00-${callerTrace}-${callerSpan}-01` } });
    expect(result.isError).toBe(true);
    const code = (result.structuredContent as Structured).error.code as string;
    const spans = await spansWhere(receiver, 'the get_order span', (all) => all.some((s) => s.name === 'tools/call get_order'));
    const span = spans.find((s) => s.name === 'tools/call get_order')!;
    expect(span).toMatchObject({ traceId: callerTrace, parentSpanId: callerSpan, kind: SERVER });
    expect(span.attributes).toMatchObject({ 'error.type': 'tool_error', 'customer_api.error.code': code });
    expect(span.status.code).toBe(2); // ERROR
    const upstream = sandbox.requests.find((r) => r.path.startsWith('/customer/orders/999999999'))!;
    expect(traceparentOf(upstream.headers.traceparent).traceId).toBe(callerTrace);
    const get = spans.find((s) => s.traceId === callerTrace && s.kind === CLIENT)!;
    expect(get.attributes['url.template']).toBe('/orders/{id}');
  });

  it('exports metrics over OTLP, and /metrics answers the key alone, behind the Host check', async () => {
    await waitFor(() => receiver.metricNames().includes('mcp.server.operation.duration'), 'an OTLP metrics export', 20_000);
    expect(receiver.metricNames()).toContain('customer_api.upstream.request.duration');
    const metricsUrl = new URL('/metrics', server.url).toString();
    expect((await rawRequest(metricsUrl)).status).toBe(401);
    expect((await rawRequest(metricsUrl, { headers: { authorization: `Bearer ${API_KEY}` } })).status).toBe(401);
    expect((await rawRequest(metricsUrl, { headers: { authorization: `Bearer ${METRICS_KEY}`, host: 'evil.example' } })).status).toBe(403);
    const scrape = await rawRequest(metricsUrl, { headers: { authorization: `Bearer ${METRICS_KEY}` } });
    expect(scrape.status).toBe(200);
    const samples = parsePrometheus(scrape.text);
    const count = (tool: string, failed: boolean) =>
      samples.find((s) => s.name.startsWith('mcp_server_operation_duration') && s.name.endsWith('_count') && s.labels.gen_ai_tool_name === tool && (s.labels.error_type === 'tool_error') === failed)?.value;
    expect(count('create_order', false)).toBe(1);
    expect(count('get_order', true)).toBe(1);
    const tokens = samples.filter((s) => s.name.startsWith('customer_api_upstream_token_requests') && s.labels.outcome === 'ok');
    expect(tokens.reduce((sum, s) => sum + s.value, 0)).toBe(1);
  });

  it('counts the requests refused by the rate limit', async () => {
    let refused = 0;
    for (let i = 0; i < RATE_LIMIT + 2; i++) {
      const answer = await rawRequest(server.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, accept: 'application/json, text/event-stream', 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: i, method: 'tools/list', params: {} }),
      });
      if (answer.status === 429) refused += 1;
    }
    expect(refused).toBeGreaterThanOrEqual(2);
    const scrape = await rawRequest(new URL('/metrics', server.url).toString(), { headers: { authorization: `Bearer ${METRICS_KEY}` } });
    const samples = parsePrometheus(scrape.text).filter((s) => s.name.startsWith('customer_api_http_refusals') && s.labels.reason === 'rate_limit');
    expect(samples.reduce((sum, s) => sum + s.value, 0)).toBe(refused);
  });
});

describe('observability: OTLP/protobuf traces alone (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), stateful HTTP', { timeout: 120_000 }, () => {
  let sandbox: Sandbox;
  let receiver: OtlpReceiver;
  let server: HttpProcess;
  let client: HttpClient;

  beforeAll(async () => {
    sandbox = await startSandbox();
    receiver = await startOtlpReceiver();
    server = await spawnHttpCli(['--port', '0'], liveEnv(sandbox, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces` }));
    client = await connectHttp(server.url, API_KEY);
  });
  afterAll(async () => {
    await client?.close();
    killAllChildren();
    await receiver?.close();
    await sandbox?.close();
  });

  it('sends protobuf (the default protocol) with the trace id the upstream saw and the session id; no metrics, no /metrics', async () => {
    ok(await client.call('lookup_user', { userId: 12345 }));
    const upstream = sandbox.requests.find((r) => r.path.startsWith('/customer/users'))!;
    const traceId = Buffer.from(traceparentOf(upstream.headers.traceparent).traceId, 'hex');
    const sessionId = client.transport.sessionId!;
    expect(sessionId).toBeTruthy();
    // Protobuf keeps the 16 bytes of the trace id and every string as they are: no decoder needed to find them.
    const carries = (body: Buffer) =>
      body.includes(traceId) && body.includes(Buffer.from('tools/call lookup_user')) && body.includes(Buffer.from('mcp.session.id')) && body.includes(Buffer.from(sessionId));
    await waitFor(() => receiver.exports.some((e) => e.path === '/v1/traces' && carries(e.body)), 'a protobuf traces export with the trace id', 20_000);
    const traces = receiver.exports.filter((e) => e.path === '/v1/traces');
    expect(traces.every((e) => e.contentType === 'application/x-protobuf')).toBe(true);
    expect(receiver.exports.filter((e) => e.path !== '/v1/traces')).toEqual([]);
    const scrape = await rawRequest(new URL('/metrics', server.url).toString(), { headers: { authorization: `Bearer ${METRICS_KEY}` } });
    expect(scrape.status).toBe(404);
  });
});

describe('route templates (span names and metric labels carry no ids)', () => {
  it('replaces every segment with a digit, an escape or a long value by {id}', () => {
    expect(routeTemplate('/orders/100234')).toBe('/orders/{id}');
    expect(routeTemplate('/customers/42/addresses')).toBe('/customers/{id}/addresses');
    expect(routeTemplate('/users/by-name/j%C3%B6rg')).toBe('/users/by-name/{id}');
    expect(routeTemplate('/catalog/search')).toBe('/catalog/search');
    expect(routeTemplate('')).toBe('/');
  });
});
