import { metrics as noMetrics, type Meter, type Tracer } from '@opentelemetry/api';
import { defaultResource, detectResources, envDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type MetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { setAttemptTracer } from '../clients/attempt-trace.js';
import type { TelemetryConfig } from '../config/telemetry-config.js';
import type { Logger } from '../logger.js';
import { VERSION } from '../version.js';
import { attemptTracer } from './attempt-spans.js';
import { createServerMetrics } from './metrics.js';
import { startToolCallTrace } from './tool-call-trace.js';
import type { Telemetry } from './types.js';

const SCOPE = 'customer-api-mcp';

/**
 * OpenTelemetry as configured: a tracer provider exporting over OTLP/HTTP (its endpoint, headers, timeout, sampler
 * and batch settings read from the standard OTEL_* variables by the SDK itself), a meter provider exporting over
 * OTLP and/or read by the Prometheus endpoint. Registered as the process's global provider and W3C propagator.
 */
export async function startOpenTelemetry(config: TelemetryConfig, log: Logger): Promise<Telemetry> {
  const resource = serviceResource();
  const tracerProvider = config.traces ? await startTracing(config, resource) : undefined;
  const readers: MetricReader[] = [];
  if (config.otlpMetrics) readers.push(await otlpMetricReader(config));
  const prometheus = config.metricsKey ? await prometheusReader() : undefined;
  if (prometheus) readers.push(prometheus);
  const meterProvider = readers.length > 0 ? new MeterProvider({ resource, readers }) : undefined;
  const tracer: Tracer | undefined = tracerProvider?.getTracer(SCOPE, VERSION);
  const meter: Meter = meterProvider?.getMeter(SCOPE, VERSION) ?? noMetrics.getMeter(SCOPE);
  const serverMetrics = createServerMetrics(meter);
  setAttemptTracer(attemptTracer(tracer, serverMetrics));
  log.info({ traces: config.traces, otlpMetrics: config.otlpMetrics, prometheus: Boolean(prometheus), protocol: config.protocol }, 'OpenTelemetry on');
  return {
    toolCall: (start) => startToolCallTrace(start, tracer, serverMetrics),
    refused: (reason, tenant, count = 1) => serverMetrics.refused(reason, tenant, count),
    observeSessions: (count) => serverMetrics.observeSessions(count),
    ...(prometheus ? { scrape: (req, res) => prometheus.getMetricsRequestHandler(req, res) } : {}),
    async close() {
      setAttemptTracer(undefined);
      await Promise.allSettled([tracerProvider?.shutdown(), meterProvider?.shutdown()]);
    },
  };
}

/** service.name customer-api-mcp and its version, under what OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES say. */
function serviceResource(): Resource {
  return defaultResource()
    .merge(resourceFromAttributes({ 'service.name': SCOPE, 'service.version': VERSION }))
    .merge(detectResources({ detectors: [envDetector] }));
}

async function startTracing(config: TelemetryConfig, resource: Resource): Promise<NodeTracerProvider> {
  const { OTLPTraceExporter } =
    config.protocol === 'http/json' ? await import('@opentelemetry/exporter-trace-otlp-http') : await import('@opentelemetry/exporter-trace-otlp-proto');
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
  // The AsyncLocalStorage context (a call's upstream attempts find its span) and the W3C propagator.
  provider.register();
  return provider;
}

async function otlpMetricReader(config: TelemetryConfig): Promise<MetricReader> {
  const { OTLPMetricExporter } =
    config.protocol === 'http/json' ? await import('@opentelemetry/exporter-metrics-otlp-http') : await import('@opentelemetry/exporter-metrics-otlp-proto');
  return new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter(), exportIntervalMillis: config.metricExportIntervalMs });
}

/** The Prometheus text format, read on each scrape of /metrics (no listener of its own). */
async function prometheusReader() {
  const { PrometheusExporter } = await import('@opentelemetry/exporter-prometheus');
  return new PrometheusExporter({ preventServerStart: true });
}
