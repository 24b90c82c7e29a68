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
