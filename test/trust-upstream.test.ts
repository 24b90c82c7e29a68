import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AugurClient } from '../src/clients/augur.js';
import { PartsSourceClient } from '../src/clients/partssource.js';
import { silentLogger } from '../src/logger.js';
import { SANDBOX_AUGUR_FIXTURES } from '../src/sandbox/augur/index.js';
import { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { ConfigError, loadConfig, loadEndpointDefaults } from '../src/config.js';
import { createMcpServer } from '../src/server.js';
import { cleanEnv, runCli } from './support/cli.js';
import { expectCorrelationId, type Structured } from './support/harness.js';
import { floodBody, redirectTo, stalledBody } from './support/hostile-modes/core.js';
import { startHostileUpstream, startRecorder, type HostileUpstream } from './support/hostile-upstream.js';
import { connectHttp, killAllChildren, spawnHttpCli, type HttpClient, type HttpProcess } from './support/http.js';

/**
 * Issue 14, items 2 and 3: an upstream that redirects, stalls, or sends an endless or huge body. What the agent
 * sees (an isError result with a code and a correlationId, in time), what the other host received (nothing), and
 * what the process's memory does (bounded), against the real HTTP core over loopback.
 */

type Result = CallToolResult & { structuredContent: Structured };

const PS_API = '/partssource/customer/';
const PS_TOKEN = '/partssource/oauth2/token';
const AUGUR = '/augur/';
const acme = SANDBOX_PARTSSOURCE_CREDENTIALS.acme;
const site = SANDBOX_AUGUR_SITES.acme;
const customerId = SANDBOX_AUGUR_FIXTURES.acme.customerId;

let sandbox: Sandbox;
let hostile: HostileUpstream;
let recorder: Awaited<ReturnType<typeof startRecorder>>;

beforeAll(async () => {
  sandbox = await startSandbox({ recordRequests: false });
  hostile = await startHostileUpstream(sandbox.origin);
  recorder = await startRecorder();
});
afterAll(async () => {
  await hostile.close();
  await recorder.close();
  await sandbox.close();
});
afterEach(() => {
  hostile.setModes();
  hostile.clear();
  recorder.requests.length = 0;
});

/** A fresh server (so no cached token) whose clients talk to the hostile upstream. */
async function connect(options: { toolTimeoutMs?: number; timeoutMs?: number; maxResponseBytes?: number } = {}) {
  const limits = { timeoutMs: options.timeoutMs ?? 5_000, ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}) };
  const partssource = new PartsSourceClient({
    baseUrl: `${hostile.origin}${PS_API}`.replace(/\/$/, ''),
    tokenUrl: `${hostile.origin}${PS_TOKEN}`,
    clientId: acme.clientId,
    clientSecret: acme.clientSecret,
    apiKey: acme.apiKey,
    ...limits,
  });
  const augur = new AugurClient({ baseUrl: `${hostile.origin}/augur`, token: site.token, siteId: site.siteId, ...limits });
  const server = createMcpServer({ clients: { partssource, augur }, log: silentLogger(), ...(options.toolTimeoutMs ? { toolTimeoutMs: options.toolTimeoutMs } : {}) });
  const client = new Client({ name: 'trust-upstream', version: '1.0.0' });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  await client.listTools();
  return {
    async call(name: string, args: Record<string, unknown>): Promise<Result & { ms: number }> {
      const started = performance.now();
      const result = (await client.callTool({ name, arguments: args })) as Result;
      expectCorrelationId(result);
      return Object.assign(result, { ms: performance.now() - started });
    },
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

const errorOf = (result: Result) => {
  expect(result.isError, JSON.stringify(result.structuredContent).slice(0, 300)).toBe(true);
  return result.structuredContent.error as { code: string; message: string; upstreamStatus?: number; retryable: boolean };
};
const requestsTo = (prefix: string) => hostile.requests.filter((r) => r.url.startsWith(prefix));

describe('redirects are never followed', () => {
  for (const status of [302, 307] as const) {
    it(`PartsSource API answers ${status} to another host: upstream_invalid_response naming the status, the other host gets nothing`, async () => {
      const redirect = redirectTo(recorder.origin, status, PS_API);
      hostile.setModes(redirect.mode);
      const h = await connect();
      try {
        // A GET and a POST with a JSON body (a 307 would make a follower re-send the body).
        for (const [name, args] of [
          ['lookup_user', { userId: 12345 }],
          ['search_parts', { keyword: 'probe', limit: 2 }],
        ] as const) {
          const result = await h.call(name, args);
          const error = errorOf(result);
          expect(error.code).toBe('upstream_invalid_response');
          expect(error.upstreamStatus).toBe(status);
          expect(error.message).toContain(`redirect (HTTP ${status})`);
          expect(error.message).toContain('not followed');
          expect(error.retryable).toBe(false);
          expect((result.content as Array<{ text: string }>)[0]!.text).toContain(result.structuredContent.correlationId);
        }
        // Each call sent once (a redirect is not retried); the token request went to the (real) token endpoint.
        expect(redirect.stats.taken).toBe(2);
        expect(requestsTo(PS_API)).toHaveLength(2);
        expect(recorder.requests).toEqual([]);
      } finally {
        await h.close();
      }
    });

    it(`token endpoint answers ${status} to another host: upstream_invalid_response, client_secret never reaches the other host`, async () => {
      const redirect = redirectTo(recorder.origin, status, PS_TOKEN);
      hostile.setModes(redirect.mode);
      const h = await connect();
      try {
        const result = await h.call('lookup_user', { userId: 12345 });
        const error = errorOf(result);
        expect(error.code).toBe('upstream_invalid_response');
        expect(error.upstreamStatus).toBe(status);
        expect(error.message).toContain(`redirect (HTTP ${status})`);
        expect(error.message).toContain('PARTSSOURCE_TOKEN_URL');
        expect(requestsTo(PS_TOKEN)).toHaveLength(1); // not retried
        expect(requestsTo(PS_API)).toHaveLength(0); // no token, no API call
        expect(recorder.requests).toEqual([]);
      } finally {
        await h.close();
      }
    });
  }

  it('Augur answers 307 to another host: upstream_invalid_response, x-site-id and the token stay here', async () => {
    const redirect = redirectTo(recorder.origin, 307, AUGUR);
    hostile.setModes(redirect.mode);
    const h = await connect();
    try {
      const error = errorOf(await h.call('get_customer', { customerId }));
      expect(error).toMatchObject({ code: 'upstream_invalid_response', upstreamStatus: 307, retryable: false });
      expect(error.message).toContain('redirect (HTTP 307)');
      expect(redirect.stats.taken).toBe(1); // a GET, and still not retried
      expect(recorder.requests).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe('one deadline covers the body; bodies are read under a byte cap', () => {
  it('a body that stalls after the headers ends as timeout at the tool deadline, and the connection is closed', async () => {
    const stall = stalledBody(PS_API);
    hostile.setModes(stall.mode);
    // The attempt timeout is longer than the tool's deadline: the deadline alone must end the call.
    const h = await connect({ toolTimeoutMs: 2_000, timeoutMs: 20_000 });
    try {
      const result = await h.call('lookup_user', { userId: 12345 });
      expect(errorOf(result).code).toBe('timeout');
      expect(result.ms).toBeLessThan(2_000 + 2_000);
      await waitUntil(() => stall.stats.hungUp === 1, 'the stalled connection to be closed');
      hostile.setModes();
      const after = await h.call('lookup_user', { userId: 12345 });
      expect(after.isError).toBeFalsy();
    } finally {
      await h.close();
    }
  });

  it('an endless error body (HTTP 400) is read only up to 64 KB: the agent gets the 400 at once', async () => {
    const flood = floodBody(PS_API, { status: 400 });
    hostile.setModes(flood.mode);
    const h = await connect({ toolTimeoutMs: 10_000 });
    try {
      const result = await h.call('lookup_user', { userId: 12345 });
      expect(errorOf(result)).toMatchObject({ code: 'invalid_argument', upstreamStatus: 400 });
      expect(result.ms).toBeLessThan(10_000);
      await waitUntil(() => flood.stats.hungUp === 1, 'the flooding connection to be closed');
    } finally {
      await h.close();
    }
  });

  it('a token endpoint that sends a huge answer: refused at 64 KB as upstream_invalid_response', async () => {
    const flood = floodBody(PS_TOKEN);
    hostile.setModes(flood.mode);
    const h = await connect();
    try {
      const error = errorOf(await h.call('lookup_user', { userId: 12345 }));
      expect(error.code).toBe('upstream_invalid_response');
      expect(error.message).toContain('65536-byte cap');
      expect(requestsTo(PS_API)).toHaveLength(0);
    } finally {
      await h.close();
    }
  });

  it('Augur: an endless body stops at the configured cap as upstream_invalid_response naming the cap', async () => {
    const flood = floodBody(AUGUR);
    hostile.setModes(flood.mode);
    const h = await connect({ maxResponseBytes: 200_000 });
    try {
      const error = errorOf(await h.call('get_customer', { customerId }));
      expect(error.code).toBe('upstream_invalid_response');
      expect(error.message).toContain('larger than the 200000-byte cap');
      expect(error.retryable).toBe(false);
      await waitUntil(() => flood.stats.hungUp === 1, 'the flooding connection to be closed');
      expect(flood.stats.taken).toBe(1); // not retried
    } finally {
      await h.close();
    }
  });

  it('a body that declares more than the cap is refused before it is read', async () => {
    const flood = floodBody(PS_API, { totalBytes: 100 * 1024 * 1024 });
    hostile.setModes(flood.mode);
    const h = await connect({ maxResponseBytes: 1024 * 1024 });
    try {
      const error = errorOf(await h.call('search_parts', { keyword: 'probe', limit: 2 }));
      expect(error.code).toBe('upstream_invalid_response');
      expect(error.message).toContain(`declared ${100 * 1024 * 1024} bytes`);
      await waitUntil(() => flood.stats.hungUp === 1, 'the connection to be closed');
      expect(flood.stats.bytesSent).toBeLessThan(20 * 1024 * 1024);
    } finally {
      await h.close();
    }
  });
});

describe('the real process (--http, stateless, --max-concurrency 1) under a hostile upstream', () => {
  const TOOL_TIMEOUT_MS = 3_000;
  const RSS_LIMIT = 300 * 1024 * 1024;
  let server: HttpProcess;
  let mcp: HttpClient;

  beforeAll(async () => {
    server = await spawnHttpCli(
      ['--port', '0', '--stateless', '--max-concurrency', '1'],
      cleanEnv({
        PARTSSOURCE_BASE_URL: `${hostile.origin}/partssource/customer`,
        PARTSSOURCE_TOKEN_URL: `${hostile.origin}${PS_TOKEN}`,
        PARTSSOURCE_CLIENT_ID: acme.clientId,
        PARTSSOURCE_CLIENT_SECRET: acme.clientSecret,
        PARTSSOURCE_API_KEY: acme.apiKey,
        AUGUR_BASE_URL: `${hostile.origin}/augur`,
        AUGUR_TOKEN: site.token,
        AUGUR_SITE_ID: site.siteId,
        MCP_HTTP_API_KEY: 'trust-upstream-test-key',
        TOOL_TIMEOUT_MS: String(TOOL_TIMEOUT_MS),
        HTTP_TIMEOUT_MS: '20000',
        LOG_LEVEL: 'warn',
      }),
    );
    mcp = await connectHttp(server.url, 'trust-upstream-test-key');
  });
  afterAll(async () => {
    await mcp?.close().catch(() => {});
    killAllChildren();
  });

  /** Calls a tool while sampling the process's resident memory every 25 ms. */
  async function measured(name: string, args: Record<string, unknown>) {
    const samples: number[] = [rss(server.child.pid!)];
    const sampler = setInterval(() => samples.push(rss(server.child.pid!)), 25);
    const started = performance.now();
    try {
      const result = await mcp.call(name, args);
      return { result, ms: Math.round(performance.now() - started), peakRss: Math.max(...samples), baseRss: samples[0]! };
    } finally {
      clearInterval(sampler);
    }
  }

  it('a stalled body ends as timeout within TOOL_TIMEOUT_MS + 2 s and frees the slot: the next call succeeds', async () => {
    const stall = stalledBody(PS_API);
    hostile.setModes(stall.mode);
    const { result, ms } = await measured('lookup_user', { userId: 12345 });
    expect(errorOf(result).code).toBe('timeout');
    expect(ms).toBeLessThan(TOOL_TIMEOUT_MS + 2_000);
    hostile.setModes();
    // --max-concurrency 1: a slot still held by the stalled call would make this a 429.
    const after = await mcp.call('lookup_user', { userId: 12345 });
    expect(after.isError, JSON.stringify(after.structuredContent)).toBeFalsy();
    report('stalled body', { ms });
  });

  it('an endless body: the call ends at the 10 MB cap, RSS stays below 300 MB', async () => {
    const flood = floodBody(PS_API);
    hostile.setModes(flood.mode);
    const { result, ms, peakRss, baseRss } = await measured('search_parts', { keyword: 'probe', limit: 2 });
    const error = errorOf(result);
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.message).toContain('10485760-byte cap');
    expect(ms).toBeLessThan(TOOL_TIMEOUT_MS + 2_000);
    expect(peakRss).toBeLessThan(RSS_LIMIT);
    await waitUntil(() => flood.stats.hungUp === 1, 'the endless body to be cut');
    report('endless body', { ms, baseRssMb: mb(baseRss), peakRssMb: mb(peakRss), sentMb: mb(flood.stats.bytesSent) });
  });

  it('a 100 MB body (Content-Length set) is refused at the cap, RSS stays below 300 MB, and Augur the same', async () => {
    const flood = floodBody((ctx) => !ctx.request.url.startsWith(PS_TOKEN), { totalBytes: 100 * 1024 * 1024 });
    hostile.setModes(flood.mode);
    const ps = await measured('get_order', { orderId: 10001 });
    expect(errorOf(ps.result).code).toBe('upstream_invalid_response');
    expect(errorOf(ps.result).message).toContain(`declared ${100 * 1024 * 1024} bytes`);
    const augur = await measured('get_customer', { customerId });
    expect(errorOf(augur.result).code).toBe('upstream_invalid_response');
    for (const m of [ps, augur]) {
      expect(m.ms).toBeLessThan(TOOL_TIMEOUT_MS + 2_000);
      expect(m.peakRss).toBeLessThan(RSS_LIMIT);
    }
    await waitUntil(() => flood.stats.hungUp === 2, 'both huge bodies to be cut');
    expect(flood.stats.bytesSent).toBeLessThan(2 * 20 * 1024 * 1024);
    hostile.setModes();
    expect((await mcp.call('lookup_user', { userId: 12345 })).isError).toBeFalsy();
    report('100 MB body', { ms: Math.max(ps.ms, augur.ms), peakRssMb: mb(Math.max(ps.peakRss, augur.peakRss)), sentMb: mb(flood.stats.bytesSent) });
  });
});

describe('the byte cap setting', () => {
  it('defaults to 10 MB; UPSTREAM_MAX_RESPONSE_BYTES sets it, --max-response-bytes wins; a bad value names where it came from', async () => {
    expect(loadConfig({}).maxResponseBytes).toBe(10_485_760);
    const live = { AUGUR_TOKEN: 't', AUGUR_SITE_ID: 's', UPSTREAM_MAX_RESPONSE_BYTES: '2048' };
    expect(loadConfig(live).augur?.maxResponseBytes).toBe(2048);
    expect(loadConfig(live, { maxResponseBytes: '4096' }).augur?.maxResponseBytes).toBe(4096);
    expect(loadEndpointDefaults({ UPSTREAM_MAX_RESPONSE_BYTES: '2048' }).maxResponseBytes).toBe(2048);
    expect(() => loadConfig({ UPSTREAM_MAX_RESPONSE_BYTES: 'lots' })).toThrow(ConfigError);
    const flag = await runCli(['--max-response-bytes', '12']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--max-response-bytes must be an integer from 1024');
    const help = await runCli(['--help']);
    expect(help.stdout).toContain('--max-response-bytes N');
    expect(help.stdout).toContain('UPSTREAM_MAX_RESPONSE_BYTES');
  });
});

function rss(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Figures for docs/RELIABILITY.md, on stderr (TRUST_FIGURES=1 prints them). */
function report(what: string, figures: Record<string, number>): void {
  if (process.env.TRUST_FIGURES) process.stderr.write(`[trust-upstream] ${what}: ${JSON.stringify(figures)}\n`);
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
