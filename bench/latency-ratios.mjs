// Issue 17 item 4: p50/p99 latency of lookup_user, search_parts and list_invoices over stdio, side by side in one run:
//   plain       a keep-alive `node:http` request + JSON.parse from this process to the same sandbox endpoint, with the
//               headers our client sends (bearer token from the token endpoint as the client gets it, x-api-key /
//               x-site-id); search is the same POST /catalog/search with the tool's default JSON body
//   this build  an MCP tools/call to `dist/cli.js` over stdio (live mode against the sandbox)
//   baseline    the same to the baseline build (./baseline.mjs: the commit before issue 17)
//   proxy       @ivotoby/openapi-mcp-server over the sandbox's OpenAPI documents (as bench/call-overhead.mjs runs it)
// at 0 ms and at LATENCY_MS of injected upstream latency (a sandbox process started with `sandbox --faults FILE`,
// one rule `{latencyMs}` matching every request). Variants interleaved round-robin per iteration, the first one
// rotating. Ratios: this build / plain, / proxy, / baseline, at p50 and p99.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { baselineBuild } from './baseline.mjs';
import { CLI, dist, genericProxies, keepAliveAgent, liveEnv, partsSourceToken, printTable, runMain, spawnSandbox, stdioClient, summarize, writeResult } from './lib.mjs';

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
/** Measured calls per variant and op: at 0 ms, and at LATENCY_MS (each call then takes at least that long). */
const ITERATIONS = { 0: Number(process.env.BENCH_ITERATIONS ?? 300), [LATENCY_MS]: Number(process.env.BENCH_ITERATIONS_SLOW ?? 120) };

