/**
 * Counts requests in flight and lets shutdown wait until there are none (or a deadline passes). Transport-neutral:
 * the HTTP server counts its POSTs with it, the stdio drain its unanswered requests.
 */
export class InFlight {
  #count = 0;
  #waiters: Array<() => void> = [];

  get count(): number {
    return this.#count;
  }

  /** Counts one request in; the returned function counts it out (calling it more than once is harmless). */
  enter(): () => void {
    this.#count++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#count--;
      if (this.#count === 0) this.#waiters.splice(0).forEach((resolve) => resolve());
    };
  }

  /** Resolves true when nothing is in flight, false when the deadline passed first. */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.#count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.#waiters.push(done);
    });
  }
}
