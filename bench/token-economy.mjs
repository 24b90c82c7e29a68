// Token economy: upstream OAuth token requests and sockets for 1,000 tool calls at concurrency 50.
//   1. HTTP stateless (a new McpServer per request; the tenant's clients and token cache are shared), two tenants
//      (acme, globex) from a tenants file, 500 calls each, interleaved.
//   2. stdio, one tenant, 1,000 calls with 50 in flight on one connection.
//   3. Token lifetime: the sandbox issues 2-second tokens; calls run for 5 s; the client renews 10% early, so one
//      request per tenant per 1.8 s is the floor (ceil(5 / 1.8) = 3 per tenant).
// Token requests are counted from the sandbox's recorded requests (per client_id); sockets are the sandbox's
// accepted TCP connections (`connection` events).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callBody, CLI, cleanEnv, dist, keepAliveAgent, liveEnv, MCP_HEADERS, printTable, runLoad, runMain, spawnHttpCli, stdioClient, tenantsFile, writeResult } from './lib.mjs';

const CALLS = 1000;
const CONCURRENCY = 50;
/** A user of each tenant (sandbox seed). */
const USER_OF = { acme: 12345, globex: 22222 };
const KEYS = { acme: 'bench-key-acme-0123456789', globex: 'bench-key-globex-0123456789' };

const tokenRequestsByClient = (sandbox) => {
  const counts = {};
  for (const r of sandbox.requests) {
    if (r.api === 'partssource' && r.path === '/oauth2/token') counts[r.body?.client_id ?? '?'] = (counts[r.body?.client_id ?? '?'] ?? 0) + 1;
  }
  return counts;
};
const apiRequests = (sandbox) => sandbox.requests.filter((r) => r.path !== '/oauth2/token').length;

/** HTTP stateless, two tenants, `calls` calls (or `durationMs`), lookup_user / search_parts alternating. */
async function httpRun(sandboxOptions, load) {
  const { startSandbox, SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS } = await dist('sandbox/index.js');
  const sandbox = await startSandbox({ recordRequests: true, ...sandboxOptions });
  const dir = mkdtempSync(join(tmpdir(), 'bench-tenants-'));
  let server;
  const agent = keepAliveAgent(CONCURRENCY);
  try {
    const file = tenantsFile(dir, sandbox, SANDBOX_PARTSSOURCE_CREDENTIALS, SANDBOX_AUGUR_SITES);
    server = await spawnHttpCli(['--port', '0', '--stateless', '--tenants', file], cleanEnv({ BENCH_KEY_ACME: KEYS.acme, BENCH_KEY_GLOBEX: KEYS.globex, LOG_LEVEL: 'warn' }));
    const socketsBefore = sandbox.connectionCount();
    const tenants = ['acme', 'globex'];
    const result = await runLoad({
      url: server.url,
      concurrency: load.concurrency,
      ...(load.calls ? { count: load.calls } : {}),
      ...(load.durationMs ? { durationMs: load.durationMs } : {}),
      agent,
      headers: (i) => ({ ...MCP_HEADERS, authorization: `Bearer ${KEYS[tenants[i % 2]]}` }),
      body: (i) =>
        Math.floor(i / 2) % 2 === 0
          ? callBody('lookup_user', { userId: USER_OF[tenants[i % 2]] }, i)
          : callBody('search_parts', { keyword: 'probe', limit: 5 }, i),
    });
    const tokens = tokenRequestsByClient(sandbox);
    return {
      calls: result.latencies.length + result.errors.length,
      errors: result.errors.length,
      firstError: result.errors[0],
      seconds: Math.round(result.seconds * 100) / 100,
      tokenRequests: tokens,
      apiRequests: apiRequests(sandbox),
      sockets: sandbox.connectionCount() - socketsBefore,
    };
  } finally {
    agent.destroy();
    await server?.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function stdioRun() {
  const { startSandbox, SANDBOX_PARTSSOURCE_CREDENTIALS } = await dist('sandbox/index.js');
  const sandbox = await startSandbox({ recordRequests: true });
  const stdio = await stdioClient(process.execPath, [CLI], await liveEnv(sandbox));
  try {
    const socketsBefore = sandbox.connectionCount();
    let next = 0;
    let errors = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CALLS) {
          const i = next++;
          const result = await stdio.client.callTool(
            Math.floor(i / 2) % 2 === 0 ? { name: 'lookup_user', arguments: { userId: 12345 } } : { name: 'search_parts', arguments: { keyword: 'probe', limit: 5 } },
          );
          if (result.isError) errors++;
        }
      }),
    );
    const tokens = tokenRequestsByClient(sandbox);
    return {
      calls: CALLS,
      errors,
      seconds: Math.round((performance.now() - started) / 10) / 100,
      tokenRequests: { [SANDBOX_PARTSSOURCE_CREDENTIALS.acme.clientId]: tokens[SANDBOX_PARTSSOURCE_CREDENTIALS.acme.clientId] ?? 0 },
      apiRequests: apiRequests(sandbox),
      sockets: sandbox.connectionCount() - socketsBefore,
    };
  } finally {
    await stdio.close();
    await sandbox.close();
  }
}

async function main() {
  const burst = await httpRun({}, { calls: CALLS, concurrency: CONCURRENCY });
  const stdio = await stdioRun();
  const LIFETIME_S = 2;
  const DURATION_MS = 5000;
  const lifetime = await httpRun({ partssource: { tokenLifetimeSeconds: LIFETIME_S } }, { durationMs: DURATION_MS, concurrency: 10 });
  const floor = Math.ceil(DURATION_MS / 1000 / (LIFETIME_S * 0.9));

  const row = (label, r, expected) => ({
    run: label,
    calls: r.calls,
    errors: r.errors,
    seconds: r.seconds,
    'token requests': Object.entries(r.tokenRequests)
      .map(([client, n]) => `${client.replace('-sandbox-client', '')}: ${n}`)
      .join(', '),
    expected,
    'API requests': r.apiRequests,
    'sockets opened': r.sockets,
  });
  const rows = [
    row(`HTTP stateless, 2 tenants, ${CALLS} calls @${CONCURRENCY}`, burst, '1 per tenant'),
    row(`stdio, 1 tenant, ${CALLS} calls @${CONCURRENCY}`, stdio, '1'),
    row(`HTTP stateless, 2 tenants, ${LIFETIME_S} s tokens, ${DURATION_MS / 1000} s of calls @10`, lifetime, `${floor} per tenant`),
  ];
  printTable('token economy (upstream token requests counted by the sandbox)', ['run', 'calls', 'errors', 'seconds', 'token requests', 'expected', 'API requests', 'sockets opened'], rows);
  for (const r of [burst, stdio, lifetime]) if (r.firstError) process.stdout.write(`first error: ${r.firstError}\n`);
  writeResult('token-economy', { calls: CALLS, concurrency: CONCURRENCY, lifetimeSeconds: LIFETIME_S, lifetimeRunMs: DURATION_MS, expectedPerTenantInLifetimeRun: floor, runs: { burst, stdio, lifetime }, rows });
}

runMain(main);
