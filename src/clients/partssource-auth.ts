import { randomUUID } from 'node:crypto';
import ky, { HTTPError, TimeoutError } from 'ky';
import * as z from 'zod';
import type { Logger } from '../logger.js';
import type { Sealer } from '../state/crypto.js';
import { StoreUnavailableError, sleep, type StateStore } from '../state/store.js';
import { knownSecrets } from '../redaction.js';
import { displayUrl, isUnresolvableHost } from './dns.js';
import { readErrorBody } from './error-body.js';
import { oversizeDetail, redirectDetail, UpstreamError } from './errors.js';
import { BodyTimeoutError, BodyTooLargeError, MAX_ERROR_BODY_BYTES, readBodyText } from './read-body.js';

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

const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
});

/**
 * The fleet-wide token cache: the token sealed (AES-256-GCM) under `key`, and a lock (`lockKey`, with a lease)
 * so that one instance fetches while the others wait for its token.
 */
export interface SharedTokenCache {
  store: StateStore;
  key: string;
  lockKey: string;
  sealer: Sealer;
  /** Binds a sealed token to this credential set (token URL, client id, scope) without naming it in the key. */
  identity: string;
  log?: Logger;
  /** A lock holder that died frees the lock after this long (default 10 s); waiters give up after it too. */
  leaseMs?: number;
}

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
  /** The token before the cached one: a response to a request made with it may still echo it. */
  #previous: string | undefined;
  #inFlight: Promise<string> | undefined;
  /** The last token a 401 rejected: never taken from the shared cache again. */
  #rejected: string | undefined;
  #requests = 0;
  readonly #now: () => number;

  constructor(
    private readonly credentials: ClientCredentials,
    private readonly shared?: SharedTokenCache,
  ) {
    this.#now = credentials.now ?? Date.now;
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
    const shared = this.shared;
    if (!shared) return;
    this.#rejected = token;
    void (async () => {
      const sealed = await shared.store.get(shared.key);
      if (sealed !== undefined && this.#open(sealed)?.value === token) await shared.store.deleteIfEquals(shared.key, sealed);
    })().catch((error: Error) =>
      shared.log?.warn({ err: error.message }, 'state store unavailable: could not drop the rejected token from the shared cache'),
    );
  }

  /** This process's single flight, then the fleet's: a shared token, or one fetch for the whole fleet. */
  async #obtain(correlationId: string): Promise<string> {
    if (!this.shared) return this.#fetchToken(correlationId);
    try {
      return await this.#obtainShared(correlationId, this.shared);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      this.shared.log?.warn({ correlationId, err: error.message }, 'state store unavailable: fetching a token for this instance only');
      return this.#fetchToken(correlationId);
    }
  }

  async #obtainShared(correlationId: string, shared: SharedTokenCache): Promise<string> {
    const leaseMs = shared.leaseMs ?? 10_000;
    const giveUpAt = Date.now() + leaseMs + 1_000;
    const holder = randomUUID();
    for (let wait = 10; ; wait = Math.min(wait * 2, 100)) {
      const found = await this.#readShared(shared);
      if (found) return found;
      if (await shared.store.setIfAbsent(shared.lockKey, holder, leaseMs)) {
        try {
          // Someone may have stored a token between our read and our lock.
          const again = await this.#readShared(shared);
          if (again) return again;
          const token = await this.#fetchToken(correlationId);
          const cached = this.#cached!;
          await shared.store
            .set(shared.key, shared.sealer.seal(JSON.stringify(cached), this.#aad()), Math.max(1, cached.refreshAt - this.#now()))
            .catch((error: Error) => shared.log?.warn({ correlationId, err: error.message }, 'state store unavailable: the new token is cached on this instance only'));
          return token;
        } finally {
          await shared.store.deleteIfEquals(shared.lockKey, holder).catch(() => {});
        }
      }
      // Bounded wait: a holder that never answers cannot hold us past its lease (plus a margin).
      if (Date.now() > giveUpAt) {
        shared.log?.warn({ correlationId }, 'waited a whole lease for the token lock; fetching a token for this instance');
        return this.#fetchToken(correlationId);
      }
      await sleep(wait);
    }
  }

  /** A still-fresh shared token (now cached here too), or undefined. */
  async #readShared(shared: SharedTokenCache): Promise<string | undefined> {
    const sealed = await shared.store.get(shared.key);
    const token = sealed === undefined ? undefined : this.#open(sealed);
    if (!token || this.#now() >= token.refreshAt || token.value === this.#rejected) return undefined;
    this.#hold(token);
    return token.value;
  }

  #open(sealed: string): CachedToken | undefined {
    const text = this.shared?.sealer.open(sealed, this.#aad());
    if (text === undefined) return undefined;
    try {
      const parsed = JSON.parse(text) as CachedToken;
      return typeof parsed.value === 'string' && typeof parsed.refreshAt === 'number' ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  #aad(): string {
    return `${this.shared!.key}\n${this.shared!.identity}`;
  }

  async #fetchToken(correlationId: string): Promise<string> {
    this.#requests++;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.credentials.clientId,
      client_secret: this.credentials.clientSecret,
    });
    if (this.credentials.scope) form.set('scope', this.credentials.scope);
    const fail = (messages: string[], status?: number, kind: 'auth' | 'network' | 'unresolvable' | 'timeout' | 'invalid_response' = 'auth', detail?: string) =>
      new UpstreamError({
        upstream: 'partssource',
        kind,
        ...(status !== undefined ? { status } : {}),
        ...(kind === 'unresolvable' ? { url: displayUrl(this.credentials.tokenUrl) } : {}),
        ...(this.credentials.credentialsLabel ? { credentialsLabel: this.credentials.credentialsLabel } : {}),
        upstreamMessages: messages,
        ...(detail ? { detail } : {}),
        correlationId,
        method: 'POST',
        path: '(token endpoint)',
      });
    const timeoutMs = this.credentials.timeoutMs ?? 15_000;
    let response: Response;
    try {
      response = await ky.post(this.credentials.tokenUrl, {
        body: form,
        headers: { accept: 'application/json', 'x-correlation-id': correlationId },
        timeout: timeoutMs,
        // Never followed: the form carries client_secret, and undici would post it to the Location too.
        redirect: 'manual',
        // A token request has no side effect, so transient failures are retried.
        retry: {
          limit: 2,
          methods: ['post'],
          statusCodes: [429, 500, 502, 503, 504],
          backoffLimit: 2_000,
          // A host that does not resolve is a configuration error: asking again will not help.
          shouldRetry: ({ error }) => (isUnresolvableHost(error) ? false : undefined),
        },
        hooks: {
          beforeRetry: [
            ({ error }) => {
              // The failed answer's body is not read: close its connection.
              if (error instanceof HTTPError) void error.response.body?.cancel().catch(() => {});
            },
          ],
        },
      });
    } catch (error) {
      if (error instanceof HTTPError) {
        const { status } = error.response;
        if (status >= 300 && status < 400) {
          void error.response.body?.cancel().catch(() => {});
          throw fail([], status, 'invalid_response', redirectDetail(status, 'token URL (PARTSSOURCE_TOKEN_URL)'));
        }
        const text = await readBodyText(error.response, { maxBytes: MAX_ERROR_BODY_BYTES, deadline: Date.now() + timeoutMs, truncate: true }).then(
          (body) => body.text,
          () => '',
        );
        const facts = readErrorBody(text, error.response.headers.get('content-type'));
        throw fail(facts.messages, status);
      }
      if (error instanceof TimeoutError) throw fail(['the token endpoint did not answer in time'], undefined, 'timeout');
      if (isUnresolvableHost(error)) throw fail(['the token endpoint host does not resolve'], undefined, 'unresolvable');
      throw fail(['the token endpoint could not be reached'], undefined, 'network');
    }
    // ky's timeout ends with the headers: the body gets a deadline of its own.
    let text: string;
    try {
      ({ text } = await readBodyText(response, { maxBytes: MAX_TOKEN_BODY_BYTES, deadline: Date.now() + timeoutMs }));
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        throw fail([], response.status, 'invalid_response', oversizeDetail(error.maxBytes, error.declaredBytes, 'A token answer is never that large: an operator must check PARTSSOURCE_TOKEN_URL.'));
      }
      if (error instanceof BodyTimeoutError) throw fail(['the token endpoint did not send its whole answer in time'], response.status, 'timeout');
      throw fail(['the connection to the token endpoint closed while reading its answer'], response.status, 'network');
    }
    let body: unknown;
    try {
      body = text.trim() ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const parsed = TokenResponse.safeParse(body);
    if (!parsed.success) throw fail(['the token endpoint answered without a usable access_token']);
    const lifetimeMs = (parsed.data.expires_in ?? 3600) * 1000;
    // Renew a little early: 10% of the lifetime, at most a minute, so a token never expires mid-request.
    const skewMs = Math.min(60_000, lifetimeMs * 0.1);
    this.#hold({ value: parsed.data.access_token, refreshAt: this.#now() + lifetimeMs - skewMs });
    return parsed.data.access_token;
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
