import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { AugurClient } from '../src/clients/augur.js';
import { isUnresolvableHost } from '../src/clients/dns.js';
import type { UpstreamEvent } from '../src/clients/events.js';
import { createHttpCore } from '../src/clients/http-core.js';
import { PartsSourceClient } from '../src/clients/partssource.js';
import { silentLogger } from '../src/logger.js';
import { createMcpServer } from '../src/server.js';
import type { UpstreamClients } from '../src/clients/types.js';

/** RFC 2606: `.invalid` never resolves, so these hosts fail DNS with ENOTFOUND on any machine with a resolver. */
const NOWHERE = 'http://customer-api-mcp-test.invalid';

async function callOnce(clients: UpstreamClients, name: string, args: Record<string, unknown>) {
  const server = createMcpServer({ clients, log: silentLogger() });
  const client = new Client({ name: 'dns-test', version: '1.0.0' });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(b), client.connect(a)]);
  try {
    return (await client.callTool({ name, arguments: args })) as CallToolResult & { structuredContent: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  } finally {
    await client.close();
    await server.close();
  }
}

describe('a base URL whose host does not resolve is a configuration error, tried once', () => {
  it('the HTTP core makes one attempt (no retry event) and names the URL', async () => {
    const events: UpstreamEvent[] = [];
    const core = createHttpCore({ upstream: 'augur', baseUrl: `${NOWHERE}/augur/`, retryLimit: 3 });
    const error = await core
      .send({ method: 'GET', path: '/ping', correlationId: 'c-dns', retry: 'read', observer: (e) => events.push(e) })
      .then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ info: { kind: 'unresolvable', upstream: 'augur', url: `${NOWHERE}/augur`, upstreamMessages: ['ENOTFOUND'], correlationId: 'c-dns' } });
    expect(events.filter((e) => e.type === 'retry')).toEqual([]);
    expect(events.filter((e) => e.type === 'response')).toEqual([]);
    // A configuration error says nothing about the upstream's health: the circuit stays closed.
    expect(core.breaker.consecutiveFailures).toBe(0);
  });

  it('an Augur tool answers configuration_error, not retryable, naming the base URL', async () => {
    const augur = new AugurClient({ baseUrl: `${NOWHERE}/augur`, token: 'jwt', siteId: 'site', timeoutMs: 10_000 });
    const result = await callOnce({ augur }, 'lookup_customer', { q: 'Riverside' });
    expect(result.isError).toBe(true);
    expect(result.structuredContent.error).toMatchObject({ code: 'configuration_error', retryable: false });
    const message = result.structuredContent.error.message as string;
    expect(message).toContain(`The Augur URL ${NOWHERE}/augur does not resolve`);
    expect(message).toContain('retrying will not help');
    expect(message).not.toMatch(/Try again shortly|\.\./);
    expect(result.structuredContent.correlationId).toEqual(expect.any(String));
  });

  it('a PartsSource token URL that does not resolve is named too (not "could not be reached")', async () => {
    const partssource = new PartsSourceClient({
      baseUrl: `${NOWHERE}/customer`,
      tokenUrl: `${NOWHERE}/oauth2/token?ignored=1`,
      clientId: 'id',
      clientSecret: 'secret-not-shown',
      apiKey: 'key',
      timeoutMs: 10_000,
    });
    const result = await callOnce({ partssource }, 'lookup_user', { userId: 12345 });
    expect(result.structuredContent.error).toMatchObject({ code: 'configuration_error', retryable: false });
    expect(result.structuredContent.error.message).toContain(`The PartsSource URL ${NOWHERE}/oauth2/token does not resolve`);
    expect(JSON.stringify(result)).not.toContain('secret-not-shown');
    expect(JSON.stringify(result)).not.toContain('ignored=1');
  });

  it('only ENOTFOUND counts: EAI_AGAIN (a temporary resolver failure) and refusals stay retryable network failures', () => {
    expect(isUnresolvableHost(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } }))).toBe(true);
    expect(isUnresolvableHost(Object.assign(new TypeError('fetch failed'), { cause: { code: 'EAI_AGAIN' } }))).toBe(false);
    expect(isUnresolvableHost(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }))).toBe(false);
    expect(isUnresolvableHost(undefined)).toBe(false);
  });
});
