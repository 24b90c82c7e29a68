// Call overhead: the same three reads (lookup_user, search_parts, list_invoices) as
//   direct          the project's client (PartsSourceClient / AugurClient) in this process
//   stdio           an MCP tools/call to a spawned `dist/cli.js` over stdio
//   http stateful   an MCP tools/call to a spawned `dist/cli.js --http` (one session)
//   http stateless  the same with `--stateless`
//   generic proxy   @ivotoby/openapi-mcp-server over the sandbox's /partssource/openapi.json and /augur/openapi.json
// All against ONE sandbox started here in its own process (`dist/cli.js sandbox`): every variant, the direct call
// included, crosses a process boundary to its upstream, as it would in production. Variants are interleaved round-robin per iteration (the starting variant
// rotates), so drift of the machine hits them all alike.
import { randomUUID } from 'node:crypto';
import { CLI, dist, genericProxies, httpClient, liveEnv, printTable, runMain, spawnHttpCli, spawnSandbox, stdioClient, summarize, writeResult } from './lib.mjs';

const WARMUP = Number(process.env.BENCH_WARMUP ?? 30);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 300);
const API_KEY = 'bench-http-api-key-0123456789';

async function main() {
  const { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS } = await dist('sandbox/index.js');
  const { SANDBOX_AUGUR_FIXTURES } = await dist('sandbox/augur/index.js');
  const { PartsSourceClient } = await dist('clients/partssource.js');
  const { AugurClient } = await dist('clients/augur.js');
  const sandbox = await spawnSandbox();
  const acme = SANDBOX_PARTSSOURCE_CREDENTIALS.acme;
  const site = SANDBOX_AUGUR_SITES.acme;
  const customerId = SANDBOX_AUGUR_FIXTURES.acme.customerId;
  const env = await liveEnv(sandbox);
  const closers = [];
  try {
    // (a) direct
    const ps = new PartsSourceClient({
      baseUrl: sandbox.partssource.baseUrl,
      tokenUrl: sandbox.partssource.tokenUrl,
      clientId: acme.clientId,
      clientSecret: acme.clientSecret,
      apiKey: acme.apiKey,
    });
    const augur = new AugurClient({ baseUrl: sandbox.augur.baseUrl, token: site.token, siteId: site.siteId });
    const ctx = () => ({ correlationId: randomUUID() });

    // (b) stdio, (c) HTTP stateful, (d) HTTP stateless: the built CLI in live mode against this sandbox.
    const stdio = await stdioClient(process.execPath, [CLI], env);
    closers.push(() => stdio.close());
    const stateful = await spawnHttpCli(['--port', '0'], { ...env, MCP_HTTP_API_KEY: API_KEY });
    closers.push(() => stateful.close());
    const stateless = await spawnHttpCli(['--port', '0', '--stateless'], { ...env, MCP_HTTP_API_KEY: API_KEY });
    closers.push(() => stateless.close());
    const statefulClient = await httpClient(stateful.url, API_KEY);
    closers.unshift(() => statefulClient.close());
    const statelessClient = await httpClient(stateless.url, API_KEY);
    closers.unshift(() => statelessClient.close());
    // No tools/list on these clients: after one, the SDK Client validates every structuredContent against the
    // tool's outputSchema (client-side Ajv work the proxy's schema-less tools never pay). Server cost is measured.

    // (e) the generic proxy, one process per upstream (bench/lib.mjs genericProxies).
    const proxies = await genericProxies(sandbox, acme, site);
    closers.push(() => proxies.close());
    const { partssource: proxyPs, augur: proxyAugur } = proxies;
    const proxyTools = new Set([...(await proxyPs.client.listTools()).tools, ...(await proxyAugur.client.listTools()).tools].map((t) => t.name));
    for (const name of ['lookup-usr', 'search-catalog', 'get-customer-customer-id-invoices']) {
      if (!proxyTools.has(name)) throw new Error(`the generic proxy lists no tool ${name}: ${[...proxyTools].join(', ')}`);
    }

    const mcp = (client) => async (name, args) => {
      const result = await client.callTool({ name, arguments: args });
      if (result.isError) throw new Error(`${name}: ${JSON.stringify(result.content).slice(0, 300)}`);
      return result;
    };
    const viaStdio = mcp(stdio.client);
    const viaStateful = mcp(statefulClient.client);
    const viaStateless = mcp(statelessClient.client);
    const viaProxyPs = mcp(proxyPs.client);
    const viaProxyAugur = mcp(proxyAugur.client);

    const ops = {
      lookup_user: {
        direct: () => ps.lookupUser({ userId: 12345 }, ctx()),
        stdio: () => viaStdio('lookup_user', { userId: 12345 }),
        'http stateful': () => viaStateful('lookup_user', { userId: 12345 }),
        'http stateless': () => viaStateless('lookup_user', { userId: 12345 }),
        'generic proxy': () => viaProxyPs('lookup-usr', { userId: 12345 }),
      },
      search_parts: {
        // The tool's defaults: limit 20, offset 0.
        direct: () => ps.searchCatalog({ keyword: 'probe', pagination: { limit: 20, offset: 0 } }, ctx()),
        stdio: () => viaStdio('search_parts', { keyword: 'probe' }),
        'http stateful': () => viaStateful('search_parts', { keyword: 'probe' }),
        'http stateless': () => viaStateless('search_parts', { keyword: 'probe' }),
        // The proxy sends the arguments that are no path/query/header parameter as the JSON body.
        'generic proxy': () => viaProxyPs('search-catalog', { keyword: 'probe', pagination: { limit: 20, offset: 0 } }),
      },
      list_invoices: {
        direct: () => augur.listInvoices(customerId, { limit: 10, offset: 0 }, ctx()),
        stdio: () => viaStdio('list_invoices', { customerId }),
        'http stateful': () => viaStateful('list_invoices', { customerId }),
        'http stateless': () => viaStateless('list_invoices', { customerId }),
        'generic proxy': () => viaProxyAugur('get-customer-customer-id-invoices', { customerId, limit: 10, offset: 0 }),
      },
      // The protocol floor: an MCP ping is answered by the SDK alone (no tool code, no upstream call).
      'ping (floor)': {
        stdio: () => stdio.client.ping(),
        'http stateful': () => statefulClient.client.ping(),
        'http stateless': () => statelessClient.client.ping(),
        'generic proxy': () => proxyPs.client.ping(),
      },
    };
    const variants = Object.keys(ops.lookup_user);
    const samples = Object.fromEntries(Object.entries(ops).map(([op, fns]) => [op, Object.fromEntries(Object.keys(fns).map((v) => [v, []]))]));

    const started = performance.now();
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      for (const [op, fns] of Object.entries(ops)) {
        for (let k = 0; k < variants.length; k++) {
          const variant = variants[(i + k) % variants.length];
          if (!fns[variant]) continue;
          const t0 = performance.now();
          await fns[variant]();
          const ms = performance.now() - t0;
          if (i >= WARMUP) samples[op][variant].push(ms);
        }
      }
    }
    const seconds = Math.round((performance.now() - started) / 100) / 10;

    const rows = [];
    for (const [op, byVariant] of Object.entries(samples)) {
      const direct = byVariant.direct ? summarize(byVariant.direct) : undefined;
      for (const variant of Object.keys(byVariant)) {
        const s = summarize(byVariant[variant]);
        const ratio = (a, b) => (b === undefined ? undefined : Math.round((a / b) * 100) / 100);
        rows.push({
          op,
          variant,
          ...s,
          'p50 ×direct': ratio(s.p50, direct?.p50),
          'p95 ×direct': ratio(s.p95, direct?.p95),
          'p99 ×direct': ratio(s.p99, direct?.p99),
        });
      }
    }
    printTable(
      `call overhead (ms; ${ITERATIONS} calls per variant and op after ${WARMUP} warm-up, interleaved; ${seconds} s)`,
      ['op', 'variant', 'p50', 'p95', 'p99', 'mean', 'p50 ×direct', 'p95 ×direct', 'p99 ×direct'],
      rows,
    );
    writeResult('call-overhead', { warmup: WARMUP, iterations: ITERATIONS, seconds, rows });
  } finally {
    for (const close of closers) await close().catch(() => {});
    await sandbox.close();
  }
}

runMain(main);
