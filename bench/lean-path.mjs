// Issue 17 part A (the lean call path): this build against the baseline (./baseline.mjs: the commit before issue 17,
// built once in a cache directory, or BENCH_BASELINE_CLI=<checkout>/dist/cli.js), side by side in one run, as ratios;
// absolute figures on a shared machine say little.
//   CPU per call   the server process's user+system CPU (/proc/<pid>/stat) over ITERATIONS lookup_user calls, calls
//                  interleaved between the builds: stdio (SDK client) and stateless HTTP (raw JSON-RPC POSTs, one
//                  at a time)
//   throughput     stateless HTTP lookup_user calls/s at concurrency CONCURRENCY, ROUNDS rounds of ROUND_MS each
//                  with the builds alternating (median round); the load generator is this process
// Both builds run in live mode against one sandbox in its own process (the upstream is not on the server's core).
import { baselineBuild } from './baseline.mjs';
import { callBody, CLI, cpuMs, keepAliveAgent, liveEnv, MCP_HEADERS, median, printTable, runLoad, runMain, spawnHttpCli, spawnSandbox, stdioClient, writeResult } from './lib.mjs';

const WARMUP = Number(process.env.BENCH_WARMUP ?? 100);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 600);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 3000);
const API_KEY = 'bench-lean-path-api-key-0123456789';
const CHUNK = 50;

/** CPU ms per call of each server: `call(server)` ITERATIONS times each, in chunks alternating between them. */
async function cpuPerCall(servers, call) {
  for (let i = 0; i < WARMUP; i++) for (const s of servers) await call(s);
  const spent = servers.map(() => 0);
  for (let done = 0, round = 0; done < ITERATIONS; done += CHUNK, round++) {
    for (let k = 0; k < servers.length; k++) {
      const i = (round + k) % servers.length;
      const before = cpuMs(servers[i].pid);
      for (let n = 0; n < CHUNK; n++) await call(servers[i]);
      spent[i] += cpuMs(servers[i].pid) - before;
    }
  }
  return spent.map((ms) => ms / (Math.ceil(ITERATIONS / CHUNK) * CHUNK));
}

async function main() {
  const baseline = await baselineBuild();
  // BENCH_BASELINE_CLI may name several builds (comma-separated): ratios are against the first.
  const builds = [
    ...baseline.cli.split(',').map((cli, i) => ({ name: i === 0 ? baseline.label : `baseline ${i + 1}: ${cli}`, cli })),
    { name: 'this build', cli: CLI },
  ];
  const sandbox = await spawnSandbox();
  try {
    const env = await liveEnv(sandbox);
    const lookup = { name: 'lookup_user', arguments: { userId: 12345 } };

    const stdio = [];
    for (const b of builds) stdio.push(await stdioClient(process.execPath, [b.cli], env, 'bench-lean-path'));
    const stdioCpu = await cpuPerCall(stdio, async (s) => {
      const r = await s.client.callTool(lookup);
      if (r.isError) throw new Error(JSON.stringify(r.content));
    });
    for (const s of stdio) await s.close();

    const http = [];
    for (const b of builds) http.push(await spawnHttpCli(['--port', '0', '--stateless', '--max-concurrency', '256'], { ...env, MCP_HTTP_API_KEY: API_KEY }, 30_000, b.cli));
    const headers = () => ({ ...MCP_HEADERS, authorization: `Bearer ${API_KEY}` });
    const body = (i) => callBody(lookup.name, lookup.arguments, i);
    const agent = keepAliveAgent(CONCURRENCY);
    const httpCpu = await cpuPerCall(http, async (s) => {
      const r = await runLoad({ url: s.url, headers, body, concurrency: 1, count: 1, agent });
      if (r.errors.length) throw new Error(r.errors[0]);
    });
    const rates = http.map(() => []);
    const loadCpu = http.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < http.length; k++) {
        const i = (round + k) % http.length;
        const before = cpuMs(http[i].pid);
        const r = await runLoad({ url: http[i].url, headers, body, concurrency: CONCURRENCY, durationMs: ROUND_MS, agent });
        if (r.errors.length) throw new Error(`${builds[i].name}: ${r.errors.length} errors, first ${r.errors[0]}`);
        rates[i].push(r.latencies.length / r.seconds);
        loadCpu[i].push((cpuMs(http[i].pid) - before) / r.latencies.length);
      }
    }
    agent.destroy();
    for (const s of http) await s.close();

    const round2 = (x) => Math.round(x * 100) / 100;
    const rows = builds.map((b, i) => ({
      build: b.name,
      'stdio CPU ms/call': round2(stdioCpu[i]),
      'stdio ratio': round2(stdioCpu[i] / stdioCpu[0]),
      'stateless CPU ms/call': round2(httpCpu[i]),
      'stateless ratio': round2(httpCpu[i] / httpCpu[0]),
      [`calls/s @${CONCURRENCY}`]: Math.round(median(rates[i])),
      'throughput ratio': round2(median(rates[i]) / median(rates[0])),
      [`CPU ms/call @${CONCURRENCY}`]: round2(median(loadCpu[i])),
    }));
    printTable(
      `lean call path: server CPU per lookup_user (${ITERATIONS} calls each, interleaved in chunks of ${CHUNK}) and stateless throughput (${ROUNDS} rounds of ${ROUND_MS} ms, alternating; median); ratios against the baseline`,
      Object.keys(rows[0]),
      rows,
    );
    writeResult('lean-path', { baseline: baseline.cli, iterations: ITERATIONS, concurrency: CONCURRENCY, rounds: ROUNDS, roundMs: ROUND_MS, rows, rates, loadCpu });
  } finally {
    await sandbox.close();
  }
}

runMain(main);
