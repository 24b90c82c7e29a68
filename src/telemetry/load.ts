import type { Logger } from '../logger.js';
import { telemetryWanted, type TelemetryConfig } from '../config/telemetry-config.js';
import type { Telemetry } from './types.js';

/**
 * The telemetry the configuration asks for, or undefined. OpenTelemetry is imported only here and only when
 * configured, so a server without OTEL_* / MCP_METRICS_KEY starts and runs exactly as before.
 */
export async function loadTelemetry(config: TelemetryConfig, log: Logger): Promise<Telemetry | undefined> {
  if (!telemetryWanted(config)) return undefined;
  const { startOpenTelemetry } = await import('./otel.js');
  return startOpenTelemetry(config, log);
}
