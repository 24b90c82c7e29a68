import { randomBytes } from 'node:crypto';
import { deriveKey } from './crypto.js';
import type { Logger } from '../logger.js';
import type { StateStore } from './store.js';

/** What a tenant's clients and servers need of the state seam. */
export interface TenantState {
  store: StateStore;
  /** The namespace of its keys (tenant name; `default` or `acme` on stdio). Never a secret. */
  tenant: string;
  /** STATE_ENCRYPTION_KEY when set; otherwise keys are derived from the tenant's own credential secret. */
  encryptionKey?: string;
  log?: Logger;
  /** Lease of the token lock (default 10 s). */
  tokenLeaseMs?: number;
  /** Lease of an order's send lock (default 45 s). */
  orderLeaseMs?: number;
}

/** The tenant's own credential secret (HKDF input when STATE_ENCRYPTION_KEY is not set), if it has one. */
export function credentialSecretOf(upstreams: { partssource?: { clientSecret: string }; augur?: { token: string } }): string | undefined {
  return upstreams.partssource?.clientSecret ?? upstreams.augur?.token;
}

/**
 * The key of a tenant's confirmation tokens. In memory (one instance) a random one. On a shared store every
 * instance must compute the same key without storing it: HKDF over STATE_ENCRYPTION_KEY, else over the
 * tenant's own credential secret (PartsSource client secret, or the Augur token).
 */
export function confirmationSecretFor(state: TenantState, credentialSecret: string): Buffer {
  if (state.store.kind === 'memory') return randomBytes(32);
  return deriveKey(state.encryptionKey ?? credentialSecret, `confirm:${state.tenant}`);
}
