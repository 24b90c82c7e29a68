import * as z from 'zod';
import { probeUpstreams, type UpstreamProbe } from '../clients/upstream-probes.js';
import { READ, defineTool } from './define.js';
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

const advice = (error: unknown) => `${describeError(error, 'check_health').message}${upstreamWords(error)}`;

/** A probe's failures in words the agent can act on (Augur: which of its two checks failed). */
function messageOf(probe: UpstreamProbe): string | undefined {
  const healthCheck = 'healthCheckError' in probe ? `health-check failed: ${advice(probe.healthCheckError)}` : undefined;
  const auth = 'authError' in probe ? advice(probe.authError) : undefined;
  if (healthCheck && auth) return `${healthCheck} whoami failed: ${auth}`;
  return healthCheck ?? auth;
}

function reported(probe: UpstreamProbe): UpstreamHealth {
  const { name, reachable, authenticated, latencyMs, correlationId } = probe;
  const message = messageOf(probe);
  return { name, reachable, authenticated, latencyMs, correlationId, ...(message ? { message } : {}) };
}

export const checkHealth = defineTool({
  name: 'check_health',
  title: 'Check the upstream services',
  description:
    'Check each upstream: reachable, credentials accepted, latency. Use when tools fail with upstream_unavailable or unauthorized.',
  upstream: 'any',
  group: 'health',
  endpoint: [
    'POST /oauth2/token (PartsSource, unless a token is cached)',
    'GET /health-check (Augur)',
    'GET /whoami (Augur)',
  ],
  input: z.object({}).strict(),
  output: { upstreams: z.array(UpstreamHealth) },
  annotations: READ,
  async handler(_args, ctx) {
    const probes = await probeUpstreams(ctx.configured, ctx.call);
    return { data: { upstreams: probes.map(reported) }, correlationId: ctx.correlationId };
  },
});

export const healthTools = [checkHealth];
