import type { HostileMode } from '../hostile-upstream.js';

export interface HeldOrders {
  mode: HostileMode;
  /** POST /orders requests that reached the proxy (held from then on). */
  arrived: number;
  /** Held POSTs forwarded to the sandbox (the order is placed then) and answered. */
  released: number;
}

/**
 * An upstream that is slow to place an order: every `POST .../orders` is held `holdMs`, then forwarded to the
 * sandbox and its answer passed back (to a caller that may have gone, like a real upstream that commits late).
 */
export function holdOrderPosts(holdMs: number): HeldOrders {
  const held: HeldOrders = {
    arrived: 0,
    released: 0,
    mode: async (ctx) => {
      if (ctx.request.method !== 'POST' || !/\/orders(\?|$)/.test(ctx.request.url)) return false;
      held.arrived++;
      await new Promise((resolve) => setTimeout(resolve, holdMs));
      const answer = await ctx.forward();
      held.released++;
      if (!ctx.res.destroyed) ctx.reply(answer);
      return true;
    },
  };
  return held;
}
