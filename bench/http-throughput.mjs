// HTTP throughput: tools/call (lookup_user) per second and latency at concurrency 1, 16 and 64 against a spawned
// `dist/cli.js --http --stateless --sandbox` (its embedded sandbox answers upstream calls in the same process),
// raw JSON-RPC POSTs over keep-alive connections, each level bounded in time. Server RSS from /proc/<pid>/status.
// The load generator runs in this process on the same 2-core machine: it takes roughly one core of its own.
import { callBody, cleanEnv, keepAliveAgent, MCP_HEADERS, printTable, rssMiB, runLoad, runMain, sleep, spawnHttpCli, summarize, writeResult } from './lib.mjs';

const LEVELS = [1, 16, 64];
const WARMUP_MS = 500;
const MEASURE_MS = Number(process.env.BENCH_LEVEL_MS ?? 3000);
const GOAL = 2000;

async function main() {
  const server = await spawnHttpCli(['--port', '0', '--stateless', '--sandbox', '--max-concurrency', '256'], cleanEnv({ LOG_LEVEL: 'warn' }));
  try {
    await sleep(300);
    const rssStart = rssMiB(server.pid);
    const headers = () => ({ ...MCP_HEADERS, authorization: 'Bearer sandbox-acme' });
    const body = (i) => callBody('lookup_user', { userId: 12345 }, i);
    const rows = [];
    for (const concurrency of LEVELS) {
      const agent = keepAliveAgent(concurrency);
      await runLoad({ url: server.url, headers, body, concurrency, durationMs: WARMUP_MS, agent });
      const rssBefore = rssMiB(server.pid);
      const r = await runLoad({ url: server.url, headers, body, concurrency, durationMs: MEASURE_MS, agent });
      const rssAfter = rssMiB(server.pid);
      agent.destroy();
      const s = summarize(r.latencies);
      rows.push({
        concurrency,
        calls: r.latencies.length,
        errors: r.errors.length,
        'calls/s': Math.round(r.latencies.length / r.seconds),
        p50: s.p50,
        p95: s.p95,
        p99: s.p99,
        'RSS before MiB': rssBefore,
        'RSS after MiB': rssAfter,
        ...(r.errors.length ? { firstError: r.errors[0] } : {}),
      });
    }
    printTable(
      `HTTP stateless throughput, lookup_user (${MEASURE_MS / 1000} s per level after ${WARMUP_MS} ms warm-up; latency ms; server RSS at start ${rssStart} MiB; goal >= ${GOAL} calls/s)`,
      ['concurrency', 'calls', 'errors', 'calls/s', 'p50', 'p95', 'p99', 'RSS before MiB', 'RSS after MiB'],
      rows,
    );
    for (const row of rows) if (row.firstError) process.stdout.write(`first error at ${row.concurrency}: ${row.firstError}\n`);
    writeResult('http-throughput', { tool: 'lookup_user', measureMs: MEASURE_MS, warmupMs: WARMUP_MS, rssStartMiB: rssStart, rows });
  } finally {
    await server.close();
  }
}

runMain(main);
