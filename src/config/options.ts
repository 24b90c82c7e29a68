import { DEFAULT_MAX_RESPONSE_BYTES } from '../clients/read-body.js';
import { DEFAULT_MAX_RESULT_BYTES } from '../mcp/budget.js';
import { CONFIRM_WRITES_MODES } from '../mcp/confirmation.js';
import { RESULT_TEXT_MODES } from '../mcp/result-text.js';

/**
 * The one table of options. Each option's flag, environment variable, default and range are written here and
 * nowhere else: the parser, the typed settings, `--help`, the README's configuration table and server.json all
 * come from it (the last two through `npm run docs`, checked by tests).
 */

/** What the command line asks for: serve over stdio or Streamable HTTP, run the sandbox alone, or print a key. */
export type Mode = 'stdio' | 'http' | 'sandbox' | 'new-key';

export const MODE_LABELS: Record<Mode, string> = {
  stdio: 'stdio mode',
  http: '--http',
  sandbox: 'the sandbox command',
  'new-key': 'the new-key command',
};

interface Common {
  /** Long flag, without the dashes. */
  flag?: string;
  short?: string;
  /** Environment variable; the flag wins over it. */
  env?: string;
  /** The modes it applies to: elsewhere its flag is an error and its variable is not read. */
  modes: readonly Mode[];
  /** One line for --help, server.json and the README. */
  help: string;
  /** More for the README only (links, details). */
  readme?: string;
  /** What the value looks like in --help (`--port N`). */
  valueName?: string;
  /** Never logged, never echoed in an error, marked isSecret in server.json. */
  secret?: true;
  /** Where a mode differs: its own default, or the variable not read there (flag only). */
  perMode?: Partial<Record<Mode, { default?: number; env?: false }>>;
}

export type OptionSpec = Common &
  (
    | { type: 'boolean'; default: false }
    | { type: 'integer'; default: number; min: number; max: number; /** 0 is accepted besides min..max, meaning this */ zero?: string }
    | { type: 'text'; default?: string; minLength?: number; noSpaces?: true }
    | { type: 'url'; default?: string; protocols: readonly string[] }
    | { type: 'enum'; default: string; choices: readonly string[] }
    | { type: 'list' }
  );

const SERVE = ['stdio', 'http'] as const;
const EVERY_MODE = ['stdio', 'http', 'sandbox', 'new-key'] as const;
const HTTP = ['http'] as const;
const HTTP_AND_SANDBOX = ['http', 'sandbox'] as const;
const HTTP_URL = ['http:', 'https:'] as const;

