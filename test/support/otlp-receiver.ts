import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One span as the OTLP/JSON exporter sends it, its attributes flattened. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind: 2 SERVER, 3 CLIENT. */
  kind: number;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
  status: { code?: number; message?: string };
  resource: Record<string, unknown>;
}

export interface ReceivedExport {
  path: string;
  contentType: string;
  body: Buffer;
}

export interface OtlpReceiver {
  /** The base URL for OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  /** Every POST received (traces and metrics, JSON or protobuf), oldest first. */
  exports: ReceivedExport[];
  /** The spans of every JSON traces export received. */
  spans(): ReceivedSpan[];
  /** The metric names of every JSON metrics export received. */
  metricNames(): string[];
  close(): Promise<void>;
}

interface JsonAttribute {
  key: string;
  value: Record<string, unknown>;
}

/** An OTLP/HTTP collector on loopback: it answers 200 to /v1/traces and /v1/metrics and keeps what it was sent. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const exports: ReceivedExport[] = [];
  const server: Server = createServer((req, res) => {
    void readAll(req).then((body) => {
      exports.push({ path: req.url ?? '', contentType: String(req.headers['content-type'] ?? ''), body });
      const json = String(req.headers['content-type']).includes('json');
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const jsonOf = (path: string) => exports.filter((e) => e.path === path && e.contentType.includes('json')).map((e) => JSON.parse(e.body.toString('utf8')));
  return {
    url: `http://127.0.0.1:${port}`,
    exports,
    spans: () => jsonOf('/v1/traces').flatMap(spansOf),
    metricNames: () =>
      jsonOf('/v1/metrics').flatMap((body) =>
        (body.resourceMetrics ?? []).flatMap((rm: any) => (rm.scopeMetrics ?? []).flatMap((sm: any) => (sm.metrics ?? []).map((m: any) => m.name as string))), // eslint-disable-line @typescript-eslint/no-explicit-any
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function spansOf(body: any): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((rs: any) => {
    const resource = attributes(rs.resource?.attributes);
    return (rs.scopeSpans ?? []).flatMap((ss: any) =>
      (ss.spans ?? []).map((span: any) => ({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? '',
        name: span.name,
        kind: span.kind,
        attributes: attributes(span.attributes),
        events: (span.events ?? []).map((e: any) => ({ name: e.name, attributes: attributes(e.attributes) })),
        status: span.status ?? {},
        resource,
      })),
    );
  });
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** OTLP/JSON attributes (`[{key, value: {stringValue}}]`) as a plain object. */
function attributes(list: JsonAttribute[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of list ?? []) {
    const v = value.stringValue ?? value.intValue ?? value.doubleValue ?? value.boolValue;
    out[key] = typeof v === 'string' && value.intValue !== undefined ? Number(v) : v;
  }
  return out;
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
