/**
 * A tenant's concurrency budget: at most `max` MCP requests at once. No queue: a request over the limit is
 * refused at once (429 with Retry-After) so one tenant can neither exhaust the server nor starve the others.
 */
export class ConcurrencyLimit {
  #active = 0;

  constructor(readonly max: number) {}

  get active(): number {
    return this.#active;
  }

  /** A release function when a slot is free (calling it more than once is harmless), else undefined. */
  tryAcquire(): (() => void) | undefined {
    if (this.#active >= this.max) return undefined;
    this.#active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#active--;
    };
  }
}

/** Counts requests in flight and lets shutdown wait until there are none (or a deadline passes). */
export class InFlight {
  #count = 0;
  #waiters: Array<() => void> = [];

  get count(): number {
    return this.#count;
  }

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