/** One keep-alive request; resolves with the parsed JSON body (throws on a non-2xx status). */
function requestJson(url, { method = 'GET', headers, body }, agent) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      url,
      { method, agent, headers: { accept: 'application/json', ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 300) return reject(new Error(`HTTP ${res.statusCode} from ${url}: ${text.slice(0, 200)}`));
          try {
            resolve(JSON.parse(text));
          } catch (error) {
            reject(error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Everything of one latency setting: its own sandbox process and every variant's server process. */
async function measure(latencyMs, baseline) {
  const { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS } = await dist('sandbox/index.js');
  const { SANDBOX_AUGUR_FIXTURES } = await dist('sandbox/augur/index.js');
  const acme = SANDBOX_PARTSSOURCE_CREDENTIALS.acme;
  const site = SANDBOX_AUGUR_SITES.acme;
  const customerId = SANDBOX_AUGUR_FIXTURES.acme.customerId;
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-latency-'));
  const closers = [];
  try {
    let sandboxArgs = [];
    if (latencyMs > 0) {
      writeFileSync(join(dir, 'faults.json'), JSON.stringify({ faults: [{ latencyMs }] }));
      sandboxArgs = ['--faults', join(dir, 'faults.json')];
    }
    const sandbox = await spawnSandbox(20_000, sandboxArgs);
    closers.push(() => sandbox.close());
    const env = await liveEnv(sandbox);

    // The token as our client gets it: client_credentials as a form POST to the token endpoint.
    const accessToken = await partsSourceToken(sandbox, acme);
    const psHeaders = { authorization: `Bearer ${accessToken}`, 'x-api-key': acme.apiKey };
    const augurHeaders = { authorization: `Bearer ${site.token}`, 'x-site-id': site.siteId };
    const agent = keepAliveAgent(1);
    closers.push(async () => agent.destroy());

    const ours = await stdioClient(process.execPath, [CLI], env, 'bench-latency');
    closers.push(() => ours.close());
    const base = await stdioClient(process.execPath, [baseline.cli], env, 'bench-latency');
    closers.push(() => base.close());
    const proxies = await genericProxies(sandbox, acme, site, 'bench-latency');
    closers.push(() => proxies.close());
    const { partssource: proxyPs, augur: proxyAugur } = proxies;

    const mcp = (client) => async (name, args) => {
      const result = await client.callTool({ name, arguments: args });
      if (result.isError) throw new Error(`${name}: ${JSON.stringify(result.content).slice(0, 300)}`);
    };
    const plain = async (url, init) => {
      const envelope = await requestJson(url, init, agent);
      if (envelope.success === false) throw new Error(`${url}: ${JSON.stringify(envelope.errors)}`);
    };
    const ps = sandbox.partssource.baseUrl;
    const ops = {
      lookup_user: {
        plain: () => plain(`${ps}/users/lookup?userId=12345`, { headers: psHeaders }),
        'this build': () => mcp(ours.client)('lookup_user', { userId: 12345 }),
        baseline: () => mcp(base.client)('lookup_user', { userId: 12345 }),
        'generic proxy': () => mcp(proxyPs.client)('lookup-usr', { userId: 12345 }),
      },
      search_parts: {
        // The tool's defaults (limit 20, offset 0) as the body our client sends.
        plain: () => plain(`${ps}/catalog/search`, { method: 'POST', headers: psHeaders, body: { keyword: 'probe', pagination: { limit: 20, offset: 0 } } }),
        'this build': () => mcp(ours.client)('search_parts', { keyword: 'probe' }),
        baseline: () => mcp(base.client)('search_parts', { keyword: 'probe' }),
        'generic proxy': () => mcp(proxyPs.client)('search-catalog', { keyword: 'probe', pagination: { limit: 20, offset: 0 } }),
      },
      list_invoices: {
        plain: () => plain(`${sandbox.augur.baseUrl}/customer/${customerId}/invoices?limit=10&offset=0`, { headers: augurHeaders }),
        'this build': () => mcp(ours.client)('list_invoices', { customerId }),
        baseline: () => mcp(base.client)('list_invoices', { customerId }),
        'generic proxy': () => mcp(proxyAugur.client)('get-customer-customer-id-invoices', { customerId, limit: 10, offset: 0 }),
      },
    };
    const variants = Object.keys(ops.lookup_user);
    const samples = Object.fromEntries(Object.keys(ops).map((op) => [op, Object.fromEntries(variants.map((v) => [v, []]))]));
    const iterations = ITERATIONS[latencyMs];
    const started = performance.now();
    for (let i = 0; i < WARMUP + iterations; i++) {
      for (const [op, fns] of Object.entries(ops)) {
        for (let k = 0; k < variants.length; k++) {
          const variant = variants[(i + k) % variants.length];
          const t0 = performance.now();
          await fns[variant]();
          if (i >= WARMUP) samples[op][variant].push(performance.now() - t0);
        }
      }
    }
    return { samples, iterations, seconds: Math.round((performance.now() - started) / 100) / 10 };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const baseline = await baselineBuild();
  const rows = [];
  const ratios = [];
  const runs = {};
  for (const latencyMs of [0, LATENCY_MS]) {
    const { samples, iterations, seconds } = await measure(latencyMs, baseline);
    runs[latencyMs] = { iterations, seconds, samples };
    for (const [op, byVariant] of Object.entries(samples)) {
      const s = Object.fromEntries(Object.entries(byVariant).map(([v, ms]) => [v, summarize(ms)]));
      for (const [variant, stats] of Object.entries(s)) rows.push({ upstream: `+${latencyMs} ms`, op, variant, p50: stats.p50, p95: stats.p95, p99: stats.p99, mean: stats.mean });
      const r = (a, b) => Math.round((a / b) * 100) / 100;
      const ours = s['this build'];
      ratios.push({
        upstream: `+${latencyMs} ms`,
        op,
        'p50 /plain': r(ours.p50, s.plain.p50),
        'p99 /plain': r(ours.p99, s.plain.p99),
        'p50 /proxy': r(ours.p50, s['generic proxy'].p50),
        'p99 /proxy': r(ours.p99, s['generic proxy'].p99),
        'p50 /baseline': r(ours.p50, s.baseline.p50),
        'p99 /baseline': r(ours.p99, s.baseline.p99),
        'baseline p50 /plain': r(s.baseline.p50, s.plain.p50),
      });
    }
  }
  printTable(
    `latency over stdio (ms; interleaved; after ${WARMUP} warm-up: ${ITERATIONS[0]} calls per variant and op at +0 ms, ${ITERATIONS[LATENCY_MS]} at +${LATENCY_MS} ms; baseline = ${baseline.label})`,
    ['upstream', 'op', 'variant', 'p50', 'p95', 'p99', 'mean'],
    rows,
  );
  printTable(
    `this build's stdio latency as ratios (goal at +${LATENCY_MS} ms: p50 /plain <= 1.10; p50 /proxy <= 1.0)`,
    Object.keys(ratios[0]),
    ratios,
  );
  writeResult('latency-ratios', {
    baseline: baseline.cli,
    baselineLabel: baseline.label,
    latencyMs: LATENCY_MS,
    warmup: WARMUP,
    iterations: ITERATIONS,
    seconds: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.seconds])),
    rows,
    ratios,
  });
}

runMain(main);
