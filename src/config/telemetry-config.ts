import type { Settings } from './options.js';

/** What the observability options ask for; both signals off means OpenTelemetry is never loaded. */
export interface TelemetryConfig {
  /** Export traces over OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set). */
  traces: boolean;
  /** Export metrics over OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_METRICS_ENDPOINT is set). */
  otlpMetrics: boolean;
  protocol: 'http/protobuf' | 'http/json';
  metricExportIntervalMs: number;
  /** HTTP mode: the key of /metrics (MCP_METRICS_KEY); unset, there is no /metrics. A secret. */
  metricsKey?: string;
}

export const TELEMETRY_KEYS = ['otelEndpoint', 'otelTracesEndpoint', 'otelMetricsEndpoint', 'otelProtocol', 'otelMetricExportInterval'] as const;
type TelemetryKeys = (typeof TELEMETRY_KEYS)[number];

export function telemetryConfig(settings: Settings<TelemetryKeys> & Partial<Settings<'metricsKey'>>): TelemetryConfig {
  return {
    traces: Boolean(settings.otelEndpoint ?? settings.otelTracesEndpoint),
    otlpMetrics: Boolean(settings.otelEndpoint ?? settings.otelMetricsEndpoint),
    protocol: settings.otelProtocol,
    metricExportIntervalMs: settings.otelMetricExportInterval,
    ...(settings.metricsKey ? { metricsKey: settings.metricsKey } : {}),
  };
}

/** True when anything asks for OpenTelemetry (else it is not even imported). */
export const telemetryWanted = (config: TelemetryConfig): boolean => config.traces || config.otlpMetrics || config.metricsKey !== undefined;
