import { ErrorCode, McpError, type CallToolResult, type ElicitRequestFormParams, type ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/logger.js';
import { runToolCall, type ToolCallExchange } from '../src/mcp/run-tool-call.js';
import { toolCallSetup } from '../src/mcp/tool-call-setup.js';
import type { ServerOptions } from '../src/mcp/server-options.js';
import { SANDBOX_AUGUR_FIXTURES } from '../src/sandbox/augur/index.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { sandboxClients } from './support/custom.js';
import { expectCorrelationId, orderFromSeed, type Structured } from './support/harness.js';

/**
 * runToolCall without any transport: the function stdio, HTTP and the in-memory Client all go through, called
 * directly against the sandbox with a hand-made exchange (what a request can send back to its client).
 */

type Result = CallToolResult & { structuredContent: Structured };

describe('runToolCall, called directly', () => {
  let sandbox: Sandbox;
  let clients: ReturnType<typeof sandboxClients>;
  beforeAll(async () => {
    sandbox = await startSandbox();
    clients = sandboxClients(sandbox);
  });
  afterAll(() => sandbox.close());
  afterEach(() => sandbox.clearRequests());

  const setupWith = (options: Partial<ServerOptions> = {}) => toolCallSetup({ clients, log: silentLogger(), ...options });
  const run = async (setup: ReturnType<typeof setupWith>, name: string, args: Structured, exchange?: ToolCallExchange) => {
    const result = (await runToolCall({ name, arguments: args }, setup, exchange)) as Result;
    expectCorrelationId(result);
    return result;
  };
  const apiCalls = () => sandbox.requests.filter((r) => r.path !== '/oauth2/token');
  const orderPosts = () => sandbox.requests.filter((r) => r.method === 'POST' && r.path === '/customer/orders');

  async function validOrder(setup: ReturnType<typeof setupWith>): Promise<Structured> {
    const { user } = (await run(setup, 'lookup_user', { userId: 12345 })).structuredContent;
    const { items } = (await run(setup, 'search_parts', { keyword: 'probe', limit: 5 })).structuredContent;
    const productId = items[0].productId as string;
    const { part } = (await run(setup, 'get_part_detail', { productId, requesterId: user.contactId })).structuredContent;
    const order = orderFromSeed(user, productId, part.options.find((o: Structured) => !o.requiredFields?.length));
    sandbox.clearRequests();
    return order;
  }

  it('a read: the upstream payload, and the correlationId the upstream received as X-Correlation-ID', async () => {
    const result = await run(setupWith(), 'lookup_user', { userId: 12345 });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent.user.contactId).toBe(12345);
    const lookups = apiCalls().filter((r) => r.path === '/customer/users/lookup');
    expect(lookups).toHaveLength(1);
    expect(lookups[0]!.headers['x-correlation-id']).toBe(result.structuredContent.correlationId);
  });

  it('bad arguments: invalid_argument with a correlationId, nothing sent upstream', async () => {
    const result = await run(setupWith(), 'lookup_user', { userId: 'twelve' });
    expect(result.isError).toBe(true);
    expect(result.structuredContent.error.code).toBe('invalid_argument');
    expect(result.structuredContent.error.message).toContain('lookup_user');
    expect(apiCalls()).toHaveLength(0);
  });

  it('a tool not offered (unknown, or a write on a read-only server) is a protocol error, InvalidParams', async () => {
    for (const [setup, name] of [[setupWith(), 'no_such_tool'], [setupWith({ readOnly: true }), 'create_order']] as const) {
      const error = await runToolCall({ name, arguments: {} }, setup).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(McpError);
      expect((error as McpError).code).toBe(ErrorCode.InvalidParams);
      expect((error as McpError).message).toContain(`Unknown tool ${name}`);
    }
    expect(apiCalls()).toHaveLength(0);
  });

  it('confirm-writes always: a preview with the order tool\'s own summary, then the token places it once', async () => {
    const setup = setupWith({ confirmWrites: 'always' });
    const order = await validOrder(setup);
    const preview = await run(setup, 'create_order', order);
    expect(preview.structuredContent.confirmationRequired).toBe(true);
    const item = order.items[0];
    expect(preview.structuredContent.summary).toContain(`total $${(item.price * item.quantity).toFixed(2)}`);
    expect(preview.structuredContent.summary).toContain(`Ship to address ${order.shippingAddressId}`);
    expect(orderPosts()).toHaveLength(0);

    const { confirmationToken } = preview.structuredContent;
    const placed = await run(setup, 'create_order', { ...order, confirmationToken });
    expect(placed.structuredContent.order.orderId).toBeGreaterThan(0);
    const again = await run(setup, 'create_order', { ...order, confirmationToken });
    expect(again.structuredContent.error.code).toBe('confirmation_invalid');
    expect(orderPosts()).toHaveLength(1);
  });

  it('with an elicit in the exchange the human is asked; a decline sends nothing, a write without its own summary lists its arguments', async () => {
    const asked: ElicitRequestFormParams[] = [];
    const exchange: ToolCallExchange = { elicit: async (params) => (asked.push(params), { action: 'decline' }) };
    const declined = await run(setupWith(), 'add_customer_tag', { customerId: SANDBOX_AUGUR_FIXTURES.acme.customerId, tag: 'never-sent' }, exchange);
    expect(declined.structuredContent.error.code).toBe('not_confirmed');
    expect(asked).toHaveLength(1);
    expect(asked[0]!.message).toContain('- tag: never-sent');
    expect(sandbox.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
  });

  it('a list call over budget: whole items dropped, progress 0 then 1 sent through the exchange', async () => {
    const sent: ServerNotification[] = [];
    const exchange: ToolCallExchange = { notify: async (n) => void sent.push(n) };
    const customerId = SANDBOX_AUGUR_FIXTURES.acme.bigCustomerId;
    const result = (await runToolCall({ name: 'list_invoices', arguments: { customerId, limit: 50 }, _meta: { progressToken: 'p1' } }, setupWith({ maxResultBytes: 4_000 }), exchange)) as Result;
    expect(result.structuredContent.truncated).toBe(true);
    const kept = result.structuredContent.items.length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(50);
    expect(result.structuredContent.nextOffset).toBe(kept);
    const progress = sent.filter((n) => n.method === 'notifications/progress').map((n) => n.params as Structured);
    expect(progress.map((p) => [p.progressToken, p.progress])).toEqual([['p1', 0], ['p1', 1]]);
    expect(progress[1]!.message).toBe(`${kept} items (cut to the 4000-byte budget; continue at nextOffset)`);
  });
});
