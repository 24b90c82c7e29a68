// Issue 17 item 4: stateless HTTP throughput with every party in its own process, this build against the baseline
// (./baseline.mjs) in the same run, and the CPU each process used:
//   load generator  bench/load-worker.mjs, forked: closed-loop lookup_user tools/call POSTs (lib.mjs runLoad)
//   upstream        the sandbox alone (`dist/cli.js sandbox --port 0`)
//   server          `<build>/dist/cli.js --http --stateless --max-concurrency 256` in live mode against that sandbox
// At concurrency 1, 16 and 64: ROUNDS rounds, the builds alternating (the first one rotating), each a WARMUP_MS
// warm-up then MEASURE_MS measured. CPU = utime + stime from /proc/<pid>/stat of each process, over the measured
// part only. Both servers stay up the whole run (the idle one costs nothing measurable). The ratios are the median
// of the per-round ratios (each round runs both builds back to back, so drift of a shared machine cancels).
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { baselineBuild } from './baseline.mjs';
import { CLI, cpuMs, liveEnv, printTable, ROOT, runMain, spawnSandbox, spawnHttpCli, track, writeResult } from './lib.mjs';

const LEVELS = (process.env.BENCH_LEVELS ?? '1,16,64').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 500);
const MEASURE_MS = Number(process.env.BENCH_LEVEL_MS ?? 1500);
const API_KEY = 'bench-throughput-procs-api-key-0123456789';

/** The median (the mean of the middle two of an even count). */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The forked load generator; `ask(message)` resolves with its answer. */
function startLoadWorker() {
  const child = track(fork(join(ROOT, 'bench', 'load-worker.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const pending = new Map();
  let next = 0;
  child.on('message', (m) => {
    const waiter = pending.get(m.id);
    pending.delete(m.id);
    if (m.failure) waiter?.reject(new Error(`load generator: ${m.failure}`));
    else waiter?.resolve(m);
  });
  child.once('exit', (code) => {
    for (const w of pending.values()) w.reject(new Error(`the load generator exited (${code})`));
  });
  return {
    pid: child.pid,
    ask: (message) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        child.send({ id, ...message });
      }),
    close: () => child.kill('SIGTERM'),
  };
}

async function main() {
  const baseline = await baselineBuild();
  const builds = [
    { name: baseline.label, cli: baseline.cli },
    { name: 'this build', cli: CLI },
  ];
  const sandbox = await spawnSandbox();
  const servers = [];
  let loader;
  try {
    const env = { ...(await liveEnv(sandbox)), MCP_HTTP_API_KEY: API_KEY };
    for (const b of builds) servers.push(await spawnHttpCli(['--port', '0', '--stateless', '--max-concurrency', '256'], env, 30_000, b.cli));
    loader = startLoadWorker();
    const load = (server, concurrency, durationMs) =>
      loader.ask({ url: server.url, apiKey: API_KEY, tool: 'lookup_user', args: { userId: 12345 }, concurrency, durationMs });

    // totals[level][build] = calls, seconds, errors, CPU ms of server / sandbox / load generator, per-round rates
    const totals = Object.fromEntries(LEVELS.map((c) => [c, builds.map(() => ({ calls: 0, seconds: 0, errors: 0, server: 0, sandbox: 0, loader: 0, rates: [], cpuPerCall: [], p50: [], p99: [] }))]));
    const started = performance.now();
    for (const concurrency of LEVELS) {
      for (let round = 0; round < ROUNDS; round++) {
        for (let k = 0; k < builds.length; k++) {
          const i = (round + k) % builds.length;
          await load(servers[i], concurrency, WARMUP_MS);
          const pids = [servers[i].pid, sandbox.pid, loader.pid];
          const before = pids.map(cpuMs);
          const r = await load(servers[i], concurrency, MEASURE_MS);
          const [server, upstream, generator] = pids.map((pid, n) => cpuMs(pid) - before[n]);
          if (r.errors) throw new Error(`${builds[i].name} @${concurrency}: ${r.errors} errors, first ${r.firstError}`);
          const t = totals[concurrency][i];
          t.calls += r.calls;
          t.seconds += r.seconds;
          t.server += server;
          t.sandbox += upstream;
          t.loader += generator;
          t.rates.push(Math.round(r.calls / r.seconds));
          t.cpuPerCall.push(server / r.calls);
          t.p50.push(r.latency.p50);
          t.p99.push(r.latency.p99);
        }
      }
      await loader.ask({ close: true });
    }
    const seconds = Math.round((performance.now() - started) / 100) / 10;

    const r2 = (x) => Math.round(x * 100) / 100;
    const rows = [];
    const ratios = [];
    for (const concurrency of LEVELS) {
      const per = totals[concurrency].map((t, i) => ({
        concurrency,
        build: builds[i].name,
        calls: t.calls,
        'calls/s': Math.round(t.calls / t.seconds),
        'p50 ms': r2(t.p50.reduce((a, b) => a + b, 0) / t.p50.length),
        'p99 ms': r2(t.p99.reduce((a, b) => a + b, 0) / t.p99.length),
        'server CPU s': r2(t.server / 1000),
        'sandbox CPU s': r2(t.sandbox / 1000),
        'loadgen CPU s': r2(t.loader / 1000),
        'server CPU ms/call': r2(t.server / t.calls),
        'sandbox CPU ms/call': r2(t.sandbox / t.calls),
        'loadgen CPU ms/call': r2(t.loader / t.calls),
      }));
      rows.push(...per);
      const [base, ours] = totals[concurrency];
      const perRound = (key) => median(ours[key].map((v, round) => v / base[key][round]));
      ratios.push({
        concurrency,
        'calls/s ×baseline': r2(perRound('rates')),
        'server CPU/call ×baseline': r2(perRound('cpuPerCall')),
        'p50 ×baseline': r2(perRound('p50')),
        'server share of all CPU': r2(totals[concurrency][1].server / (totals[concurrency][1].server + totals[concurrency][1].sandbox + totals[concurrency][1].loader)),
      });
    }
    printTable(
      `stateless HTTP throughput, lookup_user; load generator, sandbox and server in their own processes (${ROUNDS} rounds of ${MEASURE_MS} ms per build and level after ${WARMUP_MS} ms warm-up, builds alternating; CPU from /proc over the measured part; p50/p99 mean of the rounds; ${seconds} s)`,
      Object.keys(rows[0]),
      rows,
    );
    printTable(`this build against ${baseline.label}, median of the ${ROUNDS} per-round ratios (goal: calls/s >= 1.6×, server CPU per call <= 0.6×)`, Object.keys(ratios[0]), ratios);
    writeResult('throughput-procs', { baseline: baseline.cli, baselineLabel: baseline.label, levels: LEVELS, rounds: ROUNDS, measureMs: MEASURE_MS, warmupMs: WARMUP_MS, seconds, rows, ratios, totals });
  } finally {
    loader?.close();
    for (const s of servers) await s.close();
    await sandbox.close();
  }
}

runMain(main);
