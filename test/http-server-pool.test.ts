import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpServerHandle } from '../src/http/server.js';
import { StatelessServerPool, leavesNoState } from '../src/http/server-pool.js';
import { SANDBOX_API_KEYS, sandboxTenants } from '../src/http/tenants.js';
import { silentLogger } from '../src/logger.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { SANDBOX_PARTSSOURCE_FIXTURES as PS } from '../src/sandbox/partssource/index.js';
import { MCP_HEADERS, callBody, initializeBody, rawRequest, waitFor } from './support/http.js';

const ACME_KEY = SANDBOX_API_KEYS.acme;
const GLOBEX_KEY = SANDBOX_API_KEYS.globex;

type Rpc = { id?: number; result?: { isError?: boolean; structuredContent: Record<string, any>; tools?: Array<{ name: string }> }; error?: { message: string } };

/** The JSON-RPC answer of a stateless POST (an SSE `data:` line or a JSON body). */
function answerOf(text: string): Rpc {
  const data = text.split('\n').find((line) => line.startsWith('data: '));
  return JSON.parse(data ? data.slice(6) : text) as Rpc;
}

async function post(url: string, key: string, body: string, headers: Record<string, string> = {}): Promise<Rpc> {
  const res = await rawRequest(url, { method: 'POST', headers: { ...MCP_HEADERS, 'mcp-protocol-version': '2025-06-18', authorization: `Bearer ${key}`, ...headers }, body });
  expect(res.status, res.text).toBe(200);
  return answerOf(res.text);
}

const lookup = (url: string, key: string, userId: number, id: number) => post(url, key, callBody('lookup_user', { userId }, id));

describe('stateless HTTP: servers pooled per tenant and selection', () => {
  let sandbox: Sandbox;
  let server: HttpServerHandle;

  beforeAll(async () => {
    sandbox = await startSandbox();
    server = await startHttpServer({ tenants: sandboxTenants(sandbox), log: silentLogger(), port: 0, stateless: true });
  });
  afterAll(async () => {
    await server.close();
    await sandbox.close();
  });

  it('interleaved calls of two tenants: every answer is its own tenant\'s, and servers are reused', async () => {
    const own = { acme: PS.acme.contactId, globex: PS.globex.contactId };
    await lookup(server.url, ACME_KEY, own.acme, 1); // one server per tenant built and pooled before counting
    await lookup(server.url, GLOBEX_KEY, own.globex, 1);
    const before = server.stats().statelessServers;
    const calls = Array.from({ length: 40 }, (_, i) => {
      const tenant = i % 2 === 0 ? 'acme' : 'globex';
      const other = tenant === 'acme' ? 'globex' : 'acme';
      // Every fourth call asks for the other tenant's user: it must be refused, never answered.
      const userId = i % 4 < 2 ? own[tenant] : own[other];
      return lookup(server.url, tenant === 'acme' ? ACME_KEY : GLOBEX_KEY, userId, 100 + i).then((answer) => ({ tenant, userId, answer, id: 100 + i }));
    });
    let crossTenant = 0;
    for (const { tenant, userId, answer, id } of await Promise.all(calls)) {
      expect(answer.id).toBe(id);
      const result = answer.result!;
      if (userId === own[tenant as 'acme' | 'globex']) {
        expect(result.isError, JSON.stringify(result.structuredContent)).toBeFalsy();
        expect(result.structuredContent.user.contactId).toBe(userId);
      } else {
        if (!result.isError) crossTenant += 1;
        expect(result.structuredContent.error.code).toBe('forbidden_tenant');
      }
    }
    expect(crossTenant).toBe(0);
    const after = server.stats().statelessServers;
    expect(after.built + after.reused - before.built - before.reused).toBe(40);
    expect(after.reused - before.reused).toBeGreaterThan(0);
    // One at a time, a tenant's requests all go to pooled servers.
    for (let i = 0; i < 10; i++) expect((await lookup(server.url, ACME_KEY, own.acme, 200 + i)).result!.structuredContent.user.contactId).toBe(own.acme);
    const sequential = server.stats().statelessServers;
    expect(sequential.reused - after.reused).toBe(10);
    expect(sequential.built).toBe(after.built);
  });

  it('a narrowed selection gets servers of its own: each request lists exactly its selection', async () => {
    const readOnly = { 'x-mcp-read-only': 'true' };
    const list = (headers: Record<string, string>, id: number) => post(server.url, ACME_KEY, JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list' }), headers);
    const full = (await list({}, 1)).result!.tools!.map((t) => t.name);
    const narrowed = (await list(readOnly, 2)).result!.tools!.map((t) => t.name);
    expect(full).toContain('create_order');
    expect(narrowed).not.toContain('create_order');
    expect(narrowed.length).toBeGreaterThan(0);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => list(i % 2 ? readOnly : {}, 10 + i)));
    answers.forEach((answer, i) => expect(answer.result!.tools!.map((t) => t.name)).toEqual(i % 2 ? narrowed : full));
  });

  it('a server that answered initialize is not pooled; an error result or a cancelled call does not poison the next user', async () => {
    const idle = () => server.stats().statelessServers.idle;
    const start = idle();
    const init = await post(server.url, ACME_KEY, initializeBody(1));
    expect(init.result).toBeDefined();
    expect(idle()).toBe(Math.max(0, start - 1)); // it took an idle server (if any) and did not give it back

    // An invalid argument: an error result, answered in full, so its server goes back and serves the next call.
    const bad = await post(server.url, ACME_KEY, callBody('lookup_user', { userId: 'not-a-number' }, 2));
    expect(bad.result!.isError).toBe(true);
    expect((await lookup(server.url, ACME_KEY, PS.acme.contactId, 3)).result!.structuredContent.user.contactId).toBe(PS.acme.contactId);

    // A call whose client hangs up while the upstream is slow: its server is dropped, not pooled.
    sandbox.faults.add({ api: 'partssource', path: '^/customer/users/lookup$', latencyMs: 3_000, times: 1 });
    const stats = server.stats().statelessServers;
    const abort = new AbortController();
    const hungUp = fetch(server.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, 'mcp-protocol-version': '2025-06-18', authorization: `Bearer ${ACME_KEY}` },
      body: callBody('lookup_user', { userId: PS.acme.contactId }, 4),
      signal: abort.signal,
    }).then((res) => res.text());
    // Its server taken: the answer is at least the 3 s of upstream latency away.
    const taken = () => server.stats().statelessServers.built + server.stats().statelessServers.reused;
    await waitFor(() => taken() === stats.built + stats.reused + 1, 'the slow call to reach its server');
    abort.abort();
    await expect(hungUp).rejects.toThrow();
    await waitFor(() => server.stats().inFlight === 0, 'the hung-up request to end');
    expect(server.stats().statelessServers.idle).toBe(Math.max(0, stats.idle - 1));
    const next = await Promise.all([1, 2, 3].map((i) => lookup(server.url, ACME_KEY, PS.acme.contactId, 10 + i)));
    next.forEach((answer, i) => {
      expect(answer.id).toBe(11 + i);
      expect(answer.result!.structuredContent.user.contactId).toBe(PS.acme.contactId);
    });
  });
});

