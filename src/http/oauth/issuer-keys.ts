import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import type { Logger } from '../../logger.js';

export interface IssuerKeysOptions {
  issuer: string;
  log: Logger;
  /** A refetch of the key set for an unknown `kid` waits this long after the last one (default 30 s, jose's). */
  cooldownMs?: number;
  /** First retry after a failed metadata fetch (default 1 s), doubling up to 60 s. */
  retryMs?: number;
  /** Per metadata request (default 5 s). */
  timeoutMs?: number;
}

export type KeysStatus = { ready: true } | { ready: false; reason: string };

const MAX_RETRY_MS = 60_000;

/**
 * The issuer's signing keys: its metadata (RFC 8414 `/.well-known/oauth-authorization-server`, else OpenID
 * `/.well-known/openid-configuration`) gives the `jwks_uri`; jose's remote key set caches the keys and refetches
 * them when a token names an unknown `kid` (after a cooldown, so random kids cannot hammer the issuer). Until the
 * metadata is read, `keys` is undefined (tokens get 401) and the fetch is retried with backoff.
 */
export class IssuerKeys {
  #keys: JWTVerifyGetKey | undefined;
  #status: KeysStatus = { ready: false, reason: 'the authorization server metadata has not been fetched yet' };
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(private readonly options: IssuerKeysOptions) {}

  get keys(): JWTVerifyGetKey | undefined {
    return this.#keys;
  }

  status(): KeysStatus {
    return this.#status;
  }

  /** Resolves once the first attempt ended (success or not): the server starts either way. */
  async start(): Promise<void> {
    await this.#attempt(this.options.retryMs ?? 1_000);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  async #attempt(nextDelayMs: number): Promise<void> {
    if (this.#closed) return;
    try {
      const jwksUri = await this.#jwksUri();
      this.#keys = createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: this.options.cooldownMs ?? 30_000, timeoutDuration: this.options.timeoutMs ?? 5_000 });
      this.#status = { ready: true };
      this.options.log.info({ issuer: this.options.issuer, jwksUri }, 'OAuth: authorization server metadata read; access tokens are accepted');
    } catch (error) {
      this.#status = { ready: false, reason: `the authorization server metadata could not be read: ${(error as Error).message}` };
      this.options.log.warn({ issuer: this.options.issuer, err: (error as Error).message, retryInMs: nextDelayMs }, 'OAuth: authorization server metadata unavailable; tokens are refused until it is read');
      this.#timer = setTimeout(() => void this.#attempt(Math.min(nextDelayMs * 2, MAX_RETRY_MS)), nextDelayMs);
      this.#timer.unref();
    }
  }

  /** The `jwks_uri` of the first metadata document that answers, after checking it names this issuer. */
  async #jwksUri(): Promise<string> {
    const failures: string[] = [];
    for (const url of metadataUrls(this.options.issuer)) {
      try {
        const metadata = await fetchJson(url, this.options.timeoutMs ?? 5_000);
        if (metadata.issuer !== this.options.issuer) throw new Error(`its issuer is ${JSON.stringify(metadata.issuer)}, not the configured one`);
        if (typeof metadata.jwks_uri !== 'string') throw new Error('it has no jwks_uri');
        return metadata.jwks_uri;
      } catch (error) {
        failures.push(`${url}: ${(error as Error).message}`);
      }
    }
    throw new Error(failures.join('; '));
  }
}

/** RFC 8414 §3.1 (well-known part inserted before the issuer's path), then OpenID Connect Discovery (appended). */
export function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return [`${url.origin}/.well-known/oauth-authorization-server${path}`, `${url.origin}${path}/.well-known/openid-configuration`];
}

async function fetchJson(url: string, timeoutMs: number): Promise<Record<string, unknown>> {
  // A timer held here, not AbortSignal.timeout: on Node 20 an unreferenced timeout signal can be collected early.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  try {
    const response = await fetch(url, { signal: controller.signal, redirect: 'error', headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const body = (await response.json()) as unknown;
    if (typeof body !== 'object' || body === null) throw new Error('not a JSON object');
    return body as Record<string, unknown>;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new Error(cause ? `${(error as Error).message} (${cause})` : (error as Error).message);
  } finally {
    clearTimeout(timer);
  }
}
