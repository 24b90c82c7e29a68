import type { TenantId } from './credentials.js';
import { IdempotencyStore } from './idempotency.js';
import { initialOrders, type SeededOrder } from './seed.js';

export const PRICE_OPTION_VALIDITY_MS = 30 * 24 * 60 * 60 * 1000;

/** What changes while the sandbox runs: orders, issued price quotes, idempotency keys. */
export class SandboxState {
  readonly orders = new Map<number, SeededOrder>(initialOrders().map((o) => [o.orderId, o]));
  /** New orders get ids well above the seeded ones, so a test can never confuse the two. */
  #nextOrderId = 100001;
  #nextLineId = 900001;
  /** `${tenant}|${priceOptionId}` -> issue time (business clock); catalog detail (re)issues the quotes. */
  readonly #issued = new Map<string, number>();
  readonly idempotency: IdempotencyStore;

  constructor(readonly now: () => number) {
    this.idempotency = new IdempotencyStore(now);
  }

  issueOption(tenant: TenantId, priceOptionId: string): number {
    const at = this.now();
    this.#issued.set(`${tenant}|${priceOptionId}`, at);
    return at;
  }

  issuedAt(tenant: TenantId, priceOptionId: string): number | undefined {
    return this.#issued.get(`${tenant}|${priceOptionId}`);
  }

  nextOrderId(): number {
    return this.#nextOrderId++;
  }

  nextLineId(): number {
    return this.#nextLineId++;
  }
}
