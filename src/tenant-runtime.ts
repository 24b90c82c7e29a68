import { AugurClient, type AugurConfig } from './clients/augur.js';
import { PartsSourceClient, type PartsSourceConfig } from './clients/partssource.js';
import type { AppConfig } from './config.js';
import type { Logger } from './logger.js';
import type { Sandbox } from './sandbox/index.js';
import { sandboxUpstreams } from './sandbox-tenants.js';
import { MemoryStore } from './state/memory.js';
import type { StateStore } from './state/store.js';
import { confirmationSecretFor, credentialSecretOf, type TenantState } from './state/tenant.js';
import type { UpstreamClients } from './clients/types.js';

/** What a tenant's upstream clients are built from: one configuration per upstream it uses. */
export interface TenantUpstreams {
  partssource?: PartsSourceConfig;
  augur?: AugurConfig;
}

/** What all tenants of a process share. */
export interface SharedState {
  store: StateStore;
  /** The tenant's logger (HTTP gives each tenant a child logger; stdio its one logger). */
  log?: Logger;
  /** STATE_ENCRYPTION_KEY, when set. */
  encryptionKey?: string;
}

/** One tenant, ready to serve: its own clients (so its own token cache), its state, its confirmation key. */
export interface TenantRuntime {
  clients: UpstreamClients;
  state: TenantState;
  /** Key of this tenant's confirmation tokens: a token works across its sessions, never for another tenant. */
  confirmationSecret: Buffer;
}

/**
 * The one place a tenant's runtime is built, for stdio (startRuntime), the HTTP server (each tenant of the
 * tenants file, the environment or the sandbox) and the test harness.
 */
export function buildTenantRuntime(tenant: TenantUpstreams & { name: string }, shared: SharedState): TenantRuntime {
  const state: TenantState = {
    store: shared.store,
    tenant: tenant.name,
    ...(shared.log ? { log: shared.log } : {}),
    ...(shared.encryptionKey ? { encryptionKey: shared.encryptionKey } : {}),
  };
  return {
    clients: {
      ...(tenant.partssource ? { partssource: new PartsSourceClient(tenant.partssource, state) } : {}),
      ...(tenant.augur ? { augur: new AugurClient(tenant.augur) } : {}),
    },
    state,
    confirmationSecret: confirmationSecretFor(state, credentialSecretOf(tenant) ?? tenant.name),
  };
}

/** Stdio's one tenant, and the embedded sandbox it uses in sandbox mode. */
export interface Runtime extends TenantRuntime {
  /** The in-process sandbox, in sandbox mode. */
  sandbox?: Sandbox;
  close(): Promise<void>;
}

/**
 * Builds the runtime of a configuration's one tenant. In sandbox mode it first starts the embedded sandbox on a
 * random loopback port and talks to it over real HTTP as tenant acme (its PartsSource tenant and Augur site).
 * The state's key namespace is that tenant: acme in sandbox mode (as over HTTP), else `default`.
 */
export async function startRuntime(config: AppConfig, shared: SharedState = { store: new MemoryStore() }): Promise<Runtime> {
  if (config.mode === 'sandbox') {
    // Loaded only in sandbox mode: a live-mode start does not pay for the sandbox's modules and seed.
    const { startSandbox } = await import('./sandbox/index.js');
    const sandbox = await startSandbox({ recordRequests: false, ...(config.sandboxFaults ? { faults: config.sandboxFaults } : {}) });
    const upstreams = sandboxUpstreams(sandbox, 'acme', { timeoutMs: config.timeoutMs, maxResponseBytes: config.maxResponseBytes });
    return { ...buildTenantRuntime({ name: 'acme', ...upstreams }, shared), sandbox, close: () => sandbox.close() };
  }
  return { ...buildTenantRuntime({ name: 'default', partssource: config.partssource, augur: config.augur }, shared), close: async () => {} };
}
