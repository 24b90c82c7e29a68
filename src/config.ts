import * as z from 'zod';
import type { AugurConfig } from './clients/augur.js';
import type { PartsSourceConfig } from './clients/partssource.js';
import { readFileSync } from 'node:fs';
import { DEFAULT_MAX_RESPONSE_BYTES } from './clients/read-body.js';
import { FaultFile, type FaultRule } from './sandbox/faults.js';
import { CONFIRM_WRITES_MODES, type ConfirmWrites } from './mcp/confirmation.js';
import { DEFAULT_MAX_RESULT_BYTES } from './mcp/budget.js';
import { knownNamesHint, parseList, unknownNames } from './mcp/tool-selection.js';

/** Raised for a configuration the server must not start with; the CLI exits with code 2 and this message. */
export class ConfigError extends Error {
  readonly exitCode = 2;
}

export interface AppConfig {
  /** `sandbox`: the embedded sandbox is started in process and used with its demo credentials. */
  mode: 'sandbox' | 'live';
  /** Why sandbox mode was chosen (for the stderr notice). */
  sandboxReason?: 'flag' | 'no-credentials';
  partssource?: PartsSourceConfig;
  augur?: AugurConfig;
  /** Faults the embedded sandbox injects (sandbox mode only; `--faults FILE`). */
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
  partssource: ['PARTSSOURCE_CLIENT_ID', 'PARTSSOURCE_CLIENT_SECRET', 'PARTSSOURCE_API_KEY'],
  augur: ['AUGUR_TOKEN', 'AUGUR_SITE_ID'],
} as const;

export const DEFAULTS = {
  partssourceBaseUrl: 'https://api.partssource.com/customer',
  partssourceTokenUrl: 'https://auth.partssource.com/oauth2/token',
  augurBaseUrl: 'https://customers.augur-api.com',
  timeoutMs: 15_000,
};

const httpUrl = (name: string) =>
  z.url({ protocol: /^https?$/, error: `${name} must be an http(s) URL` });

