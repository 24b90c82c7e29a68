#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  ConfigError,
  isLoopbackHost,
  loadConfig,
  loadFaultsFile,
  loadEndpointDefaults,
  loadHttpConfig,
  loadShutdownGraceMs,
  loadStateConfig,
  loadToolOptions,
  type HttpFlags,
  type ToolOptions,
} from './config.js';
import { startHttpServer } from './http/server.js';
import { newApiKey } from './http/weak-keys.js';
import { environmentTenant, loadTenantsFile, sandboxTenants, SANDBOX_API_KEYS, type TenantSpec } from './http/tenants.js';
import { createLogger } from './logger.js';
import { startRuntime, type Runtime } from './tenant-runtime.js';
import { DrainingTransport } from './stdio/draining-transport.js';
import { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS } from './sandbox/credentials.js';
import { createMcpServer, type ServerOptions } from './server.js';
import { openStore } from './state/open-store.js';
import { ALL_TOOLS } from './tools/index.js';
import { offeredTools, toolTable } from './mcp/tool-selection.js';
import { negotiateKnownRevisions } from './mcp/protocol-revisions.js';
import { VERSION } from './version.js';

// stdout carries JSON-RPC in stdio mode: anything printed by mistake goes to stderr instead.
console.log = console.error;
console.info = console.error;
console.debug = console.error;

