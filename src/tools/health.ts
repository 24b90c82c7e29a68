import * as z from 'zod';
import type { AugurClient } from '../clients/augur.js';
import { UpstreamError } from '../clients/errors.js';
import type { PartsSourceClient } from '../clients/partssource.js';
import { READ, defineTool, type ToolContext } from './define.js';
import { describeError, upstreamWords } from '../mcp/error-results.js';

const UpstreamHealth = z.object({
  name: z.enum(['partssource', 'augur']),
  reachable: z.boolean().describe('The upstream answered.'),
  authenticated: z.boolean().describe('Our credentials were accepted.'),
  latencyMs: z.number().int().describe('Time of the first probe (health check or token check).'),
  correlationId: z.string().describe('Quote this id when reporting a problem with this upstream.'),
  message: z.string().optional().describe('What went wrong and what to do, when something did.'),
});
type UpstreamHealth = z.infer<typeof UpstreamHealth>;

/** A failure that never got an answer (network, timeout, a failing server) means "not reachable". */
function unreachable(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return false;
  const { kind, status } = error.info;
  return kind === 'network' || kind === 'timeout' || (status !== undefined && status >= 500);
}

const advice = (error: unknown) => `${describeError(error, 'check_health').message}${upstreamWords(error)}`;
const since = (started: number) => Math.round(performance.now() - started);

/** Augur: the public /health-check, then an authenticated /whoami (authenticated = whoami succeeded). */
async function probeAugur(augur: AugurClient, ctx: ToolContext): Promise<UpstreamHealth> {
  const correlationId = ctx.correlationId;
  const call = ctx.call;
  const started = performance.now();
  let reachable = false;
  let latencyMs = 0;
  let reportedId = correlationId;
  let message: string | undefined;
  try {
    const health = await augur.healthCheck(call);
    latencyMs = since(started);
    reachable = true;
    reportedId = health.correlationId;
  } catch (error) {
    latencyMs = since(started);
    reachable = !unreachable(error);
    message = `health-check failed: ${advice(error)}`;
    if (!reachable) return { name: 'augur', reachable, authenticated: false, latencyMs, correlationId: reportedId, message };
  }
  try {
    const whoami = await augur.whoami(call);
    reportedId = whoami.correlationId;
    return { name: 'augur', reachable: true, authenticated: true, latencyMs, correlationId: reportedId, ...(message ? { message } : {}) };
  } catch (error) {
    const reason = advice(error);
    return {
      name: 'augur',
      reachable: reachable || !unreachable(error),
      authenticated: false,
      latencyMs,
      correlationId: error instanceof UpstreamError ? error.correlationId : reportedId,
      message: message ? `${message} whoami failed: ${reason}` : reason,
    };
  }
}

/** PartsSource: a token check through the client's token provider (cached or fresh). */
async function probePartsSource(partssource: PartsSourceClient, ctx: ToolContext): Promise<UpstreamHealth> {
  const correlationId = ctx.correlationId;
  const started = performance.now();
  try {
    const { latencyMs } = await partssource.checkToken(ctx.call);
    return { name: 'partssource', reachable: true, authenticated: true, latencyMs, correlationId };
  } catch (error) {
    return {
      name: 'partssource',
      reachable: !unreachable(error),
      authenticated: false,
      latencyMs: since(started),
      correlationId: error instanceof UpstreamError ? error.correlationId : correlationId,
      message: advice(error),
    };
  }
}

export const checkHealth = defineTool({
  name: 'check_health',
  title: 'Check the upstream services',
  description:
    'Check each configured upstream: reachable, credentials accepted, latency. Use when tools fail with upstream_unavailable or unauthorized. Never fails for a down upstream: it reports it.',
  upstream: 'any',
  group: 'health',
  input: z.object({}).strict(),
  output: { upstreams: z.array(UpstreamHealth) },
  annotations: READ,
  async handler(_args, ctx) {
    const probes: Array<Promise<UpstreamHealth>> = [];
    if (ctx.configured.partssource) probes.push(probePartsSource(ctx.configured.partssource, ctx));
    if (ctx.configured.augur) probes.push(probeAugur(ctx.configured.augur, ctx));
    const upstreams = await Promise.all(probes);
    return { data: { upstreams }, correlationId: ctx.correlationId };
  },
});

export const healthTools = [checkHealth];