describe('StatelessServerPool', () => {
  const server = () => ({}) as McpServer;

  it('hands an idle server only to the same tenant and selection, and keeps within its bounds', () => {
    const pool = new StatelessServerPool<object>({ perSelection: 2, selectionsPerTenant: 2, total: 5 });
    const [a, b] = [{}, {}];
    const first = pool.take(a, '', server);
    pool.give(a, '', first);
    expect(pool.take(b, '', server)).not.toBe(first);
    expect(pool.take(a, 'narrowed', server)).not.toBe(first);
    expect(pool.take(a, '', server)).toBe(first);
    expect(pool.stats()).toEqual({ built: 3, reused: 1, idle: 0 });

    for (let i = 0; i < 3; i++) pool.give(a, '', server());
    expect(pool.stats().idle).toBe(2); // per selection
    pool.give(a, 'x', server());
    pool.give(a, 'y', server()); // a third selection of tenant a: the oldest ('') is forgotten
    expect(pool.stats().idle).toBe(2);
    pool.give(b, '', server());
    pool.give(b, '', server());
    pool.give(b, 'z', server());
    pool.give(b, 'z', server());
    expect(pool.stats().idle).toBe(5); // in all
  });

  it('pools a server only after requests that leave no state in it', () => {
    const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: {} };
    expect(leavesNoState(call)).toBe(true);
    expect(leavesNoState([call, { jsonrpc: '2.0', method: 'notifications/initialized' }, { jsonrpc: '2.0', id: 2, result: {} }])).toBe(true);
    expect(leavesNoState({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} })).toBe(false);
    expect(leavesNoState([call, { jsonrpc: '2.0', id: 2, method: 'logging/setLevel', params: { level: 'debug' } }])).toBe(false);
    expect(leavesNoState({ jsonrpc: '2.0', id: 1, method: 'resources/subscribe' })).toBe(false);
  });
});