export const OPTIONS = {
  sandbox: {
    flag: 'sandbox', type: 'boolean', default: false, modes: SERVE,
    help: 'use the embedded sandbox, ignoring credentials (also the default when no credential variable is set)',
  },
  listTools: { flag: 'list-tools', type: 'boolean', default: false, modes: SERVE, help: 'print the tools the options select (name, toolset, kind) and exit 0' },

  // --- upstreams -------------------------------------------------------------------------------------------------
  partssourceClientId: { env: 'PARTSSOURCE_CLIENT_ID', type: 'text', modes: SERVE, help: 'PartsSource OAuth2 client id (credential: set all three PARTSSOURCE credentials or none)' },
  partssourceClientSecret: { env: 'PARTSSOURCE_CLIENT_SECRET', type: 'text', secret: true, modes: SERVE, help: 'PartsSource OAuth2 client secret (credential)' },
  partssourceApiKey: { env: 'PARTSSOURCE_API_KEY', type: 'text', secret: true, modes: SERVE, help: 'PartsSource API key, sent as the x-api-key header (credential)' },
  partssourceBaseUrl: { env: 'PARTSSOURCE_BASE_URL', type: 'url', protocols: HTTP_URL, default: 'https://api.partssource.com/customer', modes: SERVE, help: 'PartsSource Customer API base URL' },
  partssourceTokenUrl: { env: 'PARTSSOURCE_TOKEN_URL', type: 'url', protocols: HTTP_URL, default: 'https://auth.partssource.com/oauth2/token', modes: SERVE, help: 'PartsSource OAuth2 token endpoint' },
  partssourceScope: {
    env: 'PARTSSOURCE_SCOPE', type: 'text', modes: SERVE,
    help: 'OAuth2 scope to request, e.g. default-m2m-resource-server-p2hkah/customer:write (not sent when unset)',
  },
  augurToken: { env: 'AUGUR_TOKEN', type: 'text', secret: true, modes: SERVE, help: 'Augur bearer JWT (credential: set it together with AUGUR_SITE_ID, or neither)' },
  augurSiteId: { env: 'AUGUR_SITE_ID', type: 'text', modes: SERVE, help: 'Augur site id, sent as the x-site-id header (credential)' },
  augurBaseUrl: { env: 'AUGUR_BASE_URL', type: 'url', protocols: HTTP_URL, default: 'https://customers.augur-api.com', modes: SERVE, help: 'Augur customers service base URL' },
  httpTimeoutMs: {
    env: 'HTTP_TIMEOUT_MS', type: 'integer', default: 15_000, min: 100, max: 300_000, modes: SERVE,
    help: 'timeout of one upstream HTTP attempt: connect, headers and the whole body',
  },
  toolTimeoutMs: {
    env: 'TOOL_TIMEOUT_MS', type: 'integer', default: 30_000, min: 1_000, max: 600_000, modes: SERVE,
    help: 'deadline of a whole tool call, retries, Retry-After waits and body reads included',
    readme: 'a wait that would pass it is returned to the agent as `rate_limited` with `retryAfterSeconds`',
  },
  maxResponseBytes: {
    flag: 'max-response-bytes', env: 'UPSTREAM_MAX_RESPONSE_BYTES', valueName: 'N', type: 'integer', default: DEFAULT_MAX_RESPONSE_BYTES, min: 1024, max: 1024 ** 3, modes: SERVE,
    help: 'largest upstream response body read; past it the request is aborted and the call ends upstream_invalid_response',
    readme: 'error bodies and token answers: at most 64 KB',
  },
  faults: {
    flag: 'faults', env: 'SANDBOX_FAULTS_FILE', valueName: 'FILE', type: 'text', modes: ['stdio', 'http', 'sandbox'],
    help: 'sandbox only: inject faults from this file (JSON {"faults": [rule, ...]}, see docs/SANDBOX.md)',
    readme: 'per API, method, path regex and header: status, latency, reset, broken bodies, for N calls or a fraction; format and example: [docs/SANDBOX.md](docs/SANDBOX.md)',
  },
  logLevel: {
    env: 'LOG_LEVEL', type: 'enum', choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info', modes: SERVE,
    help: 'level of the JSON logs, written to stderr',
    readme: 'the MCP client sets its own level, see [Logging](#logging)',
  },

  // --- tools offered and their safety --------------------------------------------------------------------------------
  toolsets: {
    flag: 'toolsets', env: 'MCP_TOOLSETS', valueName: 'LIST', type: 'list', modes: SERVE,
    help: 'only these toolsets, comma-separated: partssource, augur, upstream.resource (e.g. partssource.catalog, augur.documents) or all; unset: all',
    readme: 'see [Choosing tools](#choosing-tools)',
  },
  tools: { flag: 'tools', env: 'MCP_TOOLS', valueName: 'LIST', type: 'list', modes: SERVE, help: 'also these tools, comma-separated (alone: only these)' },
  excludeTools: { flag: 'exclude-tools', env: 'MCP_EXCLUDE_TOOLS', valueName: 'LIST', type: 'list', modes: SERVE, help: 'never these tools, comma-separated' },
  readOnly: { flag: 'read-only', env: 'MCP_READ_ONLY', type: 'boolean', default: false, modes: SERVE, help: 'offer no write tool (not even listed)' },
  enableAdmin: {
    flag: 'enable-admin', env: 'MCP_ENABLE_ADMIN', type: 'boolean', default: false, modes: SERVE,
    help: 'also offer admin tools (refresh_customer_data, the deprecated Augur refresh triggers)',
  },
  maxResultBytes: {
    flag: 'max-result-bytes', env: 'MCP_MAX_RESULT_BYTES', valueName: 'N', type: 'integer', default: DEFAULT_MAX_RESULT_BYTES, min: 1024, max: 100 * 1024 * 1024, zero: 'no cap', modes: SERVE,
    help: 'cap of one result in bytes of JSON: a list drops whole items (truncated, nextOffset), a document has its long arrays cut',
    readme: 'see [Response budget](#response-budget)',
  },
  resultText: {
    flag: 'result-text', env: 'MCP_RESULT_TEXT', valueName: 'MODE', type: 'enum', choices: RESULT_TEXT_MODES, default: 'json', modes: SERVE,
    help: "a success's text content: json (its structuredContent as JSON) or summary (one line, for clients that give the model both)",
    readme: 'see [Compact results](#compact-results)',
  },
  confirmWrites: {
    flag: 'confirm-writes', env: 'MCP_CONFIRM_WRITES', valueName: 'MODE', type: 'enum', choices: CONFIRM_WRITES_MODES, default: 'auto', modes: SERVE,
    help: 'auto: ask the human via elicitation when the client can; always: also a preview + confirmationToken round for clients that cannot; never',
    readme: 'see [Confirmed writes](#confirmed-writes)',
  },
  auditLog: {
    flag: 'audit-log', env: 'MCP_AUDIT_LOG', valueName: 'FILE', type: 'text', modes: SERVE,
    help: 'append one JSON line per write attempt (tenant, tool, target ids, outcome) to this file, flushed before the result is returned; a write that cannot be recorded is refused',
    readme: 'see [Audit trail of writes](#audit-trail-of-writes)',
  },
  shutdownGraceMs: {
    flag: 'shutdown-grace-ms', env: 'MCP_HTTP_SHUTDOWN_GRACE_MS', valueName: 'N', type: 'integer', default: 10_000, min: 0, max: 600_000, modes: SERVE,
    help: 'on SIGTERM/SIGINT (stdio: also the end of stdin) the calls in flight may finish this long, then are cancelled',
    readme: 'see [Stopping](#stopping-stdio)',
  },

  // --- shared state ----------------------------------------------------------------------------------------------------
  redisUrl: {
    flag: 'redis-url', env: 'REDIS_URL', valueName: 'URL', type: 'url', protocols: ['redis:', 'rediss:'], secret: true, modes: SERVE,
    help: 'share state (token cache, order records, confirmation tokens, limits) with other instances through Redis; unset: in memory',
    readme: 'see [Shared state](#shared-state-redis); it may hold a password',
  },
  stateEncryptionKey: {
    env: 'STATE_ENCRYPTION_KEY', type: 'text', minLength: 32, secret: true, modes: SERVE,
    help: 'HKDF input of the key that encrypts state at rest (cached tokens) and signs confirmation tokens on a fleet; unset: each tenant\'s own credential secret',
  },

  // --- Streamable HTTP (and the sandbox command's listener) --------------------------------------------------------
  port: {
    flag: 'port', env: 'MCP_HTTP_PORT', valueName: 'N', type: 'integer', default: 3000, min: 0, max: 65_535, modes: HTTP_AND_SANDBOX,
    perMode: { sandbox: { default: 0, env: false } },
    help: 'port to listen on (0: a free one); the sandbox command: a free one by default',
  },
  host: {
    flag: 'host', env: 'MCP_HTTP_HOST', valueName: 'H', type: 'text', default: '127.0.0.1', modes: HTTP_AND_SANDBOX, perMode: { sandbox: { env: false } },
    help: 'address to bind',
  },
  http: { flag: 'http', type: 'boolean', default: false, modes: HTTP, help: 'serve MCP over Streamable HTTP at /mcp (+ /healthz, /readyz) instead of stdio' },
  stateless: { flag: 'stateless', env: 'MCP_HTTP_STATELESS', type: 'boolean', default: false, modes: HTTP, help: 'no sessions: any instance answers any request (scale out behind a load balancer)' },
  tenants: {
    flag: 'tenants', env: 'MCP_TENANTS_FILE', valueName: 'FILE', type: 'text', modes: HTTP,
    help: 'API keys → tenants and their upstream credentials (JSON); with --sandbox, tenants name sandbox tenants',
    readme: 'see [Streamable HTTP](#streamable-http)',
  },
  apiKey: {
    env: 'MCP_HTTP_API_KEY', type: 'text', minLength: 16, noSpaces: true, secret: true, modes: HTTP,
    help: 'without a tenants file: the one API key clients send as Authorization: Bearer <key>',
  },
  allowedHosts: { flag: 'allowed-hosts', env: 'MCP_HTTP_ALLOWED_HOSTS', valueName: 'LIST', type: 'list', modes: HTTP, help: 'extra Host names accepted, comma-separated (host, host:port or *)' },
  allowedOrigins: { flag: 'allowed-origins', env: 'MCP_HTTP_ALLOWED_ORIGINS', valueName: 'LIST', type: 'list', modes: HTTP, help: 'extra browser Origins accepted, comma-separated (https://app.example.com or *)' },
  sessionIdleMs: {
    flag: 'session-idle-ms', env: 'MCP_HTTP_SESSION_IDLE_MS', valueName: 'N', type: 'integer', default: 30 * 60_000, min: 1_000, max: 7 * 24 * 3_600_000, modes: HTTP,
    help: 'a session unused this long is closed',
  },
  maxConcurrency: {
    flag: 'max-concurrency', env: 'MCP_HTTP_MAX_CONCURRENCY', valueName: 'N', type: 'integer', default: 16, min: 1, max: 10_000, modes: HTTP,
    help: 'MCP requests in flight per tenant; more get 429',
  },
  maxBodyBytes: {
    flag: 'max-body-bytes', env: 'MCP_HTTP_MAX_BODY_BYTES', valueName: 'N', type: 'integer', default: 1024 * 1024, min: 1_024, max: 64 * 1024 * 1024, modes: HTTP,
    help: 'largest request body; more gets 413',
  },
  rateLimit: {
    flag: 'rate-limit', env: 'MCP_HTTP_RATE_LIMIT', valueName: 'N', type: 'integer', default: 0, min: 0, max: 1_000_000, modes: HTTP,
    help: 'MCP requests per tenant per minute, fleet-wide with Redis; more get 429 with Retry-After; 0: no rate limit',
  },
  maxSessions: {
    flag: 'max-sessions', env: 'MCP_HTTP_MAX_SESSIONS', valueName: 'N', type: 'integer', default: 1_000, min: 1, max: 1_000_000, modes: HTTP,
    help: 'stateful sessions of all tenants; a new one closes the oldest idle session, or gets 503',
  },
  maxSessionsPerTenant: {
    flag: 'max-sessions-per-tenant', env: 'MCP_HTTP_MAX_SESSIONS_PER_TENANT', valueName: 'N', type: 'integer', default: 100, min: 1, max: 1_000_000, modes: HTTP,
    help: "stateful sessions per tenant; a new one closes the tenant's oldest idle session, or gets 429",
  },

  // --- observability (docs: README "Observability"; the other OTEL_* variables are read by the OpenTelemetry SDK) ------
  otelEndpoint: {
    env: 'OTEL_EXPORTER_OTLP_ENDPOINT', type: 'url', protocols: HTTP_URL, modes: SERVE,
    help: 'OTLP/HTTP collector base URL: set, traces and metrics are exported (/v1/traces, /v1/metrics); unset, OpenTelemetry is not loaded',
  },
  otelTracesEndpoint: { env: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', type: 'url', protocols: HTTP_URL, modes: SERVE, help: 'OTLP/HTTP traces URL (full path); alone, turns on traces only' },
  otelMetricsEndpoint: { env: 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', type: 'url', protocols: HTTP_URL, modes: SERVE, help: 'OTLP/HTTP metrics URL (full path); alone, turns on metrics only' },
  otelProtocol: {
    env: 'OTEL_EXPORTER_OTLP_PROTOCOL', type: 'enum', choices: ['http/protobuf', 'http/json'], default: 'http/protobuf', modes: SERVE,
    help: 'OTLP encoding over HTTP (grpc is not supported)',
  },
  otelMetricExportInterval: {
    env: 'OTEL_METRIC_EXPORT_INTERVAL', type: 'integer', default: 60_000, min: 1_000, max: 3_600_000, modes: SERVE,
    help: 'milliseconds between two OTLP metric exports',
  },
  metricsKey: {
    env: 'MCP_METRICS_KEY', type: 'text', minLength: 16, noSpaces: true, secret: true, modes: HTTP,
    help: 'turns on the Prometheus endpoint /metrics, readable with "Authorization: Bearer <this key>" (tenant keys are refused)',
  },
  // --- remote access with OAuth (resource server) -------------------------------------------------------------------
  oauthIssuer: {
    flag: 'oauth-issuer', env: 'MCP_OAUTH_ISSUER', valueName: 'URL', type: 'url', protocols: HTTP_URL, modes: HTTP,
    help: 'accept OAuth access tokens (JWT) of this authorization server (https; http only on loopback); needs --public-url',
    readme: 'see [Remote access with OAuth](#remote-access-with-oauth)',
  },
  publicUrl: {
    flag: 'public-url', env: 'MCP_PUBLIC_URL', valueName: 'URL', type: 'url', protocols: HTTP_URL, modes: HTTP,
    help: 'the canonical URL of this MCP endpoint as clients reach it (e.g. https://mcp.example.com/mcp): the audience tokens must name',
  },
  oauthTenantClaim: {
    flag: 'oauth-tenant-claim', env: 'MCP_OAUTH_TENANT_CLAIM', valueName: 'NAME', type: 'text', default: 'tenant', noSpaces: true, modes: HTTP,
    help: "the access token claim whose value names the caller's tenant in the tenants file",
  },
  oauthScopePrefix: {
    flag: 'oauth-scope-prefix', env: 'MCP_OAUTH_SCOPE_PREFIX', valueName: 'TEXT', type: 'text', default: 'customer-api', noSpaces: true, modes: HTTP,
    help: 'prefix of the scopes PREFIX:read, PREFIX:write and PREFIX:admin that tokens need per tool',
  },
  oauthClockSkew: {
    flag: 'oauth-clock-skew', env: 'MCP_OAUTH_CLOCK_SKEW_SECONDS', valueName: 'N', type: 'integer', default: 30, min: 0, max: 300, modes: HTTP,
    help: "seconds of clock difference tolerated on a token's exp and nbf",
  },
  oauthIntrospectionUrl: {
    flag: 'oauth-introspection-url', env: 'MCP_OAUTH_INTROSPECTION_URL', valueName: 'URL', type: 'url', protocols: HTTP_URL, modes: HTTP,
    help: 'also accept opaque access tokens, checked at this RFC 7662 introspection endpoint (cached briefly); needs MCP_OAUTH_CLIENT_ID and MCP_OAUTH_CLIENT_SECRET',
  },
  oauthClientId: { env: 'MCP_OAUTH_CLIENT_ID', type: 'text', modes: HTTP, help: "this server's client id at the authorization server, for token introspection" },
  oauthClientSecret: { env: 'MCP_OAUTH_CLIENT_SECRET', type: 'text', secret: true, modes: HTTP, help: "this server's client secret at the authorization server, for token introspection" },

  // --- every command ---------------------------------------------------------------------------------------------
  help: { flag: 'help', short: 'h', type: 'boolean', default: false, modes: EVERY_MODE, help: 'print this help and exit' },
  version: { flag: 'version', short: 'v', type: 'boolean', default: false, modes: EVERY_MODE, help: 'print the version and exit' },
} as const satisfies Record<string, OptionSpec>;

export type OptionKey = keyof typeof OPTIONS;

/** The typed value of an option once resolved: absent only where the option has no default. */
export type ValueOf<S> = S extends { type: 'boolean' }
  ? boolean
  : S extends { type: 'integer' }
    ? number
    : S extends { type: 'list' }
      ? string[] | undefined
      : S extends { type: 'enum'; choices: readonly (infer C)[] }
        ? C
        : S extends { default: string }
          ? string
          : string | undefined;

export type Settings<K extends OptionKey = OptionKey> = { [P in K]: ValueOf<(typeof OPTIONS)[P]> };

export const optionEntries = (): Array<[OptionKey, OptionSpec]> => Object.entries(OPTIONS) as Array<[OptionKey, OptionSpec]>;

/** The options of one mode, in table order. */
export function optionsOf(mode: Mode): OptionKey[] {
  return optionEntries()
    .filter(([, spec]) => spec.modes.includes(mode))
    .map(([key]) => key);
}
