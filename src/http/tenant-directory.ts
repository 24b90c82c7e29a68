import type { Logger } from '../logger.js';
import type { ToolSelection } from '../mcp/tool-selection.js';
import { stateKey, type RateLimit, type StateStore } from '../state/store.js';
import { buildTenantRuntime, type TenantRuntime } from '../tenant-runtime.js';
import { KeyRing } from './auth.js';
import { FleetConcurrencyLimit } from './limits.js';
import type { Principal } from './oauth/verifier.js';
import type { TenantSpec } from './tenants.js';

/** One tenant of the HTTP server: its runtime (clients, state, confirmation key), logger and request budgets. */
export interface HttpTenant extends TenantRuntime {
  name: string;
  log: Logger;
  limit: FleetConcurrencyLimit;
  rate?: RateLimit;
  /** The tenant's narrowing of the tool selection (tenants file). */
  selection?: ToolSelection;
}

/** Who sent a request: its tenant and, when it came with an OAuth access token, the token's principal. */
export interface Caller {
  tenant: HttpTenant;
  principal?: Principal;
}

export interface TenantDirectoryOptions {
  store: StateStore;
  log: Logger;
  /** Concurrent MCP POSTs per tenant, unless its spec says otherwise. */
  maxConcurrency: number;
  /** MCP requests per tenant per minute (0 or unset: no rate limit). */
  rateLimitPerMinute?: number;
  stateEncryptionKey?: string;
}

/** The running tenants, and the key ring that finds a request's tenant by its API key. */
export interface TenantDirectory {
  tenants: HttpTenant[];
  keys: KeyRing<HttpTenant>;
}

export async function buildTenantDirectory(specs: readonly TenantSpec[], options: TenantDirectoryOptions): Promise<TenantDirectory> {
  const { store } = options;
  const rate = options.rateLimitPerMinute ? await store.rateLimiter({ points: options.rateLimitPerMinute, durationSeconds: 60 }) : undefined;
  const keys = new KeyRing<HttpTenant>();
  const tenants = specs.map((spec) => {
    const log = options.log.child({ tenant: spec.name });
    const maxConcurrency = spec.maxConcurrency ?? options.maxConcurrency;
    const tenant: HttpTenant = {
      ...buildTenantRuntime(spec, { store, log, ...(options.stateEncryptionKey ? { encryptionKey: options.stateEncryptionKey } : {}) }),
      name: spec.name,
      log,
      limit: new FleetConcurrencyLimit(maxConcurrency, store, stateKey(spec.name, 'limit', 'concurrency'), log),
      ...(rate ? { rate } : {}),
      ...(spec.selection ? { selection: spec.selection } : {}),
    };
    spec.keyDigests.forEach((digest) => keys.add(digest, tenant));
    return tenant;
  });
  return { tenants, keys };
}
