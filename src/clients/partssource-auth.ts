import ky, { HTTPError, TimeoutError } from 'ky';
import * as z from 'zod';
import { readErrorBody } from './error-body.js';
import { UpstreamError } from './errors.js';

export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  timeoutMs?: number;
  now?: () => number;
}

const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
});

interface CachedToken {
  value: string;
  /** When we stop using it: shortly before the upstream's expiry. */
  refreshAt: number;
}

/**
 * OAuth 2.0 client-credentials token provider: one cached token per credential set, reused until shortly before
 * it expires, one in-flight token request shared by every concurrent caller, dropped on demand after a 401.
 */
export class ClientCredentialsTokenProvider {
  #cached: CachedToken | undefined;
  #inFlight: Promise<string> | undefined;
  #requests = 0;
  readonly #now: () => number;

  constructor(private readonly credentials: ClientCredentials) {
    this.#now = credentials.now ?? Date.now;
  }

  /** Token requests sent so far (for diagnostics and tests). */
  get requestCount(): number {
    return this.#requests;
  }

  async getToken(correlationId: string): Promise<string> {
    if (this.#cached && this.#now() < this.#cached.refreshAt) return this.#cached.value;
    this.#inFlight ??= this.#fetchToken(correlationId).finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /** Forget `token` if it is still the cached one (a 401 said it is no longer good). */
  invalidate(token: string): void {
    if (this.#cached?.value === token) this.#cached = undefined;
  }

  async #fetchToken(correlationId: string): Promise<string> {
    this.#requests++;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.credentials.clientId,
      client_secret: this.credentials.clientSecret,
    });
    if (this.credentials.scope) form.set('scope', this.credentials.scope);
    const fail = (messages: string[], status?: number, kind: 'auth' | 'network' | 'timeout' = 'auth') =>
      new UpstreamError({
        upstream: 'partssource',
        kind,
        ...(status !== undefined ? { status } : {}),
        upstreamMessages: messages,
        correlationId,
        method: 'POST',
        path: '(token endpoint)',
      });
    let body: unknown;
    try {
      body = await ky
        .post(this.credentials.tokenUrl, {
          body: form,
          headers: { accept: 'application/json', 'x-correlation-id': correlationId },
          timeout: this.credentials.timeoutMs ?? 15_000,
          // A token request has no side effect, so transient failures are retried.
          retry: { limit: 2, methods: ['post'], statusCodes: [429, 500, 502, 503, 504], backoffLimit: 2_000 },
        })
        .json();
    } catch (error) {
      if (error instanceof HTTPError) {
        const text = await error.response.text().catch(() => '');
        const facts = readErrorBody(text, error.response.headers.get('content-type'));
        throw fail(facts.messages, error.response.status);
      }
      if (error instanceof TimeoutError) throw fail(['the token endpoint did not answer in time'], undefined, 'timeout');
      throw fail(['the token endpoint could not be reached'], undefined, 'network');
    }
    const parsed = TokenResponse.safeParse(body);
    if (!parsed.success) throw fail(['the token endpoint answered without a usable access_token']);
    const lifetimeMs = (parsed.data.expires_in ?? 3600) * 1000;
    // Renew a little early: 10% of the lifetime, at most a minute, so a token never expires mid-request.
    const skewMs = Math.min(60_000, lifetimeMs * 0.1);
    this.#cached = { value: parsed.data.access_token, refreshAt: this.#now() + lifetimeMs - skewMs };
    return parsed.data.access_token;
  }
}
