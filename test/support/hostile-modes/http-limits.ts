import type { HostileMode } from '../hostile-upstream.js';

/** What the upstream saw of the matching requests: how many at once (at most) and in all. */
export interface InFlightGauge {
  inFlight: number;
  max: number;
  total: number;
}

/**
 * A slow upstream for the HTTP limit tests: every request whose path matches waits `delayMs` before it is forwarded
 * to the sandbox, and the gauge records how many are held at once, measured here at the upstream.
 */
export function slowRequests(pathPattern: RegExp, delayMs: number): { mode: HostileMode; gauge: InFlightGauge } {
  const gauge: InFlightGauge = { inFlight: 0, max: 0, total: 0 };
  const mode: HostileMode = async (ctx) => {
    if (!pathPattern.test(ctx.request.url)) return false;
    gauge.inFlight++;
    gauge.total++;
    gauge.max = Math.max(gauge.max, gauge.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      ctx.reply(await ctx.forward());
    } finally {
      gauge.inFlight--;
    }
    return true;
  };
  return { mode, gauge };
}
