// Shared helpers of the benchmarks: child processes (always killed), statistics, tables, results files.
// Plain ESM against the built dist/ (run `npm run build` first; `npm run bench` does).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const RESULTS = join(ROOT, 'bench', 'results');
export const dist = (path) => import(join(ROOT, 'dist', path));

// ------------------------------------------------------------------------------------------ child processes

const children = new Set();

/** Remember a child so that it is killed whatever happens to this process. */
export function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function killAll() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
  children.clear();
}

process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

/** Run a bench's main: prints the error, kills every child, sets the exit code. */
export function runMain(main) {
  main().then(
    () => {
      killAll();
      process.exit(0);
    },
    (error) => {
      process.stderr.write(`${error?.stack ?? error}\n`);
      killAll();
      process.exit(1);
    },
  );
}

/** Only what a clean machine has, plus `extra` (no credential variable leaks in from the shell). */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[name]) env[name] = process.env[name];
  return { ...env, ...extra };
}

/** Live-mode environment of the CLI pointed at one sandbox with tenant acme's demo credentials. */
export async function liveEnv(sandbox, extra = {}) {
  const { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS } = await dist('sandbox/index.js');
  const acme = SANDBOX_PARTSSOURCE_CREDENTIALS.acme;
  return cleanEnv({
    PARTSSOURCE_BASE_URL: sandbox.partssource.baseUrl,
    PARTSSOURCE_TOKEN_URL: sandbox.partssource.tokenUrl,
    PARTSSOURCE_CLIENT_ID: acme.clientId,
    PARTSSOURCE_CLIENT_SECRET: acme.clientSecret,
    PARTSSOURCE_API_KEY: acme.apiKey,
    AUGUR_BASE_URL: sandbox.augur.baseUrl,
    AUGUR_TOKEN: SANDBOX_AUGUR_SITES.acme.token,
    AUGUR_SITE_ID: SANDBOX_AUGUR_SITES.acme.siteId,
    LOG_LEVEL: 'warn',
    ...extra,
  });
}

/** An SDK client over stdio to a spawned command (the transport spawns it; we track its pid). */
export async function stdioClient(command, args, env, name = 'bench') {
  const transport = new StdioClientTransport({ command, args, env, stderr: 'pipe', cwd: ROOT });
  let stderr = '';
  const client = new Client({ name, version: '1.0.0' });
  transport.stderr?.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  try {
    await client.connect(transport);
  } catch (error) {
    throw new Error(`${command} ${args.join(' ')} did not initialize: ${error.message}\n${stderr}`);
  }
  const pid = transport.pid;
  const guard = { kill: () => pid && process.kill(pid, 'SIGKILL'), once: () => {} };
  children.add(guard);
  return {
    client,
    pid,
    stderr: () => stderr,
    async close() {
      children.delete(guard);
      await client.close().catch(() => {});
      try {
        if (pid) process.kill(pid, 'SIGKILL');
      } catch {
        /* exited */
      }
    },
  };
}

/** Spawns `dist/cli.js --http ...` and waits for its `listening on URL` line. */
export async function spawnHttpCli(args, env, timeoutMs = 30_000, cli = CLI) {
  const child = track(spawn(process.execPath, [cli, '--http', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] }));
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-8000)));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" line within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    const check = () => {
      const match = /listening on (http:\/\/\S+\/mcp)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        child.stderr.off('data', check);
        resolve(match[1]);
      }
    };
    child.stderr.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the HTTP server exited (${code}) before listening: ${stderr}`));
    });
  });
  return {
    child,
    url,
    pid: child.pid,
    stderr: () => stderr,
    close: () => stopChild(child),
  };
}

/** SIGTERM, then SIGKILL if the child has not exited within 3 s; resolves once it has exited. */
async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

/** The SDK client over Streamable HTTP with `Authorization: Bearer <key>`. */
export async function httpClient(url, key) {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${key}` } } });
  const client = new Client({ name: 'bench-http', version: '1.0.0' });
  client.onerror = () => {};
  await client.connect(transport);
  return { client, close: () => client.close().catch(() => {}) };
}

