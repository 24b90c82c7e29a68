import * as z from 'zod';
import { knownSecrets } from '../redaction.js';
import { SharedTokenCache, type CachedToken } from '../state/token-cache.js';
import type { TenantState } from '../state/tenant.js';
import { UpstreamError } from './errors.js';
import { createHttpCore, type HttpCore } from './http-core.js';

export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  timeoutMs?: number;
  now?: () => number;
  /** Where these credentials are configured, named in a refusal (see UpstreamErrorInfo.credentialsLabel). */
  credentialsLabel?: string;
}

/** A token answer is a few fields and a token: anything bigger is not one, and is not read past this. */
const MAX_TOKEN_BODY_BYTES = 64 * 1024;
/** How a token request is named in errors (never the URL's query, which may carry a secret). */
const TOKEN_ENDPOINT = '(token endpoint)';

const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
});

/**
 * OAuth 2.0 client-credentials token provider: one cached token per credential set, reused until shortly before
 * it expires, one in-flight token request shared by every concurrent caller (and, through the tenant's
 * SharedTokenCache, by the fleet), dropped on demand after a 401.
 */
export class ClientCredentialsTokenProvider {
  #cached: CachedToken | undefined;
  /** The token before the cached one: a response to a request made with it may still echo it. */
  #previous: string | undefined;
  #inFlight: Promise<string> | undefined;
  #requests = 0;
  readonly #now: () => number;
  readonly #http: HttpCore;
  readonly #shared: SharedTokenCache | undefined;

  /** With `state`, tokens are shared through the tenant's token cache (the fleet's, on Redis). */
  constructor(
    private readonly credentials: ClientCredentials,
    state?: TenantState,
  ) {
    this.#now = credentials.now ?? Date.now;
    this.#http = tokenEndpoint(credentials);
    const identity = `${credentials.tokenUrl}\n${credentials.clientId}\n${credentials.scope ?? ''}`;
    this.#shared = state && new SharedTokenCache(state, 'partssource', { secret: credentials.clientSecret, identity }, this.#now);
  }

  /** Token requests sent so far (for diagnostics and tests). */
  get requestCount(): number {
    return this.#requests;
  }

  async getToken(correlationId: string): Promise<string> {
    if (this.#cached && this.#now() < this.#cached.refreshAt) return this.#cached.value;
    this.#inFlight ??= this.#obtain(correlationId).finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /**
   * Forget `token` if it is still the cached one (a 401 said it is no longer good), here at once and in the shared
   * cache in the background; until that is done, the shared cache's copy of it is ignored.
   */
  invalidate(token: string): void {
    if (this.#cached?.value === token) {
      this.#previous = token; // still redacted: answers to requests made with it may echo it
      this.#cached = undefined;
    }
    this.#shared?.reject(token);
  }

  /** This process's single flight, then the fleet's: a shared token, or one fetch for the whole fleet. */
  async #obtain(correlationId: string): Promise<string> {
    const fetch = () => this.#fetchToken(correlationId);
    const token = this.#shared ? await this.#shared.obtain(fetch, correlationId) : await fetch();
    this.#hold(token);
    return token.value;
  }

  /** One token request, through the HTTP core's policy (./http-core.ts); its failures are the token endpoint's. */
  async #fetchToken(correlationId: string): Promise<CachedToken> {
    this.#requests++;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.credentials.clientId,
      client_secret: this.credentials.clientSecret,
    });
    if (this.credentials.scope) form.set('scope', this.credentials.scope);
    // A token request has no side effect, so transient failures are retried like a read's.
    const response = await this.#http
      .send({ method: 'POST', path: '', form, correlationId, retry: 'read' })
      .catch((error: unknown) => {
        throw this.#tokenError(error, correlationId);
      });
    const parsed = TokenResponse.safeParse(response.body);
    if (!parsed.success) throw this.#refusal(correlationId, ['the token endpoint answered without a usable access_token'], response.status);
    const lifetimeMs = (parsed.data.expires_in ?? 3600) * 1000;
    // Renew a little early: 10% of the lifetime, at most a minute, so a token never expires mid-request.
    const skewMs = Math.min(60_000, lifetimeMs * 0.1);
    return { value: parsed.data.access_token, refreshAt: this.#now() + lifetimeMs - skewMs };
  }

  /**
   * The core's failure as the token endpoint's: an error status is a refusal (`auth`), an answer that is not JSON
   * has no usable token either; everything else keeps its kind. Named as the token endpoint, with our correlation id.
   */
  #tokenError(error: unknown, correlationId: string): unknown {
    if (!(error instanceof UpstreamError)) return error;
    const { info } = error;
    if (info.kind === 'http') return this.#refusal(correlationId, info.upstreamMessages, info.status);
    if (info.kind === 'invalid_response' && !info.detail) {
      return this.#refusal(correlationId, ['the token endpoint answered without a usable access_token'], info.status);
    }
    return new UpstreamError({ ...info, ...this.#label(), correlationId, path: TOKEN_ENDPOINT });
  }

  #refusal(correlationId: string, messages: string[], status: number | undefined): UpstreamError {
    return new UpstreamError({
      upstream: 'partssource',
      kind: 'auth',
      ...(status !== undefined ? { status } : {}),
      ...this.#label(),
      upstreamMessages: messages,
      correlationId,
      method: 'POST',
      path: TOKEN_ENDPOINT,
    });
  }

  #label(): { credentialsLabel?: string } {
    return this.credentials.credentialsLabel ? { credentialsLabel: this.credentials.credentialsLabel } : {};
  }

  /**
   * Caches `token` and tells the process's secret registry which tokens this provider holds now (this one and the
   * one before), so that an upstream echoing one gets `[redacted]` in results and logs.
   */
  #hold(token: CachedToken): void {
    const current = this.#cached?.value;
    if (current !== undefined && current !== token.value) this.#previous = current;
    this.#cached = token;
    knownSecrets.replace(this, [token.value, ...(this.#previous !== undefined ? [this.#previous] : [])]);
  }
}

/**
 * The token endpoint as an HTTP core of its own: the same deadline, manual redirects, retries and error
 * normalisation as every API call, a 64 KB body cap, and no circuit breaker (a token request never had one: each
 * call still asks, and says what the endpoint answered).
 */
function tokenEndpoint(credentials: ClientCredentials): HttpCore {
  return createHttpCore({
    upstream: 'partssource',
    baseUrl: credentials.tokenUrl,
    urlName: 'token URL (PARTSSOURCE_TOKEN_URL)',
    ...(credentials.timeoutMs ? { timeoutMs: credentials.timeoutMs } : {}),
    maxResponseBytes: MAX_TOKEN_BODY_BYTES,
    oversizeAdvice: 'A token answer is never that large: an operator must check PARTSSOURCE_TOKEN_URL.',
    retryLimit: 2,
    circuitBreaker: { failureThreshold: Number.POSITIVE_INFINITY },
  });
}
