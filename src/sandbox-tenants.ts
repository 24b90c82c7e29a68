import type { AugurConfig } from './clients/augur.js';
import type { PartsSourceConfig } from './clients/partssource.js';
import { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS } from './sandbox/credentials.js';
import type { Sandbox } from './sandbox/index.js';

/**
 * The embedded sandbox's demo tenants as upstream configuration: what stdio's sandbox mode, the HTTP server's
 * sandbox tenants and the test harness point their clients at.
 */

/** Where the embedded sandbox listens (the in-process one of --sandbox). */
export type SandboxEndpoints = Pick<Sandbox, 'partssource' | 'augur'>;

/** The tenants that have both a PartsSource tenant and an Augur site in the sandbox. */
export const SANDBOX_TENANT_NAMES = ['acme', 'globex'] as const;
export type SandboxTenantName = (typeof SANDBOX_TENANT_NAMES)[number];

/** The attempt timeout and the response byte cap every upstream client of the tenant gets. */
export interface ClientLimits {
  timeoutMs: number;
  maxResponseBytes?: number;
}

const withLimits = (limits: ClientLimits) => ({
  timeoutMs: limits.timeoutMs,
  ...(limits.maxResponseBytes ? { maxResponseBytes: limits.maxResponseBytes } : {}),
});

/** One PartsSource tenant of the sandbox (any of its demo tenants, read-only ones included). */
export function sandboxPartsSource(
  sandbox: Pick<Sandbox, 'partssource'>,
  name: keyof typeof SANDBOX_PARTSSOURCE_CREDENTIALS,
  limits: ClientLimits,
): PartsSourceConfig {
  const creds = SANDBOX_PARTSSOURCE_CREDENTIALS[name];
  return {
    baseUrl: sandbox.partssource.baseUrl,
    tokenUrl: sandbox.partssource.tokenUrl,
    clientId: creds.clientId,
    clientSecret: creds.clientSecret,
    apiKey: creds.apiKey,
    ...withLimits(limits),
  };
}

/** Both upstreams of one sandbox tenant: its PartsSource tenant and the Augur site paired with it. */
export function sandboxUpstreams(
  sandbox: SandboxEndpoints,
  name: SandboxTenantName,
  limits: ClientLimits,
): { partssource: PartsSourceConfig; augur: AugurConfig } {
  const site = SANDBOX_AUGUR_SITES[name];
  return {
    partssource: sandboxPartsSource(sandbox, name, limits),
    augur: { baseUrl: sandbox.augur.baseUrl, token: site.token, siteId: site.siteId, ...withLimits(limits) },
  };
}
