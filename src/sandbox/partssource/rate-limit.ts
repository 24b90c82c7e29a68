/** The `X-RateLimit-*` facts of one request, and `Retry-After` when it was refused. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds when the bucket is full again. */
  resetEpochSeconds: number;
  retryAfterSeconds?: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * Token bucket per API client (client_id), as documented: `perSecond` sustained, `burst` capacity. Uses the real
 * clock (not the `now` option), so jumping the sandbox's business clock does not refill buckets.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}

  take(clientId: string): RateDecision {
    const bucket = this.#refill(clientId);
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    return this.#facts(bucket, allowed);
  }

  /** The headers for a response whose client is not known yet (no valid token): a full bucket, nothing taken. */
  peekAnonymous(): RateDecision {
    return { allowed: true, limit: this.perSecond, remaining: this.burst, resetEpochSeconds: Math.ceil(Date.now() / 1000) };
  }

  #refill(clientId: string): Bucket {
    const now = Date.now();
    let bucket = this.#buckets.get(clientId);
    if (!bucket) {
      bucket = { tokens: this.burst, updatedMs: now };
      this.#buckets.set(clientId, bucket);
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updatedMs) / 1000) * this.perSecond);
    bucket.updatedMs = now;
    return bucket;
  }

  #facts(bucket: Bucket, allowed: boolean): RateDecision {
    const now = bucket.updatedMs;
    const toFull = ((this.burst - bucket.tokens) / this.perSecond) * 1000;
    const decision: RateDecision = {
      allowed,
      limit: this.perSecond,
      remaining: Math.max(0, Math.floor(bucket.tokens)),
      resetEpochSeconds: Math.ceil((now + toFull) / 1000),
    };
    if (!allowed) decision.retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
    return decision;
  }
}

export function rateHeaders(d: RateDecision): Record<string, string> {
  const headers: Record<string, string> = {
    'x-ratelimit-limit': String(d.limit),
    'x-ratelimit-remaining': String(d.remaining),
    'x-ratelimit-reset': String(d.resetEpochSeconds),
  };
  if (d.retryAfterSeconds !== undefined) headers['retry-after'] = String(d.retryAfterSeconds);
  return headers;
}
