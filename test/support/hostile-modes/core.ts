import type { ServerResponse } from 'node:http';
import type { HostileMode, ModeContext } from '../hostile-upstream.js';

/**
 * Modes of the hostile upstream for the outbound HTTP core (issue 14, items 2 and 3): redirects to another host,
 * a body that stalls, a body that never ends, a huge body. Each factory returns the mode and live figures about
 * what it did (how many requests it took, how many bytes it managed to send, whether the caller hung up).
 */

/** Which requests a mode takes: a prefix of the path (e.g. `/partssource/customer/`) or a predicate. */
export type Match = string | ((ctx: ModeContext) => boolean);

const matches = (match: Match, ctx: ModeContext) =>
  typeof match === 'string' ? ctx.request.url.startsWith(match) : match(ctx);

export interface ModeStats {
  /** Requests this mode answered. */
  taken: number;
  /** Body bytes it wrote to the socket (accepted by the kernel) before the caller hung up or it finished. */
  bytesSent: number;
  /** Connections the caller closed while this mode was still sending. */
  hungUp: number;
}

const newStats = (): ModeStats => ({ taken: 0, bytesSent: 0, hungUp: 0 });

/** Answers `status` with a Location on `target` (another host), keeping the path: a follower would go there. */
export function redirectTo(target: string, status: 301 | 302 | 303 | 307 | 308, match: Match): { mode: HostileMode; stats: ModeStats } {
  const stats = newStats();
  const mode: HostileMode = (ctx) => {
    if (!matches(match, ctx)) return false;
    stats.taken++;
    ctx.res.writeHead(status, { location: `${target}${ctx.request.url}`, 'content-type': 'text/plain' });
    ctx.res.end(`moved to ${target}`);
    return true;
  };
  return { mode, stats };
}

/** Headers of a JSON 200 at once, then one byte every `intervalMs`, forever (until the caller hangs up). */
export function stalledBody(match: Match, intervalMs = 500): { mode: HostileMode; stats: ModeStats } {
  const stats = newStats();
  const mode: HostileMode = (ctx) => {
    if (!matches(match, ctx)) return false;
    stats.taken++;
    const { res } = ctx;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{');
    stats.bytesSent++;
    const timer = setInterval(() => {
      res.write(' ');
      stats.bytesSent++;
    }, intervalMs);
    res.on('close', () => {
      clearInterval(timer);
      stats.hungUp++;
    });
    return true;
  };
  return { mode, stats };
}

/**
 * A JSON-looking body of `status` sent as fast as the socket takes it: endless (chunked), or `totalBytes` long with
 * that Content-Length declared. Stops writing when the caller hangs up.
 */
export function floodBody(match: Match, options: { totalBytes?: number; status?: number } = {}): { mode: HostileMode; stats: ModeStats } {
  const stats = newStats();
  const mode: HostileMode = (ctx) => {
    if (!matches(match, ctx)) return false;
    stats.taken++;
    const { res } = ctx;
    res.writeHead(options.status ?? 200, {
      'content-type': 'application/json',
      ...(options.totalBytes !== undefined ? { 'content-length': String(options.totalBytes) } : {}),
    });
    pump(res, stats, options.totalBytes);
    return true;
  };
  return { mode, stats };
}

const CHUNK = Buffer.concat([Buffer.from('{"success":true,"data":"'), Buffer.alloc(64 * 1024 - 25, 'x')]);
const FILLER = Buffer.alloc(64 * 1024, 'x');

/** Writes with backpressure until `total` bytes (or forever), or until the connection closes. */
function pump(res: ServerResponse, stats: ModeStats, total = Number.POSITIVE_INFINITY): void {
  let sent = 0;
  let closed = false;
  res.on('close', () => {
    closed = true;
    if (sent < total) stats.hungUp++;
  });
  const write = () => {
    while (!closed && sent < total) {
      const chunk = (sent === 0 ? CHUNK : FILLER).subarray(0, Math.min(FILLER.length, total - sent));
      sent += chunk.length;
      const more = res.write(chunk, (error) => {
        if (!error) stats.bytesSent += chunk.length;
      });
      if (!more) {
        res.once('drain', write);
        return;
      }
    }
    if (!closed) res.end();
  };
  write();
}
