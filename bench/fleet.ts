// Fleet on Redis vs one instance: the same load (tools/call, lookup_user and search_parts alternating, two tenants
// from a tenants file, raw JSON-RPC POSTs over keep-alive connections at concurrency 50) against
//   1. one `dist/cli.js --http --stateless` instance with the embedded in-memory store (today's default),
//   2. the same single instance on Redis (`--redis-url`): what the store alone costs,
//   3. two instances on one Redis, requests round-robin (a load balancer without stickiness),
//   4. two instances without Redis, round-robin: the fleet before issue 10 (each instance its own state).
// Each variant starts cold (a fresh sandbox, Redis flushed) so its token requests are counted from the first call.
// Token requests per tenant are counted by the sandbox (in this process); Redis commands per tool call are the
// `INFO commandstats` deltas over the variant divided by its calls. Round trips: Redis counts one read event per
// batch of pipelined commands it receives (`total_reads_processed`); over 100 extra calls made one at a time (no
// batching) that delta per call is the round trips one tool call makes; under the load at 50, node-redis batches
// the commands of concurrent calls, so read events per call are fewer. Three rounds, variants interleaved,
// medians reported. Redis is Debian's redis-server on a random port, persistence off.
// TypeScript (run with `node --import tsx`) so that it shares test/support/redis.ts with the tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, disposeRedis, type RedisServer } from '../test/support/redis.js';
import { callBody, cleanEnv, dist, keepAliveAgent, MCP_HEADERS, median, printTable, runLoad, runMain, spawnHttpCli, summarize, tenantsFile, writeResult } from './lib.mjs';

const CALLS = Number(process.env.BENCH_FLEET_CALLS ?? 3000);
const WARMUP_CALLS = 200;
const ROUNDS = Number(process.env.BENCH_FLEET_ROUNDS ?? 3);
const SEQUENTIAL_CALLS = 100;
const CONCURRENCY = 50;
const TENANTS = ['acme', 'globex'] as const;
type Tenant = (typeof TENANTS)[number];
const USER_OF: Record<Tenant, number> = { acme: 12345, globex: 22222 };
const KEYS: Record<Tenant, string> = { acme: 'bench-fleet-acme-0123456789', globex: 'bench-fleet-globex-0123456789' };

interface Variant {
  name: string;
  instances: number;
  redis: boolean;
}

const VARIANTS: Variant[] = [
  { name: '1 instance, memory store', instances: 1, redis: false },
  { name: '1 instance, Redis store', instances: 1, redis: true },
  { name: '2 instances, one Redis (round robin)', instances: 2, redis: true },
  { name: '2 instances, memory store (round robin)', instances: 2, redis: false },
];

interface SandboxLike {
  partssource: { baseUrl: string; tokenUrl: string };
  augur: { baseUrl: string };
  requests: Array<{ api: string; path: string; body?: unknown }>;
  close(): Promise<void>;
}

