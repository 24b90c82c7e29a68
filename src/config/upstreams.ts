import type { AugurConfig } from '../clients/augur.js';
import type { PartsSourceConfig } from '../clients/partssource.js';
import type { FaultRule } from '../sandbox/faults.js';
import { ConfigError } from './config-error.js';
import { OPTIONS, type Settings } from './options.js';

export interface AppConfig {
  /** `sandbox`: the embedded sandbox is started in process and used with its demo credentials. */
  mode: 'sandbox' | 'live';
  /** Why sandbox mode was chosen (for the stderr notice). */
  sandboxReason?: 'flag' | 'no-credentials';
  partssource?: PartsSourceConfig;
  augur?: AugurConfig;
  /** `--faults FILE` (sandbox mode only); the CLI reads it with the sandbox's own parser into `sandboxFaults`. */
  faultsFile?: string;
  /** Faults the embedded sandbox injects. */
  sandboxFaults?: FaultRule[];
  /** Per upstream attempt. */
  timeoutMs: number;
  /** A whole tool call, retries and Retry-After waits included. */
  toolTimeoutMs: number;
  /** Largest upstream response body read; past it the request is aborted (`--max-response-bytes`). */
  maxResponseBytes: number;
  logLevel: string;
}

/** The credential variables of each upstream: all or none of a service's must be set. */
export const CREDENTIAL_VARIABLES = {
  partssource: [OPTIONS.partssourceClientId.env, OPTIONS.partssourceClientSecret.env, OPTIONS.partssourceApiKey.env],
  augur: [OPTIONS.augurToken.env, OPTIONS.augurSiteId.env],
} as const;

export const DEFAULTS = {
  partssourceBaseUrl: OPTIONS.partssourceBaseUrl.default,
  partssourceTokenUrl: OPTIONS.partssourceTokenUrl.default,
  augurBaseUrl: OPTIONS.augurBaseUrl.default,
  timeoutMs: OPTIONS.httpTimeoutMs.default,
};

export const UPSTREAM_KEYS = [
  'sandbox', 'faults', 'partssourceClientId', 'partssourceClientSecret', 'partssourceApiKey', 'partssourceBaseUrl', 'partssourceTokenUrl',
  'partssourceScope', 'augurToken', 'augurSiteId', 'augurBaseUrl', 'httpTimeoutMs', 'toolTimeoutMs', 'maxResponseBytes', 'logLevel',
] as const;
export type UpstreamSettings = Settings<(typeof UPSTREAM_KEYS)[number]>;

/** Decides the mode: the sandbox with --sandbox or without any credential, else the upstreams whose credentials are set. */
export function upstreamConfig(s: UpstreamSettings): AppConfig {
  const base = { timeoutMs: s.httpTimeoutMs, toolTimeoutMs: s.toolTimeoutMs, maxResponseBytes: s.maxResponseBytes, logLevel: s.logLevel };
  const credentials = {
    partssource: [s.partssourceClientId, s.partssourceClientSecret, s.partssourceApiKey],
    augur: [s.augurToken, s.augurSiteId],
  };
  const anySet = Object.values(credentials).flat().some(Boolean);
  const config: AppConfig = s.sandbox || !anySet
    ? { mode: 'sandbox', sandboxReason: s.sandbox ? 'flag' : 'no-credentials', ...base }
    : { mode: 'live', ...base };
  if (config.mode === 'sandbox') return s.faults === undefined ? config : { ...config, faultsFile: s.faults };
  for (const [service, values] of Object.entries(credentials)) {
    const names: readonly string[] = CREDENTIAL_VARIABLES[service as keyof typeof credentials];
    const missing = names.filter((_, i) => !values[i]);
    if (missing.length > 0 && missing.length < names.length) {
      throw new ConfigError(
        `${service} is partly configured: missing ${missing.join(', ')} (set: ${names.filter((_, i) => values[i]).join(', ')}). ` +
          `Set all of ${names.join(', ')} or none of them.`,
      );
    }
  }
  if (s.faults !== undefined) throw new ConfigError('--faults (SANDBOX_FAULTS_FILE) applies to the embedded sandbox only');
  const limits = { timeoutMs: s.httpTimeoutMs, maxResponseBytes: s.maxResponseBytes };
  if (s.partssourceClientId && s.partssourceClientSecret && s.partssourceApiKey) {
    config.partssource = {
      baseUrl: s.partssourceBaseUrl,
      tokenUrl: s.partssourceTokenUrl,
      clientId: s.partssourceClientId,
      clientSecret: s.partssourceClientSecret,
      apiKey: s.partssourceApiKey,
      ...(s.partssourceScope ? { scope: s.partssourceScope } : {}),
      ...limits,
    };
  }
  if (s.augurToken && s.augurSiteId) {
    config.augur = { baseUrl: s.augurBaseUrl, token: s.augurToken, siteId: s.augurSiteId, ...limits };
  }
  return config;
}

/** Endpoints and timeout from the environment, whether or not credentials are set (defaults for tenants files). */
export interface EndpointDefaults {
  partssourceBaseUrl: string;
  partssourceTokenUrl: string;
  partssourceScope?: string;
  augurBaseUrl: string;
  timeoutMs: number;
  /** Absent: the default cap (10 MB). */
  maxResponseBytes?: number;
}

export function endpointDefaults(s: UpstreamSettings): EndpointDefaults {
  return {
    partssourceBaseUrl: s.partssourceBaseUrl,
    partssourceTokenUrl: s.partssourceTokenUrl,
    ...(s.partssourceScope ? { partssourceScope: s.partssourceScope } : {}),
    augurBaseUrl: s.augurBaseUrl,
    timeoutMs: s.httpTimeoutMs,
    maxResponseBytes: s.maxResponseBytes,
  };
}
