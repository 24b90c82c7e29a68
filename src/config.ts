/**
 * The configuration: one option table (config/options.ts), read once (config/environment.ts), resolved per mode
 * (config/resolve.ts) into the views below. The `load*` functions resolve one view from an environment and
 * flags, for callers that need only that view.
 */
import { readEnvironment } from './config/environment.js';
import { HTTP_KEYS, httpConfig, type HttpConfig } from './config/http-config.js';
import type { Mode, OptionKey } from './config/options.js';
import { resolveSettings, type FlagValues } from './config/resolve.js';
import { STATE_KEYS, stateConfig, type StateConfig } from './config/state-config.js';
import { TELEMETRY_KEYS, telemetryConfig, type TelemetryConfig } from './config/telemetry-config.js';
import { TOOL_KEYS, toolOptions, type ToolOptions } from './config/tool-options.js';
import { endpointDefaults, UPSTREAM_KEYS, upstreamConfig, type AppConfig, type EndpointDefaults } from './config/upstreams.js';

export { ConfigError } from './config/config-error.js';
export { HTTP_DEFAULTS, isLoopbackHost, MIN_API_KEY_LENGTH, type HttpConfig } from './config/http-config.js';
export { MIN_STATE_ENCRYPTION_KEY_LENGTH, type StateConfig } from './config/state-config.js';
export type { ToolOptions } from './config/tool-options.js';
export { CREDENTIAL_VARIABLES, DEFAULTS, type AppConfig, type EndpointDefaults } from './config/upstreams.js';

const resolve = <K extends OptionKey>(keys: readonly K[], mode: Mode, env: NodeJS.ProcessEnv, flags: FlagValues) =>
  resolveSettings(keys, mode, flags, readEnvironment(env));

/** The upstreams and the mode (sandbox or live). Messages name variables, never their values (secrets). */
export function loadConfig(env: NodeJS.ProcessEnv, flags: { sandbox?: boolean; faultsFile?: string; maxResponseBytes?: string } = {}): AppConfig {
  const { faultsFile, ...rest } = flags;
  return upstreamConfig(resolve(UPSTREAM_KEYS, 'stdio', env, { ...rest, ...(faultsFile !== undefined ? { faults: faultsFile } : {}) }));
}

export function loadEndpointDefaults(env: NodeJS.ProcessEnv, flags: { maxResponseBytes?: string } = {}): EndpointDefaults {
  return endpointDefaults(resolve(UPSTREAM_KEYS, 'stdio', env, flags));
}

/** The command-line flags of HTTP mode as text (they win over the environment). */
export type HttpFlags = Partial<Record<Exclude<(typeof HTTP_KEYS)[number], 'stateless' | 'apiKey'>, string>> & { stateless?: boolean };

export function loadHttpConfig(env: NodeJS.ProcessEnv, flags: HttpFlags = {}): HttpConfig {
  return httpConfig(resolve(HTTP_KEYS, 'http', env, flags));
}

export function loadStateConfig(env: NodeJS.ProcessEnv, flags: { redisUrl?: string } = {}): StateConfig {
  return stateConfig(resolve(STATE_KEYS, 'stdio', env, flags));
}

export function loadToolOptions(env: NodeJS.ProcessEnv, flags: Partial<Record<(typeof TOOL_KEYS)[number], string | boolean>> = {}): ToolOptions {
  return toolOptions(resolve(TOOL_KEYS, 'stdio', env, flags));
}

/** Traces and metrics (stdio view: no MCP_METRICS_KEY). */
export function loadTelemetryConfig(env: NodeJS.ProcessEnv): TelemetryConfig {
  return telemetryConfig(resolve(TELEMETRY_KEYS, 'stdio', env, {}));
}
