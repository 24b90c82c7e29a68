import type { JWTPayload } from 'jose';
import type { OAuthConfig } from '../../config/oauth-config.js';
import type { Logger } from '../../logger.js';
import { sha256 } from '../tenants.js';
import { principalOf, type Verification } from './verifier.js';

export interface IntrospectorOptions {
  log: Logger;
  /** An answer is reused this long (default 60 s; never past the token's exp); a refusal 10 s. */
  cacheMs?: number;
  /** Tokens remembered at once (default 10,000); past it the oldest is forgotten first. */
  maxEntries?: number;
  timeoutMs?: number;
}

const REFUSAL_CACHE_MS = 10_000;

/**
 * Opaque access tokens, checked at the issuer's RFC 7662 introspection endpoint with this server's own client
 * credentials. The answer must say `active`, name this server in `aud` (RFC 8707), and, where present, the issuer
 * in `iss` and a future `exp`. Answers are cached by the token's SHA-256 (never the token) so that a busy client
 * does not cost one introspection per request.
 */
export class Introspector {
  readonly #cache = new Map<string, { until: number; verification: Verification }>();

  constructor(
    private readonly config: OAuthConfig & { introspection: NonNullable<OAuthConfig['introspection']> },
    private readonly options: IntrospectorOptions,
  ) {}

  get size(): number {
    return this.#cache.size;
  }

  async verify(token: string): Promise<Verification> {
    const key = sha256(token).toString('hex');
    const now = Date.now();
    const cached = this.#cache.get(key);
    if (cached && cached.until > now) return cached.verification;
    this.#cache.delete(key);
    const { verification, exp } = await this.#introspect(token);
    const until = verification.ok ? Math.min(now + (this.options.cacheMs ?? 60_000), exp !== undefined ? exp * 1000 : Infinity) : now + REFUSAL_CACHE_MS;
    while (this.#cache.size >= (this.options.maxEntries ?? 10_000)) this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(key, { until, verification });
    return verification;
  }

  async #introspect(token: string): Promise<{ verification: Verification; exp?: number }> {
    let answer: JWTPayload & { active?: unknown };
    try {
      answer = await this.#post(token);
    } catch (error) {
      this.options.log.warn({ err: (error as Error).message }, 'OAuth: token introspection failed');
      return { verification: { ok: false, reason: 'the token could not be checked (introspection failed)' } };
    }
    const reason = this.#refusal(answer);
    if (reason) return { verification: { ok: false, reason } };
    return { verification: { ok: true, principal: principalOf(answer, this.config.tenantClaim) }, ...(typeof answer.exp === 'number' ? { exp: answer.exp } : {}) };
  }

  #refusal(answer: JWTPayload & { active?: unknown }): string | undefined {
    if (answer.active !== true) return 'the token is not active';
    const audiences = Array.isArray(answer.aud) ? answer.aud : [answer.aud];
    if (!audiences.includes(this.config.publicUrl)) return "the token's aud claim is not accepted (it is not for this server)";
    if (answer.iss !== undefined && answer.iss !== this.config.issuer) return "the token's iss claim is not accepted";
    if (typeof answer.exp === 'number' && answer.exp + this.config.clockSkewSeconds < Date.now() / 1000) return 'the token has expired';
    return undefined;
  }

  async #post(token: string): Promise<JWTPayload & { active?: unknown }> {
    const { url, clientId, clientSecret } = this.config.introspection;
    const timeoutMs = this.options.timeoutMs ?? 5_000;
    // A timer held here, not AbortSignal.timeout: on Node 20 an unreferenced timeout signal can be collected early.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    try {
      const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
      const response = await fetch(url, {
        method: 'POST',
        signal: controller.signal,
        redirect: 'error',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
      });
      if (!response.ok) throw new Error(`the introspection endpoint answered HTTP ${response.status}`);
      const body = (await response.json()) as unknown;
      if (typeof body !== 'object' || body === null) throw new Error('the introspection answer is not a JSON object');
      return body as JWTPayload & { active?: unknown };
    } finally {
      clearTimeout(timer);
    }
  }
}