const HELP = `customer-api-mcp ${VERSION}
MCP server for the PartsSource Customer API and the Augur customers service.

Usage:
  customer-api-mcp [--sandbox] [--enable-admin]   serve MCP over stdio
  customer-api-mcp --http [--port 3000] [--host 127.0.0.1] [--stateless] [--tenants FILE] [...]
                                                  serve MCP over Streamable HTTP at /mcp (+ /healthz, /readyz)
  customer-api-mcp sandbox [--port N] [--host H]   run the embedded sandbox alone (prints URLs, demo credentials)
  customer-api-mcp new-key              print a new random API key and its SHA-256 for the tenants file
  customer-api-mcp --help | --version

Options:
  --sandbox      use the embedded sandbox (also the default when no credential variable is set)
  --enable-admin offer admin tools (refresh_customer_data, the deprecated Augur refresh triggers); MCP_ENABLE_ADMIN

Tool selection and safety (stdio and --http; each also an environment variable):
  --toolsets LIST          only these toolsets: partssource, augur, or upstream.resource (partssource.catalog,
                           partssource.orders, partssource.users, augur.customers, augur.contacts, augur.addresses,
                           augur.documents, augur.tags, augur.admin); all = every one          MCP_TOOLSETS
  --tools LIST             also these tools (alone: only these)                                MCP_TOOLS
  --exclude-tools LIST     never these tools                                                   MCP_EXCLUDE_TOOLS
  --read-only              no write tool is offered (not even listed)                          MCP_READ_ONLY
  --list-tools             print the tools the options select (name, toolset, kind) and exit
  --max-result-bytes N     cap of a result (default 50000; 0 = none): a list drops whole items (truncated, nextOffset),
                           a document has its long arrays cut (truncated, truncatedFields)      MCP_MAX_RESULT_BYTES
  --confirm-writes MODE    auto (default): ask the human via elicitation when the client can; always: also a
                           preview + confirmationToken round for clients that cannot; never  MCP_CONFIRM_WRITES
  --faults FILE  sandbox only: inject faults (JSON {"faults": [...]}, see docs/SANDBOX.md); env SANDBOX_FAULTS_FILE
  --port N       sandbox subcommand: port to listen on (default: a random free port); --http: default 3000
  --host H       address to bind (default 127.0.0.1)
  --max-response-bytes N   largest upstream response body read (default 10485760); past it the request is
                           aborted and the call ends upstream_invalid_response     UPSTREAM_MAX_RESPONSE_BYTES
  --shutdown-grace-ms N    on SIGTERM/SIGINT (stdio: also the end of stdin), let the calls in flight finish this
                           long (default 10000), then cancel them; their results are written before exit
                                                                             MCP_HTTP_SHUTDOWN_GRACE_MS
  --redis-url URL          share state (token cache, order records, confirmation tokens, limits) with other
                           instances through Redis (stdio and --http; default: in memory)       REDIS_URL

HTTP mode (--http):
  --stateless              no sessions: any instance answers any request (scale out behind a load balancer)
  --tenants FILE           API keys → tenants and their upstream credentials (JSON; see README); with
                           --sandbox, tenants name sandbox tenants ("sandbox": "acme" or "globex")
  --allowed-hosts LIST     extra Host names accepted (comma-separated; host, host:port or *)
  --allowed-origins LIST   extra browser Origins accepted (comma-separated; https://app.example.com or *)
  --session-idle-ms N      idle time before a session is closed (default 1800000)
  --max-concurrency N      MCP requests in flight per tenant (default 16; more get 429)
  --max-body-bytes N       largest request body (default 1048576; more get 413)
  --rate-limit N           MCP requests per tenant per minute, fleet-wide with --redis-url (default 0: none)
  --max-sessions N         sessions of all tenants (default 1000; the oldest idle is closed, else 503)
  --max-sessions-per-tenant N  sessions per tenant (default 100; the oldest idle is closed, else 429)
  Without --tenants: one tenant from the credential variables, key MCP_HTTP_API_KEY; in sandbox mode the keys
  sandbox-acme and sandbox-globex open the two sandbox tenants.

Environment:
  PARTSSOURCE_CLIENT_ID, PARTSSOURCE_CLIENT_SECRET, PARTSSOURCE_API_KEY   PartsSource credentials (all or none)
  PARTSSOURCE_BASE_URL, PARTSSOURCE_TOKEN_URL, PARTSSOURCE_SCOPE          PartsSource endpoints and scope
  AUGUR_TOKEN, AUGUR_SITE_ID                                              Augur credentials (all or none)
  AUGUR_BASE_URL                                                          Augur endpoint
  HTTP_TIMEOUT_MS (15000; one upstream attempt, body included), TOOL_TIMEOUT_MS (30000; a whole tool call, retries
  included), UPSTREAM_MAX_RESPONSE_BYTES (10485760; largest upstream response body)
  LOG_LEVEL (info; logs go to stderr)
  MCP_HTTP_API_KEY, MCP_TENANTS_FILE, MCP_HTTP_HOST, MCP_HTTP_PORT, MCP_HTTP_STATELESS, MCP_HTTP_ALLOWED_HOSTS,
  MCP_HTTP_ALLOWED_ORIGINS, MCP_HTTP_SESSION_IDLE_MS, MCP_HTTP_MAX_CONCURRENCY, MCP_HTTP_MAX_BODY_BYTES,
  MCP_HTTP_RATE_LIMIT, MCP_HTTP_MAX_SESSIONS, MCP_HTTP_MAX_SESSIONS_PER_TENANT   HTTP mode (flags win)
  MCP_HTTP_SHUTDOWN_GRACE_MS (10000; stdio and --http, as --shutdown-grace-ms)
  REDIS_URL, STATE_ENCRYPTION_KEY (32+ characters; encrypts cached tokens at rest, signs confirmation tokens)
                                                                          shared state
See README.md for the full table.
`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        sandbox: { type: 'boolean' },
        'enable-admin': { type: 'boolean' },
        faults: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        http: { type: 'boolean' },
        stateless: { type: 'boolean' },
        tenants: { type: 'string' },
        'allowed-hosts': { type: 'string' },
        'allowed-origins': { type: 'string' },
        'session-idle-ms': { type: 'string' },
        'max-concurrency': { type: 'string' },
        'max-body-bytes': { type: 'string' },
        'shutdown-grace-ms': { type: 'string' },
        'rate-limit': { type: 'string' },
        'max-sessions': { type: 'string' },
        'max-sessions-per-tenant': { type: 'string' },
        'redis-url': { type: 'string' },
        toolsets: { type: 'string' },
        tools: { type: 'string' },
        'exclude-tools': { type: 'string' },
        'read-only': { type: 'boolean' },
        'list-tools': { type: 'boolean' },
        'max-result-bytes': { type: 'string' },
        'confirm-writes': { type: 'string' },
        'max-response-bytes': { type: 'string' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (positionals[0] === 'sandbox') return runSandbox(values.port, values.host, values.faults);
  if (positionals[0] === 'new-key') return printNewKey();
  if (positionals.length > 0) {
    process.stderr.write(`Unknown command: ${positionals[0]}\n\n${HELP}`);
    return 2;
  }
  let toolOptions: ToolOptions;
  try {
    toolOptions = loadToolOptions(process.env, {
      ...(values.toolsets !== undefined ? { toolsets: values.toolsets } : {}),
      ...(values.tools !== undefined ? { tools: values.tools } : {}),
      ...(values['exclude-tools'] !== undefined ? { excludeTools: values['exclude-tools'] } : {}),
      ...(values['read-only'] ? { readOnly: true } : {}),
      ...(values['enable-admin'] ? { enableAdmin: true } : {}),
      ...(values['max-result-bytes'] !== undefined ? { maxResultBytes: values['max-result-bytes'] } : {}),
      ...(values['confirm-writes'] !== undefined ? { confirmWrites: values['confirm-writes'] } : {}),
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`customer-api-mcp: ${error.message}\n`);
    return error.exitCode;
  }
  if (values['list-tools']) return listTools(toolOptions, Boolean(values.sandbox));
  if (values.http) {
    const flags: HttpFlags = {
      ...(values.port !== undefined ? { port: values.port } : {}),
      ...(values.host !== undefined ? { host: values.host } : {}),
      ...(values.stateless ? { stateless: true } : {}),
      ...(values.tenants !== undefined ? { tenants: values.tenants } : {}),
      ...(values['allowed-hosts'] !== undefined ? { allowedHosts: values['allowed-hosts'] } : {}),
      ...(values['allowed-origins'] !== undefined ? { allowedOrigins: values['allowed-origins'] } : {}),
      ...(values['session-idle-ms'] !== undefined ? { sessionIdleMs: values['session-idle-ms'] } : {}),
      ...(values['max-concurrency'] !== undefined ? { maxConcurrency: values['max-concurrency'] } : {}),
      ...(values['max-body-bytes'] !== undefined ? { maxBodyBytes: values['max-body-bytes'] } : {}),
      ...(values['shutdown-grace-ms'] !== undefined ? { shutdownGraceMs: values['shutdown-grace-ms'] } : {}),
      ...(values['rate-limit'] !== undefined ? { rateLimit: values['rate-limit'] } : {}),
      ...(values['max-sessions'] !== undefined ? { maxSessions: values['max-sessions'] } : {}),
      ...(values['max-sessions-per-tenant'] !== undefined ? { maxSessionsPerTenant: values['max-sessions-per-tenant'] } : {}),
    };
    return runHttp(flags, Boolean(values.sandbox), toolOptions, values.faults, values['redis-url'], values['max-response-bytes']);
  }
  const httpOnly = (['stateless', 'tenants', 'allowed-hosts', 'allowed-origins', 'session-idle-ms', 'max-concurrency', 'max-body-bytes', 'rate-limit', 'max-sessions', 'max-sessions-per-tenant'] as const).filter(
    (name) => values[name] !== undefined,
  );
  if (httpOnly.length > 0) {
    process.stderr.write(`--${httpOnly[0]} needs --http\n\n${HELP}`);
    return 2;
  }
  return runStdio(Boolean(values.sandbox), toolOptions, values.faults, values['redis-url'], values['max-response-bytes'], values['shutdown-grace-ms']);
}

/** Streamable HTTP: tenants from a file, from the environment (one), or the built-in sandbox tenants. */
async function runHttp(
  flags: HttpFlags,
  sandboxFlag: boolean,
  toolOptions: ToolOptions,
  faultsFile?: string,
  redisUrl?: string,
  maxResponseBytes?: string,
): Promise<number> {
  const upstreamFlags = maxResponseBytes !== undefined ? { maxResponseBytes } : {};
  let config;
  let http;
  let stateConfig;
  let fileTenants: TenantSpec[] | undefined;
  try {
    http = loadHttpConfig(process.env, flags);
    stateConfig = loadStateConfig(process.env, redisUrl !== undefined ? { redisUrl } : {});
    config = loadConfig(process.env, { sandbox: sandboxFlag, ...(faultsFile ? { faultsFile } : {}), ...upstreamFlags });
    if (!isLoopbackHost(http.host) && !http.tenantsFile && !http.apiKey) {
      throw new ConfigError(
        `refusing to listen on ${http.host} (not a loopback address) without --tenants FILE or MCP_HTTP_API_KEY: ` +
          'anyone who can reach the port could use the server. Set one of them, or bind 127.0.0.1.',
      );
    }
    // With --sandbox the file's tenants name sandbox tenants: they are resolved once the sandbox is up (below).
    if (http.tenantsFile) {
      if (!sandboxFlag) fileTenants = loadTenantsFile(http.tenantsFile, process.env, loadEndpointDefaults(process.env, upstreamFlags));
    } else if (config.mode === 'live' && !http.apiKey) {
      throw new ConfigError('HTTP mode with real credentials needs an API key for its clients: set MCP_HTTP_API_KEY, or use --tenants FILE');
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`customer-api-mcp: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const store = await openStore(stateConfig, log);
  let runtime: Runtime | undefined;
  let tenants: TenantSpec[];
  if (fileTenants) {
    tenants = fileTenants;
  } else if (http.tenantsFile) {
    runtime = await startRuntime(config);
    try {
      tenants = loadTenantsFile(http.tenantsFile, process.env, loadEndpointDefaults(process.env, upstreamFlags), runtime.sandbox!);
    } catch (error) {
      await runtime.close().catch(() => {});
      await store.close().catch(() => {});
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`customer-api-mcp: ${error.message}\n`);
      return error.exitCode;
    }
    log.info(`sandbox mode (--sandbox) with the tenants file ${http.tenantsFile}: its tenants use the embedded sandbox`);
  } else if (config.mode === 'sandbox') {
    runtime = await startRuntime(config);
    tenants = sandboxTenants(runtime.sandbox!, {
      timeoutMs: config.timeoutMs,
      maxResponseBytes: config.maxResponseBytes,
      ...(http.apiKey ? { extraAcmeKey: http.apiKey } : {}),
    });
    log.info(
      `sandbox mode${config.sandboxReason === 'flag' ? ' (--sandbox)' : ' (no credential variable is set)'}: API key ` +
        `"${SANDBOX_API_KEYS.acme}" opens sandbox tenant acme, "${SANDBOX_API_KEYS.globex}" tenant globex` +
        (http.apiKey ? '; MCP_HTTP_API_KEY opens acme too' : ''),
    );
  } else {
    tenants = [environmentTenant(config, http.apiKey!)];
  }

  let server;
  try {
    server = await startHttpServer({
      tenants,
      log,
      host: http.host,
      port: http.port,
      stateless: http.stateless,
      sessionIdleMs: http.sessionIdleMs,
      maxConcurrency: http.maxConcurrency,
      maxBodyBytes: http.maxBodyBytes,
      allowedHosts: http.allowedHosts,
      allowedOrigins: http.allowedOrigins,
      shutdownGraceMs: http.shutdownGraceMs,
      rateLimitPerMinute: http.rateLimitPerMinute,
      maxSessions: http.maxSessions,
      maxSessionsPerTenant: http.maxSessionsPerTenant,
      store,
      ...(stateConfig.encryptionKey ? { stateEncryptionKey: stateConfig.encryptionKey } : {}),
      mcp: { ...serverOptions(toolOptions), toolTimeoutMs: config.toolTimeoutMs },
    });
  } catch (error) {
    await runtime?.close().catch(() => {});
    await store.close().catch(() => {});
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      process.stderr.write(`customer-api-mcp: cannot listen on ${http.host}:${http.port}: ${code}\n`);
      return 2;
    }
    throw error;
  }
  if (!isLoopbackHost(http.host) && http.allowedHosts.length === 0) {
    log.warn('listening beyond loopback, but only loopback Host headers are accepted: set --allowed-hosts to the names clients use');
  }
  let closing = false;
  const shutdown = async (reason: string) => {
    if (closing) return;
    closing = true;
    log.info({ reason, inFlight: server.stats().inFlight }, 'shutting down: finishing in-flight requests');
    await server.close().catch((error: unknown) => log.error({ err: error }, 'error while closing the HTTP server'));
    await runtime?.close().catch(() => {});
    await store.close().catch(() => {});
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  const mode = http.stateless ? 'stateless' : 'stateful';
  log.info({ version: VERSION, url: server.url, mode, tenants: tenants.length }, 'customer-api-mcp ready over Streamable HTTP');
  process.stderr.write(`customer-api-mcp: listening on ${server.url} (${mode}, ${tenants.length} tenant${tenants.length === 1 ? '' : 's'})\n`);
  return -1; // keep running
}

async function runStdio(
  sandboxFlag: boolean,
  toolOptions: ToolOptions,
  faultsFile?: string,
  redisUrl?: string,
  maxResponseBytes?: string,
  graceFlag?: string,
): Promise<number> {
  let config;
  let stateConfig;
  let graceMs: number;
  try {
    graceMs = loadShutdownGraceMs(process.env, graceFlag);
    stateConfig = loadStateConfig(process.env, redisUrl !== undefined ? { redisUrl } : {});
    config = loadConfig(process.env, {
      sandbox: sandboxFlag,
      ...(faultsFile ? { faultsFile } : {}),
      ...(maxResponseBytes !== undefined ? { maxResponseBytes } : {}),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`customer-api-mcp: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  if (config.mode === 'sandbox') {
    log.info(
      config.sandboxReason === 'flag'
        ? 'sandbox mode (--sandbox): using the embedded sandbox with demo tenant acme'
        : 'sandbox mode: no credential variable is set, so the embedded sandbox with demo tenant acme is used; set PARTSSOURCE_CLIENT_ID/_SECRET/_API_KEY and/or AUGUR_TOKEN/AUGUR_SITE_ID to use the real APIs',
    );
  }
  const store = await openStore(stateConfig, log);
  const runtime = await startRuntime(config, { store, log, ...(stateConfig.encryptionKey ? { encryptionKey: stateConfig.encryptionKey } : {}) });
  const stop = new AbortController();
  const server = createMcpServer({
    ...serverOptions(toolOptions),
    clients: runtime.clients,
    log,
    toolTimeoutMs: config.toolTimeoutMs,
    state: runtime.state,
    confirmationSecret: runtime.confirmationSecret,
    stop: stop.signal,
  });
  const transport = new DrainingTransport(negotiateKnownRevisions(new StdioServerTransport()));
  let closing = false;
  // Calls in flight finish and their results are written before the process exits: an order placed upstream is
  // always reported (with its key). Requests that arrive meanwhile are refused with a JSON-RPC error.
  const shutdown = async (reason: string) => {
    if (closing) return;
    closing = true;
    log.info({ reason, inFlight: transport.inFlight, graceMs }, 'shutting down: finishing the calls in flight');
    const outcome = await transport.drain(graceMs, () => {
      log.warn({ inFlight: transport.inFlight, graceMs }, 'shutdown grace passed: cancelling the calls still in flight');
      stop.abort();
    });
    await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
    await server.close().catch(() => {});
    await runtime.close().catch(() => {});
    await store.close().catch(() => {});
    log.info(outcome, 'stopped');
    process.exit(0);
  };
  process.stdin.on('end', () => void shutdown('stdin closed'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // The client went away (EPIPE): nothing can be delivered, but the calls in flight still finish upstream.
  process.stdout.on('error', (error: Error) => {
    log.warn({ err: error.message }, 'stdout closed');
    void shutdown('stdout closed');
  });
  await server.connect(transport);
  log.info({ version: VERSION, upstreams: Object.keys(runtime.clients) }, 'customer-api-mcp ready on stdio');
  return -1; // keep running
}

/** The McpServer options the tool options stand for. */
function serverOptions(options: ToolOptions): Omit<ServerOptions, 'clients' | 'log'> {
  return {
    enableAdmin: options.enableAdmin,
    readOnly: options.readOnly,
    ...(options.toolsets ? { toolsets: options.toolsets } : {}),
    ...(options.toolNames ? { toolNames: options.toolNames } : {}),
    ...(options.excludeTools ? { excludeTools: options.excludeTools } : {}),
    maxResultBytes: options.maxResultBytes,
    confirmWrites: options.confirmWrites,
  };
}

/** --list-tools: the tools these options select, for the upstreams configured (both in sandbox mode). */
function listTools(options: ToolOptions, sandboxFlag: boolean): number {
  let config;
  try {
    config = loadConfig(process.env, { sandbox: sandboxFlag });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`customer-api-mcp: ${error.message}\n`);
    return error.exitCode;
  }
  const upstreams = config.mode === 'sandbox' ? { partssource: true, augur: true } : { partssource: config.partssource, augur: config.augur };
  const tools = offeredTools(ALL_TOOLS, {
    upstreams,
    enableAdmin: options.enableAdmin,
    selections: [{
      ...(options.toolsets ? { toolsets: options.toolsets } : {}),
      ...(options.toolNames ? { tools: options.toolNames } : {}),
      ...(options.excludeTools ? { excludeTools: options.excludeTools } : {}),
      readOnly: options.readOnly,
    }],
  });
  process.stdout.write(toolTable(tools));
  process.stdout.write(`${tools.length} tool${tools.length === 1 ? '' : 's'}${config.mode === 'sandbox' ? ' (sandbox mode: both upstreams)' : ''}\n`);
  return 0;
}

/**
 * `new-key`: a random key for a client and its digest for the tenants file, so that nobody types a weak key.
 * Shell-friendly: `KEY=` and `SHA256=` lines (e.g. `customer-api-mcp new-key | sed -n 's/^KEY=//p'`).
 */
function printNewKey(): number {
  const { key, sha256 } = newApiKey();
  process.stdout.write(
    [
      '# A new API key (32 random bytes, base64url). The client sends it as "Authorization: Bearer <KEY>"; keep it',
      '# secret. The tenants file needs only its SHA-256, e.g.',
      `#   "keys": [{ "sha256": "${sha256}" }]`,
      '# or the key itself in an environment variable: "keys": [{ "env": "ACME_MCP_KEY" }].',
      `KEY=${key}`,
      `SHA256=${sha256}`,
      '',
    ].join('\n'),
  );
  return 0;
}

async function runSandbox(portText: string | undefined, host: string | undefined, faultsFile: string | undefined): Promise<number> {
  const port = portText === undefined ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be an integer from 0 to 65535, got ${portText}\n`);
    return 2;
  }
  let faults;
  try {
    faults = faultsFile ? loadFaultsFile(faultsFile) : undefined;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`customer-api-mcp: ${error.message}\n`);
    return error.exitCode;
  }
  const { startSandbox } = await import('./sandbox/index.js');
  const sandbox = await startSandbox({ port, ...(host ? { host } : {}), recordRequests: false, ...(faults ? { faults } : {}) });
  const lines = [
    `customer-api-mcp sandbox ${VERSION} listening on ${sandbox.origin}`,
    '',
    'PartsSource Customer API',
    `  PARTSSOURCE_BASE_URL=${sandbox.partssource.baseUrl}`,
    `  PARTSSOURCE_TOKEN_URL=${sandbox.partssource.tokenUrl}`,
    ...Object.entries(SANDBOX_PARTSSOURCE_CREDENTIALS).map(
      ([name, c]) => `  ${name}: client_id=${c.clientId} client_secret=${c.clientSecret} x-api-key=${c.apiKey}`,
    ),
    '',
    'Augur customers service',
    `  AUGUR_BASE_URL=${sandbox.augur.baseUrl}`,
    ...Object.entries(SANDBOX_AUGUR_SITES).map(([name, s]) => `  ${name}: AUGUR_SITE_ID=${s.siteId} AUGUR_TOKEN=${s.token}`),
    '',
    'Try:',
    `  TOKEN=$(curl -s -d grant_type=client_credentials -d client_id=${SANDBOX_PARTSSOURCE_CREDENTIALS.acme.clientId} -d client_secret=${SANDBOX_PARTSSOURCE_CREDENTIALS.acme.clientSecret} ${sandbox.partssource.tokenUrl} | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')`,
    `  curl -s -H "Authorization: Bearer $TOKEN" -H "x-api-key: ${SANDBOX_PARTSSOURCE_CREDENTIALS.acme.apiKey}" '${sandbox.partssource.baseUrl}/users/lookup?userId=12345'`,
    '',
    'These are demo credentials of the local sandbox only. Ctrl+C stops it.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`customer-api-mcp: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
