import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createMcpServer } from '../../src/server.js';
import { useHarness } from '../support/partssource-tools.js';

// The registry (src/tools/index.ts) as the server offers it: a name outside it is no tool at all.
describe('tool registry over the SDK Client', () => {
  const suite = useHarness();

  it('answers an unknown tool with a JSON-RPC error', async () => {
    await expect(suite.h.client.callTool({ name: 'drop_database', arguments: {} })).rejects.toThrow(/Unknown tool drop_database/);
  });
});

// The SDK's docs add a tool with registerTool; here it would be silently shadowed by the server's own handlers.
describe('a tool added the SDK way', () => {
  it('is refused with the way that works, and nothing new is listed', async () => {
    const server = createMcpServer({ clients: {}, log: createLogger('error') });
    const register = () => server.registerTool('extra_tool', { description: 'x' }, async () => ({ content: [] }));
    expect(register).toThrow(/not used by this server: add a ToolDefinition to src\/tools\/<upstream>\/ and the registry \(src\/tools\/index\.ts\); see CONTRIBUTING\.md/);
    expect(() => (server as unknown as { tool: (name: string) => void }).tool('extra_tool')).toThrow(/CONTRIBUTING\.md/);
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'test', version: '1' });
    await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
    expect((await client.listTools()).tools.map((tool) => tool.name)).not.toContain('extra_tool');
    await client.close();
  });
});
