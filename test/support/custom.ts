import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AugurClient } from '../../src/clients/augur.js';
import { PartsSourceClient } from '../../src/clients/partssource.js';
import { silentLogger } from '../../src/logger.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { sandboxUpstreams } from '../../src/sandbox-tenants.js';
import { createMcpServer, type ServerOptions } from '../../src/server.js';
import { expectCorrelationId, orderFromSeed, type Structured } from './harness.js';

/** A real server with chosen options and a real SDK Client (optionally with capabilities) in memory. */

export type Result = CallToolResult & { structuredContent: Structured };

/** Tenant acme's two clients on a test's sandbox (src/sandbox-tenants.ts gives their configuration). */
export function sandboxClients(sandbox: Sandbox) {
  const upstreams = sandboxUpstreams(sandbox, 'acme', { timeoutMs: 5_000 });
  return { partssource: new PartsSourceClient(upstreams.partssource), augur: new AugurClient(upstreams.augur) };
}

export interface Custom {
  client: Client;
  call(name: string, args?: Record<string, unknown>, options?: Parameters<Client['callTool']>[2]): Promise<Result>;
  close(): Promise<void>;
}

export async function connectCustom(
  options: Omit<ServerOptions, 'log'>,
  clientOptions: ClientOptions = {},
  setup: (client: Client) => void = () => {},
): Promise<Custom> {
  const server = createMcpServer({ log: silentLogger(), ...options });
  const client = new Client({ name: 'custom-test', version: '1.0.0' }, clientOptions);
  setup(client);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  await client.listTools(); // the client validates structured results against the advertised output schemas
  return {
    client,
    async call(name, args = {}, requestOptions) {
      const result = (await client.callTool({ name, arguments: args }, undefined, requestOptions)) as Result;
      expectCorrelationId(result);
      return result;
    },
    async close() {
      await client.close();
      await server.close();
    },
  };
}

/** lookup_user → search_parts → get_part_detail: the arguments of one valid order. */
export async function orderArgs(h: Custom): Promise<Record<string, unknown>> {
  const user = (await h.call('lookup_user', { userId: 12345 })).structuredContent.user;
  const productId = (await h.call('search_parts', { keyword: 'probe', limit: 5 })).structuredContent.items[0].productId as string;
  const part = (await h.call('get_part_detail', { productId, requesterId: user.contactId })).structuredContent.part;
  const option = part.options.find((o: Structured) => !o.requiredFields?.length);
  return orderFromSeed(user, productId, option);
}
