// Cold start: process spawn → the `initialize` result on stdout (the request is written at spawn time), median of
// 20, interleaved across servers. Beside ours: @modelcontextprotocol/server-everything (the reference server,
// pinned devDependency; runs on Node 20) and a bare `node` that answers one line (the floor of spawning Node).
// The baseline build (./baseline.mjs: the commit before issue 17, or BENCH_BASELINE_CLI) runs in the same rounds.
// HTTP with a 1,000-tenant file: spawn `--http --port 0 --tenants FILE` → its "listening on" line on stderr, this
// build and the baseline interleaved, beside server-everything's `streamableHttp` start (PORT=0, no tenants).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { baselineBuild } from './baseline.mjs';
import { CLI, cleanEnv, dist, liveEnv, median, printTable, ROOT, runMain, summarize, track, writeResult } from './lib.mjs';

const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 20);
const HTTP_RUNS = Number(process.env.BENCH_COLD_HTTP_RUNS ?? 10);
const TENANTS = Number(process.env.BENCH_COLD_TENANTS ?? 1000);
const INITIALIZE = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench-cold', version: '1' } },
})}\n`;

/**
 * ms from spawn until `ready(output)` says so (output: everything the child wrote to the watched streams so far;
 * `ready` returns true, or throws to fail the start); the child is killed either way.
 */
function timeUntil(args, env, { stdin, watch, ready, what, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = track(spawn(process.execPath, args, { env, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], cwd: ROOT }));
    let out = '';
    let err = '';
    let done = false;
    const finish = (error, ms) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.once('exit', () => (error ? reject(error) : resolve(ms)));
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => finish(new Error(`no ${what} within ${timeoutMs} ms: ${(out + err).slice(-500)}`)), timeoutMs);
    for (const stream of ['stdout', 'stderr']) {
      child[stream].on('data', (d) => {
        if (!watch.includes(stream)) return void (err += d);
        out += d;
        const ms = performance.now() - t0;
        try {
          if (ready(out)) finish(undefined, ms);
        } catch (error) {
          finish(error);
        }
      });
    }
    child.on('error', (error) => finish(error));
    child.once('exit', (code) => finish(new Error(`exited (${code}) before ${what}: ${(out + err).slice(-500)}`)));
    if (stdin !== undefined) {
      child.stdin.on('error', () => {});
      child.stdin.write(stdin);
    }
  });
}

/** Whether stdout holds the answer to id 1 (an error answer fails the start). */
function answersInitialize(out) {
  for (const line of out.split('\n').slice(0, -1)) {
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      continue; // not JSON-RPC
    }
    if (message.id === 1 && message.error) throw new Error(JSON.stringify(message.error));
    if (message.id === 1 && message.result) return true;
  }
  return false;
}

/** ms from spawn to the first stdout line that answers id 1. */
const coldStart = (args, env, timeoutMs = 15_000) =>
  timeUntil(args, env, { stdin: INITIALIZE, watch: ['stdout'], ready: answersInitialize, what: 'initialize result', timeoutMs });

/** ms from spawn to a "listening on" line on stdout or stderr. */
const listenStart = (args, env, timeoutMs = 30_000) =>
  timeUntil(args, env, { watch: ['stdout', 'stderr'], ready: (out) => /listening on/.test(out), what: '"listening on"', timeoutMs });

/** A tenants file of `count` tenants on the sandbox, each with one random key (given as its SHA-256). */
function manyTenantsFile(dir, sandbox, creds, sites, count) {
  const acme = creds.acme;
  const tenants = Array.from({ length: count }, (_, i) => ({
    name: `tenant-${i}`,
    keys: [{ sha256: randomBytes(32).toString('hex') }],
    partssource: { baseUrl: sandbox.partssource.baseUrl, tokenUrl: sandbox.partssource.tokenUrl, clientId: acme.clientId, clientSecret: acme.clientSecret, apiKey: acme.apiKey },
    augur: { baseUrl: sandbox.augur.baseUrl, token: sites.acme.token, siteId: sites.acme.siteId },
  }));
  const path = join(dir, 'tenants.json');
  writeFileSync(path, JSON.stringify({ tenants }));
  return path;
}

async function main() {
  const baseline = await baselineBuild();
  const { startSandbox, SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS } = await dist('sandbox/index.js');
  const sandbox = await startSandbox({ recordRequests: false });
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-cold-'));
  try {
    const everything = `${ROOT}/node_modules/@modelcontextprotocol/server-everything/dist/index.js`;
    const servers = {
      'customer-api-mcp --sandbox (embedded sandbox)': [[CLI, '--sandbox'], cleanEnv({ LOG_LEVEL: 'warn' })],
      'customer-api-mcp, live mode (credentials in env)': [[CLI], await liveEnv(sandbox)],
      [`${baseline.label} --sandbox`]: [[baseline.cli, '--sandbox'], cleanEnv({ LOG_LEVEL: 'warn' })],
      [`${baseline.label}, live mode`]: [[baseline.cli], await liveEnv(sandbox)],
      '@modelcontextprotocol/server-everything 2026.8.31 (stdio)': [[everything, 'stdio'], cleanEnv()],
      'floor: node answering one line': [
        ['-e', "process.stdin.once('data', () => process.stdout.write(JSON.stringify({jsonrpc:'2.0',id:1,result:{}}) + '\\n'))"],
        cleanEnv(),
      ],
    };
    const samples = Object.fromEntries(Object.keys(servers).map((name) => [name, []]));
    // One warm-up round (file system cache), then RUNS interleaved rounds.
    for (const [args, env] of Object.values(servers)) await coldStart(args, env);
    for (let i = 0; i < RUNS; i++) {
      for (const [name, [args, env]] of Object.entries(servers)) samples[name].push(await coldStart(args, env));
    }
    const rows = Object.entries(samples).map(([server, ms]) => {
      const s = summarize(ms);
      return { server, median: Math.round(median(ms) * 10) / 10, min: s.min, p95: s.p95, max: s.max };
    });
    printTable(`cold start: spawn → initialize result over stdio (ms, ${RUNS} runs each, interleaved; goal <= 300 ms median)`, ['server', 'median', 'min', 'p95', 'max'], rows);

    const tenantsPath = manyTenantsFile(dir, sandbox, SANDBOX_PARTSSOURCE_CREDENTIALS, SANDBOX_AUGUR_SITES, TENANTS);
    const httpArgs = ['--http', '--port', '0', '--tenants', tenantsPath];
    const httpServers = {
      [`customer-api-mcp --http, ${TENANTS} tenants`]: [[CLI, ...httpArgs], cleanEnv({ LOG_LEVEL: 'warn' })],
      [`${baseline.label} --http, ${TENANTS} tenants`]: [[baseline.cli, ...httpArgs], cleanEnv({ LOG_LEVEL: 'warn' })],
      '@modelcontextprotocol/server-everything streamableHttp (no tenants)': [[everything, 'streamableHttp'], cleanEnv({ PORT: '0' })],
    };
    const httpSamples = Object.fromEntries(Object.keys(httpServers).map((name) => [name, []]));
    for (const [args, env] of Object.values(httpServers)) await listenStart(args, env);
    for (let i = 0; i < HTTP_RUNS; i++) {
      const names = Object.keys(httpServers);
      for (let k = 0; k < names.length; k++) {
        const name = names[(i + k) % names.length];
        httpSamples[name].push(await listenStart(...httpServers[name]));
      }
    }
    const httpRows = Object.entries(httpSamples).map(([server, ms]) => {
      const s = summarize(ms);
      return { server, median: Math.round(median(ms) * 10) / 10, min: s.min, p95: s.p95, max: s.max };
    });
    printTable(`HTTP start: spawn → "listening on" (ms, ${HTTP_RUNS} runs each, interleaved)`, ['server', 'median', 'min', 'p95', 'max'], httpRows);

    const med = (ms) => median(ms);
    const r = (a, b) => Math.round((a / b) * 100) / 100;
    const everythingStdio = med(samples['@modelcontextprotocol/server-everything 2026.8.31 (stdio)']);
    const everythingHttp = med(httpSamples['@modelcontextprotocol/server-everything streamableHttp (no tenants)']);
    const ratioRow = (mode, ours, base, reference) => ({
      mode,
      'this build': Math.round(ours * 10) / 10,
      baseline: Math.round(base * 10) / 10,
      '×baseline': r(ours, base),
      'server-everything': Math.round(reference * 10) / 10,
      '×server-everything': r(ours, reference),
    });
    const ratios = [
      ratioRow('live mode (stdio)', med(samples['customer-api-mcp, live mode (credentials in env)']), med(samples[`${baseline.label}, live mode`]), everythingStdio),
      ratioRow('--sandbox (stdio)', med(samples['customer-api-mcp --sandbox (embedded sandbox)']), med(samples[`${baseline.label} --sandbox`]), everythingStdio),
      ratioRow(`--http, ${TENANTS} tenants`, med(httpSamples[`customer-api-mcp --http, ${TENANTS} tenants`]), med(httpSamples[`${baseline.label} --http, ${TENANTS} tenants`]), everythingHttp),
    ];
    printTable(`cold start as ratios (medians, ms; baseline = ${baseline.label}; goal: live and --sandbox <= 1.2× server-everything)`, Object.keys(ratios[0]), ratios);
    writeResult('cold-start', { runs: RUNS, httpRuns: HTTP_RUNS, tenants: TENANTS, baseline: baseline.cli, baselineLabel: baseline.label, rows, httpRows, ratios, samples, httpSamples });
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

runMain(main);
