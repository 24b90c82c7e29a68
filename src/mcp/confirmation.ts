import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import { MemoryStore } from '../state/memory.js';
import { StateUnavailableError, StoreUnavailableError, stateKey, type StateStore } from '../state/store.js';

/**
 * Confirmed writes. `auto` (default): ask the human through elicitation when the client supports it, otherwise
 * proceed. `always`: as auto, but a client without elicitation gets a preview and a confirmation token first.
 * `never`: no confirmation (unattended automation). The asking itself, and each write tool's own summary, are in
 * write-confirmation.ts; this module holds the modes, the tokens and the error.
 */
export type ConfirmWrites = 'auto' | 'always' | 'never';
export const CONFIRM_WRITES_MODES: readonly ConfirmWrites[] = ['auto', 'always', 'never'];

export const DEFAULT_CONFIRMATION_TTL_MS = 5 * 60_000;

export type TokenCheck = 'ok' | 'invalid' | 'expired';

/** Where used tokens are remembered (until they expire), so that each confirms one write only. */
export interface UsedTokens {
  store: StateStore;
  tenant: string;
}

/**
 * Short-lived confirmation tokens bound to one tool and its exact (validated) arguments: an HMAC-SHA256 over the
 * tool name, the expiry and the canonical arguments, keyed by a secret of this server (or tenant; on a fleet, one
 * derived from a secret every instance has). A token is checked by recomputing it; only its use is stored.
 */
export class ConfirmationTokens {
  private readonly secret: Buffer;

  constructor(
    secret: Buffer = randomBytes(32),
    private readonly ttlMs = DEFAULT_CONFIRMATION_TTL_MS,
    private readonly now: () => number = Date.now,
    private readonly used: UsedTokens = { store: new MemoryStore(), tenant: 'default' },
  ) {
    this.secret = secret;
  }

  /**
   * Marks a checked token as used: true the first time, false after. Throws StateUnavailableError when the
   * shared store cannot say (single use cannot be guaranteed, so the write must not happen).
   */
  async redeem(token: string): Promise<boolean> {
    const expiry = parseInt(token.split('.')[0] ?? '0', 36);
    // Minted before the store last reconnected: a Redis that restarted empty forgot whether it was used.
    if (expiry - this.ttlMs <= this.used.store.lastReconnectAt()) {
      throw new ConfirmationError(
        'confirmation_expired',
        'This confirmationToken was issued before the shared state store (Redis) reconnected, so its single use cannot be proven; nothing was sent. Call the tool again without confirmationToken for a new preview.',
      );
    }
    const digest = createHash('sha256').update(token).digest('hex').slice(0, 32);
    try {
      return await this.used.store.setIfAbsent(stateKey(this.used.tenant, 'confirm', digest), '1', Math.max(1_000, expiry - this.now() + 1_000));
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      throw new StateUnavailableError(
        'The shared state store (Redis) is unavailable, so the confirmationToken cannot be checked for single use; nothing was sent. Try again shortly with the same token.',
      );
    }
  }

  issue(tool: string, args: unknown): { token: string; expiresAt: string } {
    const expiry = this.now() + this.ttlMs;
    return { token: `${expiry.toString(36)}.${this.sign(tool, expiry, args)}`, expiresAt: new Date(expiry).toISOString() };
  }

  check(tool: string, args: unknown, token: string): TokenCheck {
    const match = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return 'invalid';
    const expiry = parseInt(match[1]!, 36);
    const expected = Buffer.from(this.sign(tool, expiry, args));
    const given = Buffer.from(match[2]!);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
    return this.now() > expiry ? 'expired' : 'ok';
  }

  private sign(tool: string, expiry: number, args: unknown): string {
    return createHmac('sha256', this.secret).update(`${tool}\n${expiry}\n${canonicalJson(args)}`).digest('base64url');
  }
}

/** A write the human did not confirm, or a confirmation token that does not hold; nothing was sent upstream. */
export class ConfirmationError extends Error {
  constructor(
    readonly code: 'not_confirmed' | 'confirmation_invalid' | 'confirmation_expired',
    message: string,
  ) {
    super(message);
    this.name = 'ConfirmationError';
  }
}
