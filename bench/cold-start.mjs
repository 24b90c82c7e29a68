// Cold start: process spawn → the `initialize` result on stdout (the request is written at spawn time), median of
// 20, interleaved across servers. Beside ours: @modelcontextprotocol/server-everything (the reference server,
// pinned devDependency; runs on Node 20) and a bare `node` that answers one line (the floor of spawning Node).
// Then an HTTP start with a 1,000-tenant file: spawn → "listening on" (this build and the baseline, interleaved).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, cleanEnv, dist, liveEnv, median, printTable, ROOT, runMain, spawnHttpCli, summarize, tenantsFile, track, writeResult } from './lib.mjs';

const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 20);
const BASELINE = process.env.BENCH_BASELINE_CLI;
const TENANT_RUNS = Number(process.env.BENCH_TENANTS_RUNS ?? 9);
const TENANTS = 1000;
const INITIALIZE = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench-cold', version: '1' } },
})}\n`;

/** ms from spawn to the first stdout line that answers id 1. */
function coldStart(args, env, timeoutMs = 15_000) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = track(spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'], cwd: ROOT }));
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
    const timer = setTimeout(() => finish(new Error(`no initialize result within ${timeoutMs} ms: ${err.slice(-500)}`)), timeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      const ms = performance.now() - t0;
      for (const line of out.split('\n').slice(0, -1)) {
        try {
          const message = JSON.parse(line);
          if (message.id === 1 && message.result) return finish(undefined, ms);
          if (message.id === 1 && message.error) return finish(new Error(JSON.stringify(message.error)));
        } catch {
          /* not JSON-RPC */
        }
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (error) => finish(error));
    child.stdin.on('error', () => {});
    child.stdin.write(INITIALIZE);
  });
}

async function main() {
  const { startSandbox } = await dist('sandbox/index.js');
  const sandbox = await startSandbox({ recordRequests: false });
  try {
    const everything = `${ROOT}/node_modules/@modelcontextprotocol/server-everything/dist/index.js`;
    const servers = {
      'customer-api-mcp --sandbox (embedded sandbox, seeded at start)': [[CLI, '--sandbox'], cleanEnv({ LOG_LEVEL: 'warn' })],
      'customer-api-mcp, live mode (credentials in env)': [[CLI], await liveEnv(sandbox)],
      // BENCH_BASELINE_CLI=<another checkout>/dist/cli.js: that build too, in the same interleaved rounds.
      ...(BASELINE
        ? {
            'baseline build (BENCH_BASELINE_CLI) --sandbox': [[BASELINE, '--sandbox'], cleanEnv({ LOG_LEVEL: 'warn' })],
            'baseline build (BENCH_BASELINE_CLI), live mode': [[BASELINE], await liveEnv(sandbox)],
          }
        : {}),
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
    const tenants = await tenantsStart(sandbox);
    writeResult('cold-start', { runs: RUNS, ...(BASELINE ? { baseline: BASELINE } : {}), rows, samples, tenants });
  } finally {
    await sandbox.close();
  }
}

/** `--http --tenants FILE` with TENANTS tenants (credentials never used: no upstream call at start), spawn → listening. */
async function tenantsStart(sandbox) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-tenants-'));
  try {
    const names = Array.from({ length: TENANTS }, (_, i) => `t${String(i).padStart(4, '0')}`);
    const made = (name, what) => createHash('sha256').update(`${what}:${name}`).digest('base64url');
    const creds = Object.fromEntries(names.map((n) => [n, { clientId: `client-${n}`, clientSecret: made(n, 'secret'), apiKey: made(n, 'api') }]));
    const sites = Object.fromEntries(names.map((n) => [n, { token: made(n, 'token'), siteId: `site-${n}` }]));
    const file = tenantsFile(dir, sandbox, creds, sites, names);
    const env = cleanEnv({ LOG_LEVEL: 'warn', ...Object.fromEntries(names.map((n) => [`BENCH_KEY_${n.toUpperCase()}`, made(n, 'key')])) });
    const clis = { 'this build': CLI, ...(BASELINE ? { 'baseline build (BENCH_BASELINE_CLI)': BASELINE } : {}) };
    const startMs = async (cli) => {
      const t0 = performance.now();
      const server = await spawnHttpCli(['--port', '0', '--tenants', file], env, 60_000, cli);
      const ms = performance.now() - t0;
      await server.close();
      return ms;
    };
    const samples = Object.fromEntries(Object.keys(clis).map((name) => [name, []]));
    for (const cli of Object.values(clis)) await startMs(cli);
    for (let i = 0; i < TENANT_RUNS; i++) for (const [name, cli] of Object.entries(clis)) samples[name].push(await startMs(cli));
    const rows = Object.entries(samples).map(([server, ms]) => ({ server, median: Math.round(median(ms) * 10) / 10, min: summarize(ms).min, max: summarize(ms).max }));
    printTable(`HTTP start with a ${TENANTS}-tenant file: spawn → "listening on" (ms, ${TENANT_RUNS} runs each, interleaved)`, ['server', 'median', 'min', 'max'], rows);
    return { count: TENANTS, runs: TENANT_RUNS, rows, samples };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runMain(main);
