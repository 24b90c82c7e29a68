import { openAuditTrail } from '../audit/audit-trail.js';
import { ConfigError } from '../config/config-error.js';
import { isLoopbackHost, type HttpConfig } from '../config/http-config.js';
import type { StateConfig } from '../config/state-config.js';
import type { TelemetryConfig } from '../config/telemetry-config.js';
import type { ToolOptions } from '../config/tool-options.js';
import type { AppConfig, EndpointDefaults } from '../config/upstreams.js';
import { startHttpServer } from '../http/server.js';
import { environmentTenant, loadTenantsFile, sandboxTenants, SANDBOX_API_KEYS, type TenantSpec } from '../http/tenants.js';
import { createLogger, type Logger } from '../logger.js';
import { openStore } from '../state/open-store.js';
import { loadTelemetry } from '../telemetry/load.js';
import { startRuntime, type Runtime } from '../tenant-runtime.js';
import { VERSION } from '../version.js';
import { closeQuietly, listenFailure, onStopSignals } from './lifecycle.js';

export interface HttpPlan {
  config: AppConfig;
  http: HttpConfig;
  state: StateConfig;
  tools: ToolOptions;
  /** Endpoint defaults of a tenants file's tenants. */
  endpoints: EndpointDefaults;
  telemetry: TelemetryConfig;
}

/** Streamable HTTP: tenants from a file, from the environment (one), or the built-in sandbox tenants. */
export async function runHttp(plan: HttpPlan): Promise<'running'> {
  const { config, http } = plan;
  refuseUnsafe(plan);
  // Without --sandbox a tenants file is read before anything starts; with it, once the sandbox is up (tenantsOf).
  const fileTenants = http.tenantsFile && config.sandboxReason !== 'flag' ? loadTenantsFile(http.tenantsFile, process.env, plan.endpoints) : undefined;
  const log = createLogger(config.logLevel);
  const telemetry = await loadTelemetry(plan.telemetry, log);
  const store = await openStore(plan.state, log);
  const audit = await openAuditTrail(plan.tools.auditLog, log);
  let runtime: Runtime | undefined;
  try {
    let tenants = fileTenants;
    if (!tenants) ({ tenants, runtime } = await sandboxOrEnvironmentTenants(plan, log));
    const { tenantsFile: _file, apiKey: _key, ...listen } = http;
    const server = await startHttpServer({
      ...listen,
      tenants,
      log,
      store,
      ...(plan.state.encryptionKey ? { stateEncryptionKey: plan.state.encryptionKey } : {}),
      mcp: { ...plan.tools, toolTimeoutMs: config.toolTimeoutMs, audit, ...(telemetry ? { telemetry } : {}) },
      ...(telemetry ? { telemetry } : {}),
      ...(plan.telemetry.metricsKey ? { metricsKey: plan.telemetry.metricsKey } : {}),
    });
    if (!isLoopbackHost(http.host) && http.allowedHosts.length === 0) {
      log.warn('listening beyond loopback, but only loopback Host headers are accepted: set --allowed-hosts to the names clients use');
    }
    closeOnStop(log, server, [runtime, store, audit, telemetry]);
    const mode = http.stateless ? 'stateless' : 'stateful';
    log.info({ version: VERSION, url: server.url, mode, tenants: tenants.length }, 'customer-api-mcp ready over Streamable HTTP');
    process.stderr.write(`customer-api-mcp: listening on ${server.url} (${mode}, ${tenants.length} tenant${tenants.length === 1 ? '' : 's'})\n`);
    return 'running';
  } catch (error) {
    await closeQuietly(runtime, store, audit, telemetry);
    throw listenFailure(error, http.host, http.port);
  }
}

/** Configurations that would open the server to anyone, or to nobody. */
function refuseUnsafe({ config, http }: HttpPlan): void {
  if (http.oauth && !http.tenantsFile && config.mode !== 'sandbox') {
    throw new ConfigError(
      `--oauth-tenant-claim (MCP_OAUTH_TENANT_CLAIM, "${http.oauth.tenantClaim}") names tenants of a tenants file: with --oauth-issuer set --tenants FILE ` +
        '(each tenant its upstream credentials), or use --sandbox',
    );
  }
  if (!isLoopbackHost(http.host) && !http.tenantsFile && !http.apiKey) {
    throw new ConfigError(
      `refusing to listen on ${http.host} (not a loopback address) without --tenants FILE or MCP_HTTP_API_KEY: ` +
        'anyone who can reach the port could use the server. Set one of them, or bind 127.0.0.1.',
    );
  }
  if (!http.tenantsFile && config.mode === 'live' && !http.apiKey) {
    throw new ConfigError('HTTP mode with real credentials needs an API key for its clients: set MCP_HTTP_API_KEY, or use --tenants FILE');
  }
}

/** Sandbox mode: the sandbox starts, then its tenants (a --sandbox tenants file's, or the two built-in ones); live: one tenant. */
async function sandboxOrEnvironmentTenants({ config, http, endpoints }: HttpPlan, log: Logger): Promise<{ tenants: TenantSpec[]; runtime?: Runtime }> {
  if (config.mode !== 'sandbox') return { tenants: [environmentTenant(config, http.apiKey!)] };
  const runtime = await startRuntime(config);
  try {
    if (http.tenantsFile) {
      const tenants = loadTenantsFile(http.tenantsFile, process.env, endpoints, runtime.sandbox!);
      log.info(`sandbox mode (--sandbox) with the tenants file ${http.tenantsFile}: its tenants use the embedded sandbox`);
      return { tenants, runtime };
    }
  } catch (error) {
    await closeQuietly(runtime);
    throw error;
  }
  const tenants = sandboxTenants(runtime.sandbox!, {
    timeoutMs: config.timeoutMs,
    maxResponseBytes: config.maxResponseBytes,
    ...(http.apiKey ? { extraAcmeKey: http.apiKey } : {}),
  });
  log.info(
    `sandbox mode${config.sandboxReason === 'flag' ? ' (--sandbox)' : ' (no credential variable is set)'}: API key ` +
      `"${SANDBOX_API_KEYS.acme}" opens sandbox tenant acme, "${SANDBOX_API_KEYS.globex}" tenant globex` +
      (http.apiKey ? '; MCP_HTTP_API_KEY opens acme too' : ''),
  );
  return { tenants, runtime };
}

/** SIGTERM/SIGINT: the requests in flight finish (the server's grace), then everything closes and the process exits 0. */
function closeOnStop(
  log: Logger,
  server: Awaited<ReturnType<typeof startHttpServer>>,
  resources: Array<{ close(): Promise<unknown> } | undefined>,
): void {
  let closing = false;
  onStopSignals((reason) => {
    if (closing) return;
    closing = true;
    log.info({ reason, inFlight: server.stats().inFlight }, 'shutting down: finishing in-flight requests');
    void server
      .close()
      .catch((error: unknown) => log.error({ err: error }, 'error while closing the HTTP server'))
      .then(() => closeQuietly(...resources))
      .then(() => {
        log.info('stopped');
        process.exit(0);
      });
  });
}
