import { oauthConfig, type OAuthConfig } from './oauth-config.js';
import { OPTIONS, type Settings } from './options.js';

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
  /** OAuth resource-server mode (src/http/oauth/): on when an issuer is configured. */
  oauth?: OAuthConfig;
}

export const HTTP_DEFAULTS = {
  host: OPTIONS.host.default,
  port: OPTIONS.port.default,
  sessionIdleMs: OPTIONS.sessionIdleMs.default,
  maxConcurrency: OPTIONS.maxConcurrency.default,
  maxBodyBytes: OPTIONS.maxBodyBytes.default,
  shutdownGraceMs: OPTIONS.shutdownGraceMs.default,
  /** MCP requests per tenant per minute; 0: no rate limit. */
  rateLimitPerMinute: OPTIONS.rateLimit.default,
  maxSessions: OPTIONS.maxSessions.default,
  maxSessionsPerTenant: OPTIONS.maxSessionsPerTenant.default,
} as const;

/** Keys shorter than this are refused: the endpoint may face a network. */
export const MIN_API_KEY_LENGTH = OPTIONS.apiKey.minLength;

export const HTTP_KEYS = [
  'host', 'port', 'stateless', 'tenants', 'apiKey', 'allowedHosts', 'allowedOrigins', 'sessionIdleMs', 'maxConcurrency', 'maxBodyBytes',
  'shutdownGraceMs', 'rateLimit', 'maxSessions', 'maxSessionsPerTenant',
  // OAUTH_KEYS of oauth-config.ts, written out: that module imports this one.
  'oauthIssuer', 'publicUrl', 'oauthTenantClaim', 'oauthScopePrefix', 'oauthClockSkew', 'oauthIntrospectionUrl', 'oauthClientId', 'oauthClientSecret',
] as const;

export function httpConfig(s: Settings<(typeof HTTP_KEYS)[number]>): HttpConfig {
  const oauth = oauthConfig(s);
  return {
    host: s.host,
    port: s.port,
    stateless: s.stateless,
    ...(s.tenants ? { tenantsFile: s.tenants } : {}),
    ...(s.apiKey ? { apiKey: s.apiKey } : {}),
    allowedHosts: s.allowedHosts ?? [],
    allowedOrigins: s.allowedOrigins ?? [],
    sessionIdleMs: s.sessionIdleMs,
    maxConcurrency: s.maxConcurrency,
    maxBodyBytes: s.maxBodyBytes,
    shutdownGraceMs: s.shutdownGraceMs,
    rateLimitPerMinute: s.rateLimit,
    maxSessions: s.maxSessions,
    maxSessionsPerTenant: s.maxSessionsPerTenant,
    ...(oauth ? { oauth } : {}),
  };
}

/** Loopback addresses: binding one exposes the server to this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}
