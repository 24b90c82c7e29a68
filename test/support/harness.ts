import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import type { PartsSourceClient } from '../../src/clients/partssource.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import { SANDBOX_PARTSSOURCE_CREDENTIALS, startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { sandboxPartsSource } from '../../src/sandbox-tenants.js';
import { createMcpServer } from '../../src/server.js';
import { MemoryStore } from '../../src/state/memory.js';
import { buildTenantRuntime } from '../../src/tenant-runtime.js';

export type Structured = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Harness {
  sandbox: Sandbox;
  partssource: PartsSourceClient;
  client: Client;
  /** Calls a tool through the SDK Client and checks the correlation id every result must carry. */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult & { structuredContent: Structured }>;
  /** Requests the sandbox received for the PartsSource API (token endpoint excluded). */
  apiRequests(): Sandbox['requests'];
  tokenRequests(): Sandbox['requests'];
  close(): Promise<void>;
}

export interface HarnessOptions {
  sandbox?: SandboxOptions;
  /** Per-attempt upstream timeout (default 5 s). */
  clientTimeoutMs?: number;
  /** The tool call's deadline (default: the server's 30 s). */
  toolTimeoutMs?: number;
  tenant?: keyof typeof SANDBOX_PARTSSOURCE_CREDENTIALS;
  log?: Logger;
}

/** The real parts in one place: sandbox on a random loopback port, real client, real server, SDK Client in memory. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sandbox = await startSandbox(options.sandbox);
  // PartsSource only (as the tool tests expect), built as stdio and HTTP build their tenants; the state namespace
  // is `default`, as a client built without state has.
  const partssourceConfig = sandboxPartsSource(sandbox, options.tenant ?? 'acme', { timeoutMs: options.clientTimeoutMs ?? 5_000 });
  const runtime = buildTenantRuntime({ name: 'default', partssource: partssourceConfig }, { store: new MemoryStore() });
  const partssource = runtime.clients.partssource!;
  const server = createMcpServer({
    clients: runtime.clients,
    state: runtime.state,
    confirmationSecret: runtime.confirmationSecret,
    log: options.log ?? silentLogger(),
    ...(options.toolTimeoutMs ? { toolTimeoutMs: options.toolTimeoutMs } : {}),
  });
  const client = new Client({ name: 'test', version: '1.0.0' });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  await client.listTools(); // lets the client validate structured results against the output schemas

  return {
    sandbox,
    partssource,
    client,
    async call(name, args = {}) {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult & { structuredContent: Structured };
      expectCorrelationId(result);
      return result;
    },
    apiRequests: () => sandbox.requests.filter((r) => r.api === 'partssource' && r.path !== '/oauth2/token'),
    tokenRequests: () => sandbox.requests.filter((r) => r.api === 'partssource' && r.path === '/oauth2/token'),
    async close() {
      await client.close();
      await server.close();
      await sandbox.close();
    },
  };
}

/** Every result, success or error, carries a correlationId in structuredContent and in its text. */
export function expectCorrelationId(result: CallToolResult): string {
  const structured = result.structuredContent as Structured | undefined;
  const id = structured?.correlationId;
  expect(typeof id, `correlationId missing in ${JSON.stringify(result).slice(0, 300)}`).toBe('string');
  expect(id.length).toBeGreaterThan(0);
  const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
  expect(text).toContain(id);
  return id;
}

/**
 * The search-to-order workflow through any transport: lookup_user → search_parts → get_part_detail →
 * create_order → get_order. `call` returns a successful result's structuredContent (and fails the test otherwise).
 */
export async function walkSearchToOrder(
  call: (name: string, args: Record<string, unknown>) => Promise<Structured>,
  order: { shippingMethod: string; poNumber?: string; searchLimit: number },
) {
  const { user } = await call('lookup_user', { userId: 12345 });
  const parts = await call('search_parts', { keyword: 'probe', limit: order.searchLimit });
  const productId = parts.items[0].productId as string;
  const { part } = await call('get_part_detail', { productId, requesterId: user.contactId });
  const option = part.options.find((o: Structured) => !o.requiredFields?.length);
  const created = await call('create_order', {
    requesterId: user.contactId,
    facilityId: user.companies[0].facilities[0].id,
    shippingAddressId: user.shippingAddresses[0].id,
    billingAddressId: user.billingAddresses[0].id,
    shippingMethod: order.shippingMethod,
    ...(order.poNumber ? { poNumber: order.poNumber } : {}),
    items: [{ priceOptionId: option.priceOptionId, productId, quantity: 1, price: option.price }],
  });
  const fetched = await call('get_order', { orderId: created.order.orderId });
  return { user, created, fetched };
}

/**
 * The body of a valid create_order from what the tools returned: the user (lookup_user), a part (search_parts) and
 * one of its price options without required fields (get_part_detail); shipping by ground to the user's first
 * addresses.
 */
export function orderFromSeed(user: Structured, productId: string, option: Structured, quantity = 2): Structured {
  return {
    requesterId: user.contactId,
    facilityId: user.companies[0].facilities[0].id,
    shippingAddressId: user.shippingAddresses[0].id,
    billingAddressId: user.billingAddresses[0].id,
    shippingMethod: 'GROUND',
    items: [{ priceOptionId: option.priceOptionId, productId, quantity, price: option.price }],
  };
}
