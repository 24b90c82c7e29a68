import { AugurClient } from './clients/augur.js';
import { PartsSourceClient } from './clients/partssource.js';
import type { AppConfig } from './config.js';
import { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS } from './sandbox/credentials.js';
import type { Sandbox } from './sandbox/index.js';
import type { TenantState } from './state/tenant.js';
import type { UpstreamClients } from './tools/define.js';

export interface Runtime {
  clients: UpstreamClients;
  /** The in-process sandbox, in sandbox mode. */
  sandbox?: Sandbox;
  close(): Promise<void>;
}

/**
 * Builds the upstream clients for a configuration. In sandbox mode it first starts the embedded sandbox on a
 * random loopback port and talks to it over real HTTP with tenant acme's demo credentials (and the Augur site paired with acme).
 */
export async function startRuntime(config: AppConfig, state?: TenantState): Promise<Runtime> {
  if (config.mode === 'sandbox') {
    // Loaded only in sandbox mode: a live-mode start does not pay for the sandbox's modules and seed.
    const { startSandbox } = await import('./sandbox/index.js');
    const sandbox = await startSandbox({ recordRequests: false, ...(config.sandboxFaults ? { faults: config.sandboxFaults } : {}) });
    const acme = SANDBOX_PARTSSOURCE_CREDENTIALS.acme;
    const clients: UpstreamClients = {
      partssource: new PartsSourceClient({
        baseUrl: sandbox.partssource.baseUrl,
        tokenUrl: sandbox.partssource.tokenUrl,
        clientId: acme.clientId,
        clientSecret: acme.clientSecret,
        apiKey: acme.apiKey,
        timeoutMs: config.timeoutMs,
        maxResponseBytes: config.maxResponseBytes,
      }, state),
      augur: new AugurClient({
        baseUrl: sandbox.augur.baseUrl,
        token: SANDBOX_AUGUR_SITES.acme.token,
        siteId: SANDBOX_AUGUR_SITES.acme.siteId,
        timeoutMs: config.timeoutMs,
        maxResponseBytes: config.maxResponseBytes,
      }),
    };
    return { clients, sandbox, close: () => sandbox.close() };
  }
  const clients: UpstreamClients = {
    ...(config.partssource ? { partssource: new PartsSourceClient(config.partssource, state) } : {}),
    ...(config.augur ? { augur: new AugurClient(config.augur) } : {}),
  };
  return { clients, close: async () => {} };
}
