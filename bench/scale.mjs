// Scale of cost:
//   1. Page size: latency, result size (bytes and o200k_base tokens of the text an agent reads) and server RSS of
//      list_invoices (the big customer: 108 invoices; the tool allows limit <= 100) and search_parts (keyword "a":
//      330 matches; limit <= 200) as the page grows. Spawned `dist/cli.js --sandbox` over stdio (its embedded
//      sandbox runs in the same process, so RSS includes it).
//   2. Sessions: server RSS of a stateful `dist/cli.js --http --sandbox` as sessions grow to 1, 10, 100 (raw
//      initialize + notifications/initialized + tools/list per session; sessions stay open).
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { CLI, cleanEnv, dist, initializeBody, keepAliveAgent, MCP_HEADERS, post, printTable, rpcMessage, rssMiB, runMain, sleep, spawnHttpCli, stdioClient, summarize, writeResult } from './lib.mjs';

const CALLS = Number(process.env.BENCH_SCALE_CALLS ?? 40);
const WARMUP = 5;

async function pageSizes() {
  const { SANDBOX_AUGUR_FIXTURES } = await dist('sandbox/augur/index.js');
  const big = SANDBOX_AUGUR_FIXTURES.acme.bigCustomerId;
  const stdio = await stdioClient(process.execPath, [CLI, '--sandbox'], cleanEnv({ LOG_LEVEL: 'warn' }));
  try {
    const cases = [
      ...[10, 100].map((limit) => ({ tool: 'list_invoices', limit, args: { customerId: big, limit } })),
      ...[10, 100, 200].map((limit) => ({ tool: 'search_parts', limit, args: { keyword: 'a', limit } })),
    ];
    const rssStart = rssMiB(stdio.pid);
    const rows = [];
    for (const c of cases) {
      const ms = [];
      let last;
      for (let i = 0; i < WARMUP + CALLS; i++) {
        const t0 = performance.now();
        last = await stdio.client.callTool({ name: c.tool, arguments: c.args });
        if (i >= WARMUP) ms.push(performance.now() - t0);
        if (last.isError) throw new Error(`${c.tool}: ${JSON.stringify(last.content).slice(0, 300)}`);
      }
      const text = last.content.map((part) => part.text ?? '').join('');
      const items = last.structuredContent?.items?.length;
      const s = summarize(ms);
      rows.push({
        tool: c.tool,
        limit: c.limit,
        items,
        p50: s.p50,
        p95: s.p95,
        'result KB': Math.round(Buffer.byteLength(text) / 102.4) / 10,
        'result tokens': countTokens(text),
        'RSS MiB': rssMiB(stdio.pid),
      });
    }
    return { rssStart, rows };
  } finally {
    await stdio.close();
  }
}

async function sessions() {
  const server = await spawnHttpCli(['--port', '0', '--sandbox', '--max-concurrency', '128'], cleanEnv({ LOG_LEVEL: 'warn' }));
  const agent = keepAliveAgent(8);
  try {
    await sleep(300);
    const rows = [{ sessions: 0, 'RSS MiB': rssMiB(server.pid), 'MiB per added session': undefined, 'initialize p50 ms': undefined }];
    const headers = { ...MCP_HEADERS, authorization: 'Bearer sandbox-acme' };
    let open = 0;
    for (const target of [1, 10, 100]) {
      const before = rows[rows.length - 1]['RSS MiB'];
      const added = target - open;
      const initMs = [];
      for (let i = 0; i < added; i++) {
        const t0 = performance.now();
        const init = await post(server.url, initializeBody(1), headers, agent);
        initMs.push(performance.now() - t0);
        const id = init.headers['mcp-session-id'];
        if (init.status !== 200 || !id) throw new Error(`initialize: HTTP ${init.status} ${init.text.slice(0, 200)}`);
        const session = { ...headers, 'mcp-session-id': id };
        const note = await post(server.url, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), session, agent);
        if (note.status !== 202) throw new Error(`initialized: HTTP ${note.status}`);
        const list = await post(server.url, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), session, agent);
        if (!rpcMessage(list.text).result?.tools?.length) throw new Error('tools/list returned no tools');
      }
      open = target;
      await sleep(500);
      const rss = rssMiB(server.pid);
      rows.push({
        sessions: target,
        'RSS MiB': rss,
        'MiB per added session': Math.round(((rss - before) / added) * 100) / 100,
        'initialize p50 ms': summarize(initMs).p50,
      });
    }
    return rows;
  } finally {
    agent.destroy();
    await server.close();
  }
}

async function main() {
  const pages = await pageSizes();
  printTable(
    `scale: page size (stdio, --sandbox; ${CALLS} calls each after ${WARMUP} warm-up; latency ms; server RSS at start ${pages.rssStart} MiB)`,
    ['tool', 'limit', 'items', 'p50', 'p95', 'result KB', 'result tokens', 'RSS MiB'],
    pages.rows,
  );
  const sessionRows = await sessions();
  printTable('scale: stateful HTTP sessions (--http --sandbox; each session: initialize, initialized, tools/list)', ['sessions', 'RSS MiB', 'MiB per added session', 'initialize p50 ms'], sessionRows);
  writeResult('scale', { calls: CALLS, warmup: WARMUP, pageSizes: pages, sessions: sessionRows });
}

runMain(main);