// ------------------------------------------------------------------------------------------ raw HTTP

export const MCP_HEADERS = { accept: 'application/json, text/event-stream', 'content-type': 'application/json', 'mcp-protocol-version': '2025-06-18' };

export const initializeBody = (id = 1) =>
  JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench-raw', version: '1' } },
  });

export const callBody = (name, args, id = 1) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

/** One POST with node:http; resolves with status, headers and body text. */
export function post(url, body, headers, agent) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The JSON-RPC message of a JSON or SSE (`data: ...`) answer. */
export function rpcMessage(text) {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return JSON.parse(trimmed);
  const data = trimmed
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim())
    .filter(Boolean);
  if (data.length === 0) throw new Error(`no JSON-RPC message in: ${text.slice(0, 300)}`);
  return JSON.parse(data[data.length - 1]);
}

/** A tenants file for the stateless HTTP benches: each tenant on the sandbox, keys from BENCH_KEY_<NAME>. */
export function tenantsFile(dir, sandbox, creds, sites, names = ['acme', 'globex']) {
  const tenant = (name) => ({
    name,
    keys: [{ env: `BENCH_KEY_${name.toUpperCase()}` }],
    maxConcurrency: 128,
    partssource: {
      baseUrl: sandbox.partssource.baseUrl,
      tokenUrl: sandbox.partssource.tokenUrl,
      clientId: creds[name].clientId,
      clientSecret: creds[name].clientSecret,
      apiKey: creds[name].apiKey,
    },
    augur: { baseUrl: sandbox.augur.baseUrl, token: sites[name].token, siteId: sites[name].siteId },
  });
  const path = join(dir, 'tenants.json');
  writeFileSync(path, JSON.stringify({ tenants: names.map(tenant) }));
  return path;
}

export const keepAliveAgent = (maxSockets) => new Agent({ keepAlive: true, maxSockets });

// ------------------------------------------------------------------------------------------ figures

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/** ms samples → {n, p50, p95, p99, mean, min, max}, rounded to 0.01 ms. */
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const r = (x) => Math.round(x * 100) / 100;
  const mean = sorted.reduce((s, x) => s + x, 0) / (sorted.length || 1);
  return {
    n: sorted.length,
    p50: r(percentile(sorted, 50)),
    p95: r(percentile(sorted, 95)),
    p99: r(percentile(sorted, 99)),
    mean: r(mean),
    min: r(sorted[0] ?? NaN),
    max: r(sorted[sorted.length - 1] ?? NaN),
  };
}

export const median = (values) => percentile([...values].sort((a, b) => a - b), 50);

/** VmRSS of a process in MiB (Linux /proc), or NaN. */
export function rssMiB(pid) {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : NaN;
  } catch {
    return NaN;
  }
}

/** utime + stime of a process so far, in ms (Linux /proc/<pid>/stat, USER_HZ 100: 10 ms steps). */
export function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function machine() {
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
  };
}

