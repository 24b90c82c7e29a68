import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import type { AugurClient } from '../src/clients/augur.js';
import type { PartsSourceClient } from '../src/clients/partssource.js';
import { silentLogger } from '../src/logger.js';
import { createMcpServer, type ServerOptions } from '../src/server.js';

const CLIENTS = { partssource: {} as PartsSourceClient, augur: {} as AugurClient };

async function connected(options: Partial<ServerOptions> = {}) {
  const server = createMcpServer({ clients: CLIENTS, log: silentLogger(), ...options });
  const client = new Client({ name: 'prompts-test', version: '1.0.0' });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(b), client.connect(a)]);
  return { client, close: async () => (await client.close(), await server.close()) };
}

const text = (result: { messages: Array<{ content: { type: string; text?: string } }> }) =>
  result.messages.map((m) => (m.content.type === 'text' ? m.content.text : '')).join('\n');

describe('MCP prompts', () => {
  it('declares the prompts capability and lists search_to_order and customer_account_review', async () => {
    const h = await connected();
    try {
      expect(h.client.getServerCapabilities()?.prompts).toBeDefined();
      const { prompts } = await h.client.listPrompts();
      expect(prompts.map((p) => p.name).sort()).toEqual(['customer_account_review', 'search_to_order']);
      const search = prompts.find((p) => p.name === 'search_to_order')!;
      expect(search.arguments?.map((a) => [a.name, a.required])).toEqual([['keyword', true], ['userId', false]]);
    } finally {
      await h.close();
    }
  });

  it('search_to_order names the tool sequence with the arguments filled in', async () => {
    const h = await connected();
    try {
      const result = await h.client.getPrompt({ name: 'search_to_order', arguments: { keyword: 'ultrasound probe', userId: '12345' } });
      const body = text(result);
      for (const tool of ['lookup_user', 'search_parts', 'get_part_detail', 'create_order', 'get_order']) expect(body).toContain(tool);
      expect(body).toContain('"ultrasound probe"');
      expect(body).toContain('userId 12345');
      expect(body).toContain('idempotencyKey');
    } finally {
      await h.close();
    }
  });

  it('customer_account_review works from a customerId or a name', async () => {
    const h = await connected();
    try {
      const byId = text(await h.client.getPrompt({ name: 'customer_account_review', arguments: { customerId: '10001' } }));
      expect(byId).toContain('get_customer with customerId 10001');
      for (const tool of ['get_customer_aging', 'list_invoices', 'list_customer_orders', 'list_customer_contacts']) expect(byId).toContain(tool);
      const byName = text(await h.client.getPrompt({ name: 'customer_account_review', arguments: { customerName: 'Acme' } }));
      expect(byName).toContain('lookup_customer with q "Acme"');
    } finally {
      await h.close();
    }
  });

  it('a read-only server never suggests create_order; a server without Augur offers no account review', async () => {
    const readOnly = await connected({ readOnly: true });
    try {
      const body = text(await readOnly.client.getPrompt({ name: 'search_to_order', arguments: { keyword: 'probe' } }));
      expect(body).not.toContain('create_order');
      expect(body).toContain('read-only');
    } finally {
      await readOnly.close();
    }
    const psOnly = await connected({ clients: { partssource: CLIENTS.partssource } });
    try {
      expect((await psOnly.client.listPrompts()).prompts.map((p) => p.name)).toEqual(['search_to_order']);
    } finally {
      await psOnly.close();
    }
  });

  it('validates prompt arguments: a customerId or userId that is not a positive integer, or an empty keyword, is refused', async () => {
    const h = await connected();
    try {
      await expect(h.client.getPrompt({ name: 'customer_account_review', arguments: { customerId: 'abc' } })).rejects.toMatchObject({
        code: ErrorCode.InvalidParams,
        message: expect.stringMatching(/positive integer.*at customerId/),
      });
      await expect(h.client.getPrompt({ name: 'customer_account_review', arguments: { customerId: '-1' } })).rejects.toMatchObject({ code: ErrorCode.InvalidParams });
      await expect(h.client.getPrompt({ name: 'search_to_order', arguments: { keyword: 'probe', userId: '12x' } })).rejects.toMatchObject({ code: ErrorCode.InvalidParams });
      await expect(h.client.getPrompt({ name: 'search_to_order', arguments: { keyword: '   ' } })).rejects.toMatchObject({ code: ErrorCode.InvalidParams });
      // Valid ones still work, trimmed.
      const ok = text(await h.client.getPrompt({ name: 'customer_account_review', arguments: { customerId: ' 10001 ' } }));
      expect(ok).toContain('get_customer with customerId 10001.');
    } finally {
      await h.close();
    }
  });
});