const Env = z.object({
  PARTSSOURCE_BASE_URL: httpUrl('PARTSSOURCE_BASE_URL').default(DEFAULTS.partssourceBaseUrl),
  PARTSSOURCE_TOKEN_URL: httpUrl('PARTSSOURCE_TOKEN_URL').default(DEFAULTS.partssourceTokenUrl),
  PARTSSOURCE_SCOPE: z.string().trim().min(1).optional(),
  AUGUR_BASE_URL: httpUrl('AUGUR_BASE_URL').default(DEFAULTS.augurBaseUrl),
  HTTP_TIMEOUT_MS: z.coerce
    .number({ error: 'HTTP_TIMEOUT_MS must be a number of milliseconds' })
    .int()
    .min(100, 'HTTP_TIMEOUT_MS must be at least 100')
    .max(300_000, 'HTTP_TIMEOUT_MS must be at most 300000')
    .default(DEFAULTS.timeoutMs),
  TOOL_TIMEOUT_MS: z.coerce
    .number({ error: 'TOOL_TIMEOUT_MS must be a number of milliseconds' })
    .int()
    .min(1_000, 'TOOL_TIMEOUT_MS must be at least 1000')
    .max(600_000, 'TOOL_TIMEOUT_MS must be at most 600000')
    .default(30_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/**
 * Reads the environment once and decides the mode. Messages name variables, never their values, because the
 * values are secrets.
 */
export function loadConfig(env: NodeJS.ProcessEnv, flags: { sandbox?: boolean; faultsFile?: string; maxResponseBytes?: string } = {}): AppConfig {
  const config = loadUpstreams(env, flags);
  const faultsFile = flags.faultsFile ?? (env.SANDBOX_FAULTS_FILE || undefined);
  if (faultsFile) {
    if (config.mode !== 'sandbox') throw new ConfigError('--faults (SANDBOX_FAULTS_FILE) applies to the embedded sandbox only');
    config.sandboxFaults = loadFaultsFile(faultsFile);
  }
  return config;
}

/** Reads a faults file (`{"faults": [rule, ...]}`, see src/sandbox/faults.ts), naming what is wrong in it. */
export function loadFaultsFile(path: string): FaultRule[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read the faults file ${path}: ${(error as Error).message}`);
  }
  const parsed = FaultFile.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(`invalid faults file ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data.faults;
}

/** The response body cap from `--max-response-bytes` (first) or UPSTREAM_MAX_RESPONSE_BYTES. */
export function loadMaxResponseBytes(env: NodeJS.ProcessEnv, flag?: string): number {
  return integerSetting(env, '--max-response-bytes', flag, 'UPSTREAM_MAX_RESPONSE_BYTES', 1024, 1024 ** 3, DEFAULT_MAX_RESPONSE_BYTES);
}

/** A setting's value and the name it was read under: the flag when given, else the variable (empty = unset). */
function pickSetting(env: NodeJS.ProcessEnv, flag: string, flagValue: string | undefined, variable: string) {
  if (flagValue !== undefined) return { label: flag, value: flagValue };
  const value = env[variable];
  return value === undefined || value === '' ? { label: variable, value: undefined } : { label: variable, value };
}

/** An integer setting in [min, max] from its flag (first) or variable; absent: `fallback`. */
function integerSetting(env: NodeJS.ProcessEnv, flag: string, flagValue: string | undefined, variable: string, min: number, max: number, fallback: number): number {
  const { label, value } = pickSetting(env, flag, flagValue, variable);
  if (value === undefined) return fallback;
  const parsed = z.coerce.number().int().min(min).max(max).safeParse(value.trim() === '' ? Number.NaN : value);
  if (!parsed.success) throw new ConfigError(`${label} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return parsed.data;
}

function loadUpstreams(env: NodeJS.ProcessEnv, flags: { sandbox?: boolean; maxResponseBytes?: string }): AppConfig {
  const set = (name: string) => typeof env[name] === 'string' && env[name] !== '';
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const maxResponseBytes = loadMaxResponseBytes(env, flags.maxResponseBytes);
  const base = { timeoutMs: parsed.data.HTTP_TIMEOUT_MS, toolTimeoutMs: parsed.data.TOOL_TIMEOUT_MS, maxResponseBytes, logLevel: parsed.data.LOG_LEVEL };
  if (flags.sandbox) return { mode: 'sandbox', sandboxReason: 'flag', ...base };

  const anySet = Object.values(CREDENTIAL_VARIABLES).flat().some(set);
  if (!anySet) return { mode: 'sandbox', sandboxReason: 'no-credentials', ...base };

  for (const [service, names] of Object.entries(CREDENTIAL_VARIABLES)) {
    const missing = names.filter((name) => !set(name));
    if (missing.length > 0 && missing.length < names.length) {
      throw new ConfigError(
        `${service} is partly configured: missing ${missing.join(', ')} (set: ${names.filter(set).join(', ')}). ` +
          `Set all of ${names.join(', ')} or none of them.`,
      );
    }
  }
  const config: AppConfig = { mode: 'live', ...base };
  if (CREDENTIAL_VARIABLES.partssource.every(set)) {
    config.partssource = {
      baseUrl: parsed.data.PARTSSOURCE_BASE_URL,
      tokenUrl: parsed.data.PARTSSOURCE_TOKEN_URL,
      clientId: env.PARTSSOURCE_CLIENT_ID as string,
      clientSecret: env.PARTSSOURCE_CLIENT_SECRET as string,
      apiKey: env.PARTSSOURCE_API_KEY as string,
      ...(parsed.data.PARTSSOURCE_SCOPE ? { scope: parsed.data.PARTSSOURCE_SCOPE } : {}),
      timeoutMs: parsed.data.HTTP_TIMEOUT_MS,
      maxResponseBytes,
    };
  }
  if (CREDENTIAL_VARIABLES.augur.every(set)) {
    config.augur = {
      baseUrl: parsed.data.AUGUR_BASE_URL,
      token: env.AUGUR_TOKEN as string,
      siteId: env.AUGUR_SITE_ID as string,
      timeoutMs: parsed.data.HTTP_TIMEOUT_MS,
      maxResponseBytes,
    };
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

export function loadEndpointDefaults(env: NodeJS.ProcessEnv, flags: { maxResponseBytes?: string } = {}): EndpointDefaults {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return {
    partssourceBaseUrl: parsed.data.PARTSSOURCE_BASE_URL,
    partssourceTokenUrl: parsed.data.PARTSSOURCE_TOKEN_URL,
    ...(parsed.data.PARTSSOURCE_SCOPE ? { partssourceScope: parsed.data.PARTSSOURCE_SCOPE } : {}),
    augurBaseUrl: parsed.data.AUGUR_BASE_URL,
    timeoutMs: parsed.data.HTTP_TIMEOUT_MS,
    maxResponseBytes: loadMaxResponseBytes(env, flags.maxResponseBytes),
  };
}

// --- shared state (stdio and HTTP) ------------------------------------------------------------------------------

export interface StateConfig {
  /** Redis URL (`--redis-url` / REDIS_URL); absent: the embedded in-memory store. May hold a password: never logged. */
  redisUrl?: string;
  /** STATE_ENCRYPTION_KEY: HKDF input for state at rest; absent: each tenant's own credential secret. */
  encryptionKey?: string;
}

export const MIN_STATE_ENCRYPTION_KEY_LENGTH = 32;

/** Reads the state settings. Messages name the flag or variable, never the URL (it may carry a password). */
export function loadStateConfig(env: NodeJS.ProcessEnv, flags: { redisUrl?: string } = {}): StateConfig {
  const label = flags.redisUrl !== undefined ? '--redis-url' : 'REDIS_URL';
  const redisUrl = flags.redisUrl ?? (env.REDIS_URL === '' ? undefined : env.REDIS_URL);
  if (redisUrl !== undefined) {
    let protocol: string | undefined;
    try {
      protocol = new URL(redisUrl).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== 'redis:' && protocol !== 'rediss:') throw new ConfigError(`${label} must be a redis:// or rediss:// URL`);
  }
  const encryptionKey = env.STATE_ENCRYPTION_KEY === '' ? undefined : env.STATE_ENCRYPTION_KEY;
  if (encryptionKey !== undefined && encryptionKey.length < MIN_STATE_ENCRYPTION_KEY_LENGTH) {
    throw new ConfigError(`STATE_ENCRYPTION_KEY must be at least ${MIN_STATE_ENCRYPTION_KEY_LENGTH} characters`);
  }
  return { ...(redisUrl ? { redisUrl } : {}), ...(encryptionKey ? { encryptionKey } : {}) };
}

// --- Streamable HTTP mode -------------------------------------------------------------------------------------

export interface HttpConfig {
  host: string;
  port: number;
  /** A new McpServer and transport per request, no Mcp-Session-Id (any load balancer, no sticky sessions). */
  stateless: boolean;
  /** Path of the tenants file (MCP_TENANTS_FILE / --tenants). */
  tenantsFile?: string;
  /** The single tenant's key when there is no tenants file (MCP_HTTP_API_KEY). A secret: never logged. */
  apiKey?: string;
  /** Extra Host names (or host:port, or `*`) accepted besides the loopback names. */
  allowedHosts: string[];
  /** Extra Origins accepted (loopback origins always are); `*` accepts any. */
  allowedOrigins: string[];
  sessionIdleMs: number;
  /** Concurrent MCP POST requests per tenant; more get 429. */
  maxConcurrency: number;
  maxBodyBytes: number;
  /** How long a SIGTERM waits for in-flight requests before closing anyway. */
  shutdownGraceMs: number;
  /** MCP requests per tenant per minute (fleet-wide on Redis); 0: no rate limit. */
  rateLimitPerMinute: number;
  /** Stateful sessions of all tenants together; past it the oldest idle one is closed, or 503. */
  maxSessions: number;
  /** Stateful sessions of one tenant; past it its oldest idle one is closed, or 429. */
  maxSessionsPerTenant: number;
}

/** The command-line flags of HTTP mode, as parseArgs gives them (strings); they win over the environment. */
export interface HttpFlags {
  port?: string;
  host?: string;
  stateless?: boolean;
  tenants?: string;
  allowedHosts?: string;
  allowedOrigins?: string;
  sessionIdleMs?: string;
  maxConcurrency?: string;
  maxBodyBytes?: string;
  shutdownGraceMs?: string;
  rateLimit?: string;
  maxSessions?: string;
  maxSessionsPerTenant?: string;
}

export const HTTP_DEFAULTS = {
  host: '127.0.0.1',
  port: 3000,
  sessionIdleMs: 30 * 60_000,
  maxConcurrency: 16,
  maxBodyBytes: 1024 * 1024,
  shutdownGraceMs: 10_000,
  /** MCP requests per tenant per minute; 0: no rate limit. */
  rateLimitPerMinute: 0,
  maxSessions: 1_000,
  maxSessionsPerTenant: 100,
} as const;

/** Keys shorter than this are refused: the endpoint may face a network. */
export const MIN_API_KEY_LENGTH = 16;

/**
 * Reads the HTTP-mode settings from flags (first) and environment variables. A message names the flag or the
 * variable it read, never the API key.
 */
export function loadHttpConfig(env: NodeJS.ProcessEnv, flags: HttpFlags = {}): HttpConfig {
  const pick = (flag: string, flagValue: string | undefined, variable: string) => pickSetting(env, flag, flagValue, variable);
  const integer = (flag: string, flagValue: string | undefined, variable: string, min: number, max: number, fallback: number) =>
    integerSetting(env, flag, flagValue, variable, min, max, fallback);
  const list = (flag: string, flagValue: string | undefined, variable: string) =>
    (pick(flag, flagValue, variable).value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  const statelessText = env.MCP_HTTP_STATELESS?.trim().toLowerCase();
  if (statelessText && !['1', 'true', 'yes', '0', 'false', 'no'].includes(statelessText)) {
    throw new ConfigError('MCP_HTTP_STATELESS must be true or false');
  }
  const apiKey = env.MCP_HTTP_API_KEY === '' ? undefined : env.MCP_HTTP_API_KEY;
  if (apiKey !== undefined && (apiKey.trim() !== apiKey || apiKey.length < MIN_API_KEY_LENGTH || /\s/.test(apiKey))) {
    throw new ConfigError(`MCP_HTTP_API_KEY must be at least ${MIN_API_KEY_LENGTH} characters without spaces`);
  }
  const host = pick('--host', flags.host, 'MCP_HTTP_HOST');
  if (host.value !== undefined && host.value.trim() === '') throw new ConfigError(`${host.label} must not be empty`);
  const tenantsFile = pick('--tenants', flags.tenants, 'MCP_TENANTS_FILE').value;
  return {
    host: host.value?.trim() ?? HTTP_DEFAULTS.host,
    port: integer('--port', flags.port, 'MCP_HTTP_PORT', 0, 65_535, HTTP_DEFAULTS.port),
    stateless: flags.stateless === true || ['1', 'true', 'yes'].includes(statelessText ?? ''),
    ...(tenantsFile ? { tenantsFile } : {}),
    ...(apiKey ? { apiKey } : {}),
    allowedHosts: list('--allowed-hosts', flags.allowedHosts, 'MCP_HTTP_ALLOWED_HOSTS'),
    allowedOrigins: list('--allowed-origins', flags.allowedOrigins, 'MCP_HTTP_ALLOWED_ORIGINS'),
    sessionIdleMs: integer('--session-idle-ms', flags.sessionIdleMs, 'MCP_HTTP_SESSION_IDLE_MS', 1_000, 7 * 24 * 3_600_000, HTTP_DEFAULTS.sessionIdleMs),
    maxConcurrency: integer('--max-concurrency', flags.maxConcurrency, 'MCP_HTTP_MAX_CONCURRENCY', 1, 10_000, HTTP_DEFAULTS.maxConcurrency),
    maxBodyBytes: integer('--max-body-bytes', flags.maxBodyBytes, 'MCP_HTTP_MAX_BODY_BYTES', 1_024, 64 * 1024 * 1024, HTTP_DEFAULTS.maxBodyBytes),
    shutdownGraceMs: loadShutdownGraceMs(env, flags.shutdownGraceMs),
    rateLimitPerMinute: integer('--rate-limit', flags.rateLimit, 'MCP_HTTP_RATE_LIMIT', 0, 1_000_000, HTTP_DEFAULTS.rateLimitPerMinute),
    maxSessions: integer('--max-sessions', flags.maxSessions, 'MCP_HTTP_MAX_SESSIONS', 1, 1_000_000, HTTP_DEFAULTS.maxSessions),
    maxSessionsPerTenant: integer('--max-sessions-per-tenant', flags.maxSessionsPerTenant, 'MCP_HTTP_MAX_SESSIONS_PER_TENANT', 1, 1_000_000, HTTP_DEFAULTS.maxSessionsPerTenant),
  };
}

/**
 * How long a shutdown waits for the calls in flight (`--shutdown-grace-ms`, else MCP_HTTP_SHUTDOWN_GRACE_MS):
 * SIGTERM/SIGINT in HTTP mode; SIGTERM/SIGINT and the end of stdin on stdio.
 */
export function loadShutdownGraceMs(env: NodeJS.ProcessEnv, flag?: string): number {
  return integerSetting(env, '--shutdown-grace-ms', flag, 'MCP_HTTP_SHUTDOWN_GRACE_MS', 0, 600_000, HTTP_DEFAULTS.shutdownGraceMs);
}

/** Loopback addresses: binding one exposes the server to this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

// --- tool selection, response budget, confirmed writes (stdio and HTTP) ----------------------------------------

/** What every McpServer is built with, from flags (first) and environment variables. */
export interface ToolOptions {
  toolsets?: string[];
  toolNames?: string[];
  excludeTools?: string[];
  readOnly: boolean;
  enableAdmin: boolean;
  maxResultBytes: number;
  confirmWrites: ConfirmWrites;
}

/** The flags as parseArgs gives them. */
export interface ToolFlags {
  toolsets?: string;
  tools?: string;
  excludeTools?: string;
  readOnly?: boolean;
  enableAdmin?: boolean;
  maxResultBytes?: string;
  confirmWrites?: string;
}

const TRUE = ['1', 'true', 'yes'];
const FALSE = ['0', 'false', 'no', ''];

/** Reads the tool options; unknown toolset or tool names are a ConfigError (exit 2) that names them. */
export function loadToolOptions(env: NodeJS.ProcessEnv, flags: ToolFlags = {}): ToolOptions {
  const text = (flag: string | undefined, variable: string) => flag ?? (env[variable] === '' ? undefined : env[variable]);
  const bool = (flag: boolean | undefined, variable: string) => {
    if (flag) return true;
    const value = env[variable]?.trim().toLowerCase();
    if (value === undefined || FALSE.includes(value)) return false;
    if (TRUE.includes(value)) return true;
    throw new ConfigError(`${variable} must be true or false`);
  };
  const toolsets = parseList(text(flags.toolsets, 'MCP_TOOLSETS'));
  const toolNames = parseList(text(flags.tools, 'MCP_TOOLS'));
  const excludeTools = parseList(text(flags.excludeTools, 'MCP_EXCLUDE_TOOLS'));
  const unknown = unknownNames({ ...(toolsets ? { toolsets } : {}), ...(toolNames ? { tools: toolNames } : {}), ...(excludeTools ? { excludeTools } : {}) });
  if (unknown.length > 0) throw new ConfigError(`unknown ${unknown.join(', ')}. ${knownNamesHint()}`);

  const maxText = text(flags.maxResultBytes, 'MCP_MAX_RESULT_BYTES');
  let maxResultBytes = DEFAULT_MAX_RESULT_BYTES;
  if (maxText !== undefined) {
    const parsed = z.coerce.number().int().min(0).max(100 * 1024 * 1024).safeParse(maxText.trim() === '' ? Number.NaN : maxText);
    const label = flags.maxResultBytes !== undefined ? '--max-result-bytes' : 'MCP_MAX_RESULT_BYTES';
    if (!parsed.success || (parsed.data > 0 && parsed.data < 1024)) {
      throw new ConfigError(`${label} must be 0 (no cap) or an integer from 1024 to 104857600, got ${JSON.stringify(maxText)}`);
    }
    maxResultBytes = parsed.data;
  }
  const confirmText = text(flags.confirmWrites, 'MCP_CONFIRM_WRITES')?.trim().toLowerCase() ?? 'auto';
  if (!(CONFIRM_WRITES_MODES as readonly string[]).includes(confirmText)) {
    const label = flags.confirmWrites !== undefined ? '--confirm-writes' : 'MCP_CONFIRM_WRITES';
    throw new ConfigError(`${label} must be auto, always or never, got ${JSON.stringify(confirmText)}`);
  }
  return {
    ...(toolsets ? { toolsets } : {}),
    ...(toolNames ? { toolNames } : {}),
    ...(excludeTools ? { excludeTools } : {}),
    readOnly: bool(flags.readOnly, 'MCP_READ_ONLY'),
    enableAdmin: bool(flags.enableAdmin, 'MCP_ENABLE_ADMIN'),
    maxResultBytes,
    confirmWrites: confirmText as ConfirmWrites,
  };
}