async function runVariant(variant: Variant, redis: RedisServer) {
  const { startSandbox, SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS } = await dist('sandbox/index.js');
  const sandbox = (await startSandbox({ recordRequests: true })) as SandboxLike;
  const dir = mkdtempSync(join(tmpdir(), 'bench-fleet-'));
  const servers: Array<Awaited<ReturnType<typeof spawnHttpCli>>> = [];
  const agent = keepAliveAgent(CONCURRENCY);
  try {
    const file = tenantsFile(dir, sandbox, SANDBOX_PARTSSOURCE_CREDENTIALS, SANDBOX_AUGUR_SITES, [...TENANTS]);
    await redis.command('FLUSHALL');
    const args = ['--port', '0', '--stateless', '--tenants', file, ...(variant.redis ? ['--redis-url', redis.url] : [])];
    const env = cleanEnv({ BENCH_KEY_ACME: KEYS.acme, BENCH_KEY_GLOBEX: KEYS.globex, LOG_LEVEL: 'warn' });
    for (let i = 0; i < variant.instances; i++) servers.push(await spawnHttpCli(args, env));

    const commandsBefore = await redis.commandCalls();
    const statsBefore = await redis.info('stats');
    // Round robin over the instances per request; tenants alternate, and so do the two tools.
    const load = (count: number, concurrency = CONCURRENCY) =>
      runLoad({
        url: servers[0]!.url,
        urlOf: (i: number) => servers[i % servers.length]!.url,
        concurrency,
        count,
        agent,
        headers: (i: number) => ({ ...MCP_HEADERS, authorization: `Bearer ${KEYS[TENANTS[Math.floor(i / servers.length) % 2]!]}` }),
        body: (i: number) =>
          Math.floor(i / (2 * servers.length)) % 2 === 0
            ? callBody('lookup_user', { userId: USER_OF[TENANTS[Math.floor(i / servers.length) % 2]!] }, i)
            : callBody('search_parts', { keyword: 'probe', limit: 5 }, i),
      });
    const warmup = await load(WARMUP_CALLS);
    const measured = await load(CALLS);
    const commandsAfter = await redis.commandCalls();
    const statsAfter = await redis.info('stats');

    // One call at a time nothing is batched: read events per call = the round trips one tool call makes.
    let sequentialRoundTrips = 0;
    if (variant.redis) {
      const before = await redis.info('stats');
      await load(SEQUENTIAL_CALLS, 1);
      const after = await redis.info('stats');
      sequentialRoundTrips = (Number(after.total_reads_processed) - Number(before.total_reads_processed) - 1) / SEQUENTIAL_CALLS;
    }

    const tokenRequests: Record<string, number> = {};
    for (const r of sandbox.requests) {
      if (r.api !== 'partssource' || r.path !== '/oauth2/token') continue;
      const clientId = String((r.body as { client_id?: string } | undefined)?.client_id ?? '?');
      const name = TENANTS.find((t) => SANDBOX_PARTSSOURCE_CREDENTIALS[t].clientId === clientId) ?? clientId;
      tokenRequests[name] = (tokenRequests[name] ?? 0) + 1;
    }
    // The bench's own INFO calls are not the server's: leave `info` out.
    const commands: Record<string, number> = {};
    for (const [name, calls] of Object.entries(commandsAfter)) {
      const delta = calls - (commandsBefore[name] ?? 0);
      if (name !== 'info' && delta > 0) commands[name] = delta;
    }
    const totalCommands = Object.values(commands).reduce((sum, n) => sum + n, 0);
    const totalCalls = warmup.latencies.length + warmup.errors.length + measured.latencies.length + measured.errors.length;
    // Read events Redis processed (one per pipelined batch a client sends) minus the bench's own two INFO calls
    // in between: the round trips the servers made.
    const readEvents = Number(statsAfter.total_reads_processed) - Number(statsBefore.total_reads_processed) - 2;
    return {
      variant: variant.name,
      instances: variant.instances,
      store: variant.redis ? 'redis' : 'memory',
      calls: measured.latencies.length + measured.errors.length,
      errors: warmup.errors.length + measured.errors.length,
      firstError: warmup.errors[0] ?? measured.errors[0],
      seconds: Math.round(measured.seconds * 100) / 100,
      callsPerSecond: Math.round(measured.latencies.length / measured.seconds),
      latencyMs: summarize(measured.latencies),
      tokenRequests,
      redisCommands: totalCommands,
      redisCommandsPerCall: Math.round((totalCommands / totalCalls) * 100) / 100,
      redisCommandBreakdown: commands,
      redisReadEventsPerCallUnderLoad: variant.redis ? Math.round((readEvents / totalCalls) * 100) / 100 : 0,
      redisRoundTripsPerCallSequential: Math.round(sequentialRoundTrips * 100) / 100,
    };
  } finally {
    agent.destroy();
    for (const server of servers) await server.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const redis = await startRedis();
  try {
    // Rounds interleave the variants so that drift of the shared machine hits each alike; medians are reported.
    const runs: Array<Awaited<ReturnType<typeof runVariant>> & { round: number }> = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const variant of VARIANTS) runs.push({ round, ...(await runVariant(variant, redis)) });
    }
    const redisVersion = (await redis.info('server')).redis_version;
    const rows = VARIANTS.map((variant) => {
      const mine = runs.filter((r) => r.variant === variant.name);
      const tokens = (t: Tenant) => [...new Set(mine.map((r) => r.tokenRequests[t] ?? 0))].join('/');
      return {
        variant: variant.name,
        'calls/round': CALLS,
        errors: mine.reduce((sum, r) => sum + r.errors, 0),
        'calls/s': median(mine.map((r) => r.callsPerSecond)),
        p50: median(mine.map((r) => r.latencyMs.p50)),
        p99: median(mine.map((r) => r.latencyMs.p99)),
        'token requests': TENANTS.map((t) => `${t}: ${tokens(t)}`).join(', '),
        'Redis cmds/call': median(mine.map((r) => r.redisCommandsPerCall)),
        'Redis round trips/call': median(mine.map((r) => r.redisRoundTripsPerCallSequential)),
        'Redis reads/call @50': median(mine.map((r) => r.redisReadEventsPerCallUnderLoad)),
      };
    });
    printTable(
      `fleet vs single instance: ${CALLS} calls @${CONCURRENCY} per round after ${WARMUP_CALLS} warm-up calls, ${ROUNDS} rounds (medians), 2 tenants, lookup_user/search_parts; latency ms; token requests per round from cold; Redis ${redisVersion}`,
      ['variant', 'calls/round', 'errors', 'calls/s', 'p50', 'p99', 'token requests', 'Redis cmds/call', 'Redis round trips/call', 'Redis reads/call @50'],
      rows,
    );
    for (const r of runs.filter((run) => run.round === ROUNDS)) {
      if (r.redisCommands > 0) {
        const top = Object.entries(r.redisCommandBreakdown)
          .sort((a, b) => b[1] - a[1])
          .map(([name, n]) => `${name} ${n}`)
          .join(', ');
        process.stdout.write(`Redis commands, ${r.variant}: ${r.redisCommands} (${top})\n`);
      }
      if (r.firstError) process.stdout.write(`first error, ${r.variant}: ${r.firstError}\n`);
    }
    writeResult('fleet', { calls: CALLS, warmupCalls: WARMUP_CALLS, concurrency: CONCURRENCY, rounds: ROUNDS, redisVersion, rows, runs });
    if (runs.some((r) => r.errors > 0)) throw new Error('some calls failed (see "first error" above)');
  } finally {
    await disposeRedis(redis);
  }
}

runMain(main);
