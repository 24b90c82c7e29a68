import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { StateConfig } from '../config/state-config.js';
import type { TelemetryConfig } from '../config/telemetry-config.js';
import type { ToolOptions } from '../config/tool-options.js';
import type { AppConfig } from '../config/upstreams.js';
import { openAuditTrail } from '../audit/audit-trail.js';
import { createLogger, type Logger } from '../logger.js';
import { negotiateKnownRevisions } from '../mcp/protocol-revisions.js';
import { createMcpServer } from '../server.js';
import { openStore } from '../state/open-store.js';
import { DrainingTransport } from '../stdio/draining-transport.js';
import { loadTelemetry } from '../telemetry/load.js';
import { startRuntime } from '../tenant-runtime.js';
import { VERSION } from '../version.js';
import { closeQuietly, onStopSignals } from './lifecycle.js';

export interface StdioPlan {
  config: AppConfig;
  state: StateConfig;
  tools: ToolOptions;
  shutdownGraceMs: number;
  telemetry: TelemetryConfig;
}

/** MCP over stdio for one tenant: the environment's credentials, or the sandbox's tenant acme. */
export async function runStdio(plan: StdioPlan): Promise<'running'> {
  const { config } = plan;
  const log = createLogger(config.logLevel);
  if (config.mode === 'sandbox') {
    log.info(
      config.sandboxReason === 'flag'
        ? 'sandbox mode (--sandbox): using the embedded sandbox with demo tenant acme'
        : 'sandbox mode: no credential variable is set, so the embedded sandbox with demo tenant acme is used; set PARTSSOURCE_CLIENT_ID/_SECRET/_API_KEY and/or AUGUR_TOKEN/AUGUR_SITE_ID to use the real APIs',
    );
  }
  const telemetry = await loadTelemetry(plan.telemetry, log);
  const store = await openStore(plan.state, log);
  const runtime = await startRuntime(config, { store, log, ...(plan.state.encryptionKey ? { encryptionKey: plan.state.encryptionKey } : {}) });
  const stop = new AbortController();
  const audit = await openAuditTrail(plan.tools.auditLog, log);
  const server = createMcpServer({
    ...plan.tools,
    clients: runtime.clients,
    log,
    toolTimeoutMs: config.toolTimeoutMs,
    state: runtime.state,
    confirmationSecret: runtime.confirmationSecret,
    stop: stop.signal,
    audit,
    caller: { tenant: config.mode === 'sandbox' ? 'acme' : 'default' },
    ...(telemetry ? { telemetry } : {}),
  });
  const transport = new DrainingTransport(negotiateKnownRevisions(new StdioServerTransport()));
  drainOnStop(transport, log, plan.shutdownGraceMs, stop, [server, runtime, store, audit, ...(telemetry ? [telemetry] : [])]);
  await server.connect(transport);
  log.info({ version: VERSION, upstreams: Object.keys(runtime.clients) }, 'customer-api-mcp ready on stdio');
  return 'running';
}

/**
 * Calls in flight finish and their results are written before the process exits: an order placed upstream is
 * always reported (with its key). Requests that arrive meanwhile are refused with a JSON-RPC error.
 */
function drainOnStop(
  transport: DrainingTransport,
  log: Logger,
  graceMs: number,
  stop: AbortController,
  resources: Array<{ close(): Promise<unknown> }>,
): void {
  let closing = false;
  const shutdown = async (reason: string) => {
    if (closing) return;
    closing = true;
    log.info({ reason, inFlight: transport.inFlight, graceMs }, 'shutting down: finishing the calls in flight');
    const outcome = await transport.drain(graceMs, () => {
      log.warn({ inFlight: transport.inFlight, graceMs }, 'shutdown grace passed: cancelling the calls still in flight');
      stop.abort();
    });
    await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
    await closeQuietly(...resources);
    log.info(outcome, 'stopped');
    process.exit(0);
  };
  process.stdin.on('end', () => void shutdown('stdin closed'));
  onStopSignals((reason) => void shutdown(reason));
  // The client went away (EPIPE): nothing can be delivered, but the calls in flight still finish upstream.
  process.stdout.on('error', (error: Error) => {
    log.warn({ err: error.message }, 'stdout closed');
    void shutdown('stdout closed');
  });
}
