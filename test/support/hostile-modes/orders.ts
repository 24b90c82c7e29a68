import type { HostileMode, HostileRequest } from '../hostile-upstream.js';

/**
 * Modes that let the sandbox commit an order and then lose the answer: the upstream stored it, the caller cannot
 * know. Each breaks every `POST .../orders` that reaches it (retries included, so the tool call ends in an error)
 * and passes everything else on.
 */

export const isOrderPost = (request: HostileRequest): boolean =>
  request.method === 'POST' && /\/customer(?:\/api)?\/orders\/?$/.test(request.url.split('?')[0]!);

/** The sandbox places the order; the caller gets a 502 gateway page instead of its answer. */
export const commitThen502: HostileMode = async (ctx) => {
  if (!isOrderPost(ctx.request)) return false;
  await ctx.forward();
  ctx.reply({ status: 502, headers: { 'content-type': 'text/html' }, body: Buffer.from('<html><body><h1>502 Bad Gateway</h1></body></html>') });
  return true;
};

/** The sandbox places the order; the caller's connection is reset (RST) instead of answered. */
export const commitThenReset: HostileMode = async (ctx) => {
  if (!isOrderPost(ctx.request)) return false;
  await ctx.forward();
  ctx.reset();
  return true;
};

/**
 * The sandbox places the order; its answer is held until `release()` (the test's cleanup), long after the
 * caller's timeout. No timer: nothing depends on how busy the machine is.
 */
export function commitThenHold(): HostileMode & { release(): void } {
  const held: Array<() => void> = [];
  const mode: HostileMode = async (ctx) => {
    if (!isOrderPost(ctx.request)) return false;
    const answer = await ctx.forward();
    held.push(() => {
      if (!ctx.res.destroyed && !ctx.res.headersSent) ctx.reply(answer);
    });
    return true;
  };
  return Object.assign(mode, { release: () => held.splice(0).forEach((send) => send()) });
}
