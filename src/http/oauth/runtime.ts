import type { OAuthConfig } from '../../config/oauth-config.js';
import type { Logger } from '../../logger.js';
import type { Readiness } from '../readiness.js';
import type { HttpTenant } from '../tenant-directory.js';
import { Introspector } from './introspection.js';
import { IssuerKeys } from './issuer-keys.js';
import { scopesSupported } from './metadata.js';
import { scopeNames, type ScopeNames } from './scopes.js';

/** What the HTTP handlers need of resource-server mode: its settings, the issuer's keys, scopes and tenants by name. */
export interface OAuthRuntime {
  config: OAuthConfig;
  keys: IssuerKeys;
  /** Opaque tokens (RFC 7662), when an introspection endpoint is configured. */
  introspector?: Introspector;
  names: ScopeNames;
  /** `scopes_supported` of the metadata. */
  supported: string[];
  /** The scope a 401 asks for: read and write (admin is asked for by a 403 only, where a call needs it). */
  challengeScope: string[];
  tenantsByName: ReadonlyMap<string, HttpTenant>;
}

export interface OAuthStartOptions {
  config: OAuthConfig;
  tenants: readonly HttpTenant[];
  log: Logger;
  enableAdmin: boolean;
  /** Cooldown of a key-set refetch for an unknown kid (default 30 s; tests use less). */
  jwksCooldownMs?: number;
  /** First retry after the issuer's metadata could not be read (default 1 s, doubling up to 60 s). */
  metadataRetryMs?: number;
}

/** Reads the issuer's metadata once before returning (the server starts even when that fails: retried with backoff). */
export async function startOAuth(options: OAuthStartOptions): Promise<OAuthRuntime> {
  const { config } = options;
  const keys = new IssuerKeys({
    issuer: config.issuer,
    log: options.log,
    ...(options.jwksCooldownMs !== undefined ? { cooldownMs: options.jwksCooldownMs } : {}),
    ...(options.metadataRetryMs !== undefined ? { retryMs: options.metadataRetryMs } : {}),
  });
  await keys.start();
  const names = scopeNames(config.scopePrefix);
  const { introspection } = config;
  return {
    config,
    keys,
    ...(introspection ? { introspector: new Introspector({ ...config, introspection }, { log: options.log }) } : {}),
    names,
    supported: scopesSupported(names, options.enableAdmin),
    challengeScope: [names.read, names.write],
    tenantsByName: new Map(options.tenants.map((tenant) => [tenant.name, tenant])),
  };
}

/** /readyz with the issuer's keys: not ready, with the reason, until they are available. */
export function withOAuthReadiness(readiness: () => Promise<Readiness>, oauth: OAuthRuntime | undefined): () => Promise<Readiness> {
  if (!oauth) return readiness;
  return async () => {
    const ready = await readiness();
    const keys = oauth.keys.status();
    if (keys.ready) return { ...ready, oauth: { status: 'ready' } };
    return { ...ready, status: 'not_ready', oauth: { status: 'not_ready', reason: keys.reason } };
  };
}
