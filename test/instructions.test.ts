import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, it } from 'vitest';
import type { AugurClient } from '../src/clients/augur.js';
import type { PartsSourceClient } from '../src/clients/partssource.js';
import { silentLogger } from '../src/logger.js';
import { createMcpServer, type ServerOptions } from '../src/server.js';

// The instructions depend only on which clients are configured, never on a call: no upstream is contacted here.
const PS = {} as PartsSourceClient;
const AUGUR = {} as AugurClient;

/** The instructions a real SDK Client receives at initialize, plus the tool names it is offered. */
async function instructions(options: Partial<ServerOptions>) {
  const server = createMcpServer({ clients: {}, log: silentLogger(), ...options });
  const client = new Client({ name: 'instructions-test', version: '1.0.0' });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(b), client.connect(a)]);
  try {
    const tools = (await client.listTools()).tools.map((t) => t.name);
    return { text: client.getInstructions() ?? '', tools };
  } finally {
    await client.close();
    await server.close();
  }
}

/** Every snake_case tool name the instructions mention. */
const mentioned = (text: string) => [...new Set(text.match(/\b[a-z]+(?:_[a-z]+)+\b/g) ?? [])];

describe('server instructions follow the tools offered', () => {
  it('Augur only: the Augur workflow, no PartsSource ordering', async () => {
    const { text, tools } = await instructions({ clients: { augur: AUGUR } });
    expect(text).toContain('Augur customers service');
    expect(text).not.toContain('PartsSource');
    expect(text).not.toMatch(/create_order|search_parts|lookup_user/);
    expect(text).toContain('lookup_customer → get_customer');
    expect(text).toContain('list_invoices → get_invoice');
    expect(text).toContain('list_customer_orders → get_customer_order');
    for (const name of mentioned(text)) expect(tools, `${name} is mentioned but not offered`).toContain(name);
  });

  it('PartsSource read-only: no create_order, says that no orders can be placed', async () => {
    const { text, tools } = await instructions({ clients: { partssource: PS }, readOnly: true });
    expect(tools).not.toContain('create_order');
    expect(text).not.toContain('create_order');
    expect(text).not.toContain('Ordering:');
    expect(text).toContain('read-only (no orders can be placed here)');
    expect(text).toContain('lookup_user → search_parts → get_part_detail');
    expect(text).toContain('search_orders → get_order');
    expect(text).not.toContain('Augur');
    for (const name of mentioned(text)) expect(tools, `${name} is mentioned but not offered`).toContain(name);
  });

  it('both upstreams: the ordering workflow and the Augur workflow', async () => {
    const { text, tools } = await instructions({ clients: { partssource: PS, augur: AUGUR } });
    expect(text).toContain('Ordering: lookup_user → search_parts → get_part_detail → create_order → get_order.');
    expect(text).toContain('Augur: lookup_customer → get_customer, then, with its customerId:');
    expect(text).toContain('correlationId');
    for (const name of mentioned(text)) expect(tools, `${name} is mentioned but not offered`).toContain(name);
  });

  it('a narrowed selection names only the tools left', async () => {
    const { text, tools } = await instructions({ clients: { partssource: PS, augur: AUGUR }, toolsets: ['augur.documents'] });
    expect(text).not.toContain('PartsSource');
    for (const name of mentioned(text)) expect(tools, `${name} is mentioned but not offered`).toContain(name);
  });
});
