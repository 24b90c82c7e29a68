// Tracing off vs on, side by side in one run (issue 18: "with tracing off, cold start and server CPU per call
// unchanged within noise"):
//   cold start   spawn of `dist/cli.js` (stdio, live mode) → initialize result, interleaved off / on
//   CPU per call the server process's user+system CPU (/proc/<pid>/stat) over ITERATIONS lookup_user calls on one
//                stateful HTTP session each, calls interleaved off / on, divided by the calls
// "on" exports every span (default sampler) and every metric (1 s interval) over OTLP/protobuf to a sink on loopback
// that answers 200; "off" has no OTEL_* variable, so OpenTelemetry is never imported. BENCH_BASELINE_CLI=<another
// checkout>/dist/cli.js adds that build (e.g. main before this change) as a third variant, tracing off.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { CLI, httpClient, liveEnv, median, printTable, ROOT, runMain, spawnHttpCli, spawnSandbox, summarize, track, writeResult } from './lib.mjs';

const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 15);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 50);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 400);
const API_KEY = 'bench-tracing-api-key-0123456789';
const INITIALIZE = `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } })}\n`;

/** A collector that accepts everything (the cost measured is ours, not a collector's). */
async function startSink() {
  let exports = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      exports += 1;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, exports: () => exports, close: () => new Promise((resolve) => server.close(resolve)) };
}

function coldStart({ cli, env }, timeoutMs = 15_000) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = track(spawn(process.execPath, [cli], { env, stdio: ['pipe', 'pipe', 'pipe'], cwd: ROOT }));
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL') && reject(new Error('no initialize result')), timeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      if (!out.includes('"id":1')) return;
      const ms = performance.now() - t0;
      clearTimeout(timer);
      child.once('exit', () => resolve(ms));
      child.kill('SIGKILL');
    });
    child.stdin.on('error', () => {});
    child.stdin.write(INITIALIZE);
  });
}

/** utime + stime of a process, in ms (Linux /proc). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks at USER_HZ 100
}

async function main() {
  const sandbox = await spawnSandbox();
  const sink = await startSink();
  try {
    const off = await liveEnv(sandbox);
    const variants = {
      ...(process.env.BENCH_BASELINE_CLI ? { 'baseline build (BENCH_BASELINE_CLI), no telemetry code': { cli: process.env.BENCH_BASELINE_CLI, env: off } } : {}),
      'tracing off (no OTEL_* variable)': { cli: CLI, env: off },
      'tracing on (OTLP/protobuf, every span, metrics every 1 s)': {
        cli: CLI,
        env: await liveEnv(sandbox, { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_METRIC_EXPORT_INTERVAL: '1000' }),
      },
    };
    const names = Object.keys(variants);
    const cold = Object.fromEntries(names.map((n) => [n, []]));
    for (const env of Object.values(variants)) await coldStart(env);
    for (let i = 0; i < RUNS; i++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(i + k) % names.length];
        cold[name].push(await coldStart(variants[name]));
      }
    }

    const servers = [];
    for (const name of names) {
      const server = await spawnHttpCli(['--port', '0'], { ...variants[name].env, MCP_HTTP_API_KEY: API_KEY }, 30_000, variants[name].cli);
      servers.push({ name, server, client: await httpClient(server.url, API_KEY), ms: [] });
    }
    const call = (s) => s.client.client.callTool({ name: 'lookup_user', arguments: { userId: 12345 } });
    for (let i = 0; i < WARMUP; i++) for (const s of servers) await call(s);
    const before = servers.map((s) => cpuMs(s.server.pid));
    for (let i = 0; i < ITERATIONS; i++) {
      for (let k = 0; k < servers.length; k++) {
        const s = servers[(i + k) % servers.length];
        const t0 = performance.now();
        await call(s);
        s.ms.push(performance.now() - t0);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the last span batch and metric export are counted too
    const rows = names.map((name, i) => {
      const s = servers[i];
      const c = summarize(cold[name]);
      return {
        variant: name,
        'cold start median ms': Math.round(median(cold[name]) * 10) / 10,
        'cold p95': c.p95,
        'server CPU ms per call': Math.round(((cpuMs(s.server.pid) - before[i]) / ITERATIONS) * 100) / 100,
        'call median ms': Math.round(median(s.ms) * 100) / 100,
      };
    });
    printTable(`tracing off vs on: cold start (${RUNS} runs each) and server CPU per lookup_user (${ITERATIONS} calls each, interleaved)`, Object.keys(rows[0]), rows);
    writeResult('tracing', { runs: RUNS, iterations: ITERATIONS, sinkExports: sink.exports(), rows, cold });
    for (const s of servers) {
      await s.client.close();
      await s.server.close();
    }
  } finally {
    await sink.close();
    await sandbox.close();
  }
}

runMain(main);