/** Prints a table: `columns` are [header, key] pairs (or strings); numbers are right-aligned. */
export function printTable(title, columns, rows) {
  const cols = columns.map((c) => (Array.isArray(c) ? c : [c, c]));
  const cell = (row, key) => {
    const v = row[key];
    return v === undefined || v === null ? '' : typeof v === 'number' ? String(v) : String(v);
  };
  const widths = cols.map(([header, key]) => Math.max(header.length, ...rows.map((row) => cell(row, key).length)));
  const line = (values, numeric) =>
    `| ${values.map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join(' | ')} |`;
  const out = [`\n${title}`, line(cols.map(([h]) => h), cols.map(() => false)), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`];
  for (const row of rows) out.push(line(cols.map(([, key]) => cell(row, key)), cols.map(([, key]) => typeof row[key] === 'number')));
  process.stdout.write(`${out.join('\n')}\n`);
}

export function writeResult(name, data) {
  mkdirSync(RESULTS, { recursive: true });
  const path = join(RESULTS, `${name}.json`);
  writeFileSync(path, `${JSON.stringify({ bench: name, machine: machine(), ...data }, null, 2)}\n`);
  process.stdout.write(`→ ${join('bench', 'results', `${name}.json`)}\n`);
}

/**
 * Closed-loop load: `concurrency` workers POST JSON-RPC tools/call bodies until `count` calls are done or
 * `durationMs` has passed (whichever is given; both bound the run). `urlOf(i)`, when given, picks each call's
 * server (a client-side load balancer). Every answer is checked: HTTP 200 and a
 * result without isError. Returns latencies (ms), errors and the wall time.
 */
export async function runLoad({ url, urlOf, headers, body, concurrency, count = Infinity, durationMs = Infinity, agent }) {
  if (count === Infinity && durationMs === Infinity) throw new Error('runLoad needs a count or a duration');
  const latencies = [];
  const errors = [];
  let issued = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  async function worker() {
    while (issued < count && performance.now() < deadline) {
      const i = issued++;
      const t0 = performance.now();
      try {
        const res = await post(urlOf ? urlOf(i) : url, body(i), headers(i), agent);
        const ms = performance.now() - t0;
        if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.text.slice(0, 200)}`);
        const message = rpcMessage(res.text);
        if (message.error || message.result?.isError) throw new Error(JSON.stringify(message.error ?? message.result.content).slice(0, 300));
        latencies.push(ms);
      } catch (error) {
        errors.push(error.message);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, errors, seconds: (performance.now() - started) / 1000 };
}

/**
 * The sandbox alone in its own process (`dist/cli.js sandbox --port 0`), so that every variant, the direct client
 * call included, crosses a process boundary to reach its upstream as it would in production.
 */
export async function spawnSandbox(timeoutMs = 20_000, extraArgs = []) {
  const child = track(spawn(process.execPath, [CLI, 'sandbox', '--port', '0', ...extraArgs], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  child.stderr.on('data', (d) => (out += d));
  const origin = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start within ${timeoutMs} ms: ${out}`)), timeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited (${code}): ${out}`));
    });
  });
  return {
    origin,
    pid: child.pid,
    partssource: { baseUrl: `${origin}/partssource/customer`, tokenUrl: `${origin}/partssource/oauth2/token` },
    augur: { baseUrl: `${origin}/augur` },
    close: () => stopChild(child),
  };
}

/** A PartsSource access token for `credentials` ({clientId, clientSecret}), fetched as our client does (a form POST). */
export async function partsSourceToken(sandbox, credentials) {
  const response = await fetch(sandbox.partssource.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret }),
  });
  return (await response.json()).access_token;
}

/**
 * The generic OpenAPI proxy (@ivotoby/openapi-mcp-server) over stdio, one process per upstream, driven by the
 * sandbox's OpenAPI documents. It does no OAuth flow: the PartsSource token is fetched here and passed as a static
 * header, as are the API key and the Augur site's token and id.
 */
export async function genericProxies(sandbox, acme, site, name = 'bench') {
  const accessToken = await partsSourceToken(sandbox, acme);
  const bin = `${ROOT}/node_modules/@ivotoby/openapi-mcp-server/bin/mcp-server.js`;
  const spawnProxy = (spec, base, headers) =>
    stdioClient(process.execPath, [bin], cleanEnv({ API_BASE_URL: base, OPENAPI_SPEC_PATH: `${sandbox.origin}/${spec}/openapi.json`, API_HEADERS: headers, VERBOSE: 'false' }), name);
  const partssource = await spawnProxy('partssource', sandbox.partssource.baseUrl, `Authorization:Bearer ${accessToken},x-api-key:${acme.apiKey}`);
  const augur = await spawnProxy('augur', sandbox.augur.baseUrl, `Authorization:Bearer ${site.token},x-site-id:${site.siteId}`).catch(async (error) => {
    await partssource.close();
    throw error;
  });
  return { partssource, augur, accessToken, close: () => Promise.all([partssource.close(), augur.close()]) };
}
