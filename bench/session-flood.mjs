// Session flood: N initializations (default 20,000; BENCH_SESSIONS) from one key against a spawned
// `dist/cli.js --http --sandbox`, 16 at a time over keep-alive connections, none ever ended by the client. With the
// session cap (default 100 per tenant) each takes the place of the oldest idle session; the open count comes from
// /readyz and the server's RSS from /proc/<pid>/status every 2,000 attempts. BENCH_UNCAPPED=N also runs N attempts
// with the caps raised out of the way, for comparison (the behaviour before the cap).
import { cleanEnv, initializeBody, keepAliveAgent, MCP_HEADERS, printTable, rssMiB, runLoad, runMain, sleep, spawnHttpCli, writeResult } from './lib.mjs';

const ATTEMPTS = Number(process.env.BENCH_SESSIONS ?? 20_000);
const UNCAPPED = Number(process.env.BENCH_UNCAPPED ?? 0);
const STEP = 2_000;
const CONCURRENCY = 16;

async function flood(label, extraArgs, attempts) {
  const server = await spawnHttpCli(['--port', '0', '--sandbox', ...extraArgs], cleanEnv({ LOG_LEVEL: 'warn' }));
  try {
    await sleep(300);
    const readyz = server.url.replace(/\/mcp$/, '/readyz');
    const rows = [{ label, attempts: 0, opened: 0, refused: 0, open: 0, rssMiB: rssMiB(server.pid), seconds: 0 }];
    const agent = keepAliveAgent(CONCURRENCY);
    const headers = () => ({ ...MCP_HEADERS, authorization: 'Bearer sandbox-acme' });
    let done = 0;
    let opened = 0;
    let seconds = 0;
    while (done < attempts) {
      const count = Math.min(STEP, attempts - done);
      const r = await runLoad({ url: server.url, headers, body: () => initializeBody(), concurrency: CONCURRENCY, count, agent });
      done += count;
      opened += r.latencies.length;
      seconds += r.seconds;
      const ready = await fetch(readyz).then((res) => res.json());
      rows.push({ label, attempts: done, opened, refused: done - opened, open: ready.sessions?.open, rssMiB: rssMiB(server.pid), seconds: Math.round(seconds * 10) / 10 });
    }
    agent.destroy();
    return rows;
  } finally {
    await server.close();
  }
}

async function main() {
  const capped = await flood('capped (defaults: 100 per tenant, 1000 in all)', [], ATTEMPTS);
  const uncapped = UNCAPPED > 0 ? await flood('caps raised to 1,000,000', ['--max-sessions', '1000000', '--max-sessions-per-tenant', '1000000'], UNCAPPED) : [];
  const rows = [...capped, ...uncapped];
  printTable(`session flood: ${ATTEMPTS} initializations from one key, ${CONCURRENCY} at a time`, ['label', 'attempts', 'opened', 'refused', 'open', 'rssMiB', 'seconds'], rows);
  writeResult('session-flood', { attempts: ATTEMPTS, concurrency: CONCURRENCY, rows });
}

runMain(main);
