// The load generator in its own process (forked with an IPC channel by bench/throughput-procs.mjs), so that its CPU
// is its own and can be read from /proc/<pid>/stat. Each message `{id, url, apiKey, tool, args, concurrency,
// durationMs}` runs one closed-loop `runLoad` of stateless tools/call POSTs and answers `{id, calls, errors,
// firstError, seconds, latency}`; keep-alive agents are kept per url and concurrency between messages (a warm-up
// then opens the sockets the measured run uses). `{id, close: true}` destroys them.
import { callBody, keepAliveAgent, MCP_HEADERS, runLoad, summarize } from './lib.mjs';

const agents = new Map();

process.on('message', async (message) => {
  const { id } = message;
  try {
    if (message.close) {
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
      process.send({ id });
      return;
    }
    const { url, apiKey, tool, args, concurrency, durationMs } = message;
    const key = `${url} ${concurrency}`;
    if (!agents.has(key)) agents.set(key, keepAliveAgent(concurrency));
    const headers = () => ({ ...MCP_HEADERS, authorization: `Bearer ${apiKey}` });
    const r = await runLoad({ url, headers, body: (i) => callBody(tool, args, i), concurrency, durationMs, agent: agents.get(key) });
    process.send({ id, calls: r.latencies.length, errors: r.errors.length, firstError: r.errors[0], seconds: r.seconds, latency: summarize(r.latencies) });
  } catch (error) {
    process.send({ id, failure: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
