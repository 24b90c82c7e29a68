import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import type { AugurClient } from '../src/clients/augur.js';
import type { PartsSourceClient } from '../src/clients/partssource.js';
import { silentLogger } from '../src/logger.js';
import { createMcpServer, type ServerOptions } from '../src/server.js';
import { ALL_TOOLS } from '../src/tools/index.js';

/**
 * What tools/list costs and what it promises. The tokenizer is gpt-tokenizer's o200k_base (GPT-4o/GPT-5 encoding):
 * pure JS, ranks bundled, so it runs offline; Anthropic publishes no tokenizer for current Claude models, and the
 * bench (bench/tool-list.mjs) uses the same encoding.
 *
 * The schema snapshot: test/tool-schemas.json is the exact tools/list of every tool. A change to a name,
 * description, argument or output schema fails here until the snapshot is updated deliberately:
 *   UPDATE_TOOL_SCHEMAS=1 npx vitest run test/tool-list.test.ts   (then review and commit the diff)
 */

const SNAPSHOT = new URL('./tool-schemas.json', import.meta.url);
/**
 * Issue 17's goals: the default list (every upstream, no admin tools) at most 7,000 tokens, no tool over 250. The
 * total replaces the old average per tool (215): the total is what every conversation pays, and an average let a
 * few heavy tools hide behind many light ones. (9,415 tokens before issue 17; ~6,400 after its trim.)
 */
const MAX_TOKENS_DEFAULT_LIST = 7_000;
const MAX_TOKENS_ONE_TOOL = 250;
/**
 * The one exception: create_order's input schema alone, with every bound the server enforces and no description at
 * all, is ~300 tokens (four ids, a shipping-method enum, a nested item schema with its own bounds and `required`),
 * so 250 cannot be met without advertising a looser schema than the server enforces. Held at its trimmed size.
 */
const MAX_TOKENS_CREATE_ORDER = 450;

/** Both upstreams "configured" (clients are never called by tools/list). */
const CLIENTS = { partssource: {} as PartsSourceClient, augur: {} as AugurClient };

async function toolsList(options: Partial<ServerOptions> = {}): Promise<{ tools: Tool[] }> {
  const server = createMcpServer({ clients: CLIENTS, log: silentLogger(), enableAdmin: true, ...options });
  const client = new Client({ name: 'tool-list-test', version: '1.0.0' });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(b), client.connect(a)]);
  try {
    return await client.listTools();
  } finally {
    await client.close();
    await server.close();
  }
}

describe('tools/list', () => {
  it(`costs at most ${MAX_TOKENS_DEFAULT_LIST} tokens for the default list and ${MAX_TOKENS_ONE_TOOL} for any tool but create_order`, async () => {
    const list = await toolsList({ enableAdmin: false });
    expect(list.tools).toHaveLength(ALL_TOOLS.filter((t) => !t.admin).length);
    const text = JSON.stringify(list);
    const tokens = countTokens(text);
    const heaviest = list.tools
      .map((t) => [t.name, countTokens(JSON.stringify(t))] as const)
      .sort((x, y) => y[1] - x[1])
      .slice(0, 3);
    console.error(
      `tools/list: ${list.tools.length} tools, ${Buffer.byteLength(text)} bytes, ${tokens} tokens (o200k_base), ` +
        `${(tokens / list.tools.length).toFixed(1)} tokens/tool; heaviest ${heaviest.map(([n, t]) => `${n} ${t}`).join(', ')}`,
    );
    expect(tokens).toBeLessThanOrEqual(MAX_TOKENS_DEFAULT_LIST);
    // Every tool, admin ones included.
    for (const tool of (await toolsList()).tools) {
      expect(JSON.stringify(tool)).not.toContain('$schema');
      const max = tool.name === 'create_order' ? MAX_TOKENS_CREATE_ORDER : MAX_TOKENS_ONE_TOOL;
      expect(countTokens(JSON.stringify(tool)), tool.name).toBeLessThanOrEqual(max);
    }
  });

  it('matches the committed schema snapshot (update deliberately: UPDATE_TOOL_SCHEMAS=1)', async () => {
    const list = await toolsList();
    const current = `${JSON.stringify(list.tools, null, 2)}\n`;
    if (process.env.UPDATE_TOOL_SCHEMAS === '1' || !existsSync(SNAPSHOT)) writeFileSync(SNAPSHOT, current);
    expect(current, 'tools/list changed: review, then UPDATE_TOOL_SCHEMAS=1 npx vitest run test/tool-list.test.ts').toBe(
      readFileSync(SNAPSHOT, 'utf8'),
    );
  });

  it('every output schema accepts an error result and a bare success payload, as the SDK Client validates them', async () => {
    const ajv = new AjvJsonSchemaValidator();
    const list = await toolsList({ confirmWrites: 'always' });
    const error = { error: { code: 'not_found', message: 'x', retryable: false, upstreamStatus: 404 }, correlationId: 'c' };
    for (const tool of list.tools) {
      const validate = ajv.getValidator(tool.outputSchema as never);
      expect(validate(error).valid, tool.name).toBe(true);
      expect(validate({ correlationId: 'c' }).valid, tool.name).toBe(true);
    }
    const list0 = list.tools.find((t) => t.name === 'list_invoices')!;
    const validate = ajv.getValidator(list0.outputSchema as never);
    expect(validate({ items: [{ invoiceNo: '1', extra: { deep: [1] } }], total: 1, hasMore: false, truncated: true, correlationId: 'c' }).valid).toBe(true);
  });

  it('keeps the agent-facing essentials: where ids come from, list paging, the fields argument', async () => {
    const { tools } = await toolsList();
    const byName = new Map(tools.map((t) => [t.name, t]));
    const props = (name: string) => (byName.get(name)!.inputSchema.properties ?? {}) as Record<string, { description?: string }>;
    expect(props('list_invoices').customerId!.description).toContain('lookup_customer');
    expect(props('create_order').requesterId!.description).toContain('lookup_user');
    expect(Object.keys(props('list_invoices'))).toEqual(expect.arrayContaining(['limit', 'offset', 'fields']));
    expect(Object.keys(props('get_invoice'))).not.toContain('fields');
    // Output schemas are a bare object: an id's source is said where the agent passes the id, not where it appears.
    for (const tool of tools) expect(tool.outputSchema, tool.name).toEqual({ type: 'object' });
    const item = (props('create_order').items as { items: { properties: Record<string, { description?: string }> } }).items;
    expect(item.properties.priceOptionId!.description).toContain('get_part_detail');
    for (const tool of tools) {
      expect(typeof tool.annotations?.readOnlyHint, tool.name).toBe('boolean');
      if (!tool.annotations!.readOnlyHint) expect(typeof tool.annotations!.destructiveHint, tool.name).toBe('boolean');
    }
  });

  it('every input and output schema compiles under Ajv 2020 strict mode (no type lists, no untyped properties, no unknown formats)', async () => {
    let compiled = 0;
    const ajv = new Ajv2020({ strict: true });
    for (const options of [{}, { confirmWrites: 'always' as const }]) {
      const { tools } = await toolsList(options);
      for (const tool of tools) {
        for (const [which, schema] of [['input', tool.inputSchema], ['output', tool.outputSchema]] as const) {
          expect(() => ajv.compile(schema as object), `${tool.name} ${which}`).not.toThrow();
          compiled++;
        }
      }
    }
    expect(compiled).toBe(4 * ALL_TOOLS.length);
  }, 60_000);

  it('the advertised input schema refuses what the server refuses for ordinary values, and takes what it takes', async () => {
    const { tools } = await toolsList();
    const ajv = new Ajv2020({ strict: true });
    const cases: Array<[tool: string, args: Record<string, unknown>, valid: boolean]> = [
      ['get_order', { orderId: 1001 }, true],
      ['get_order', { orderId: -1 }, false],
      ['get_order', { orderId: 0 }, false],
      ['get_order', { orderId: 1.5 }, false],
      ['get_order', { orderId: 1001, extra: true }, false],
      ['search_orders', { q: 'poNumber:"PO-1"', limit: 100 }, true],
      ['search_orders', { q: 'poNumber:"PO-1"', limit: 0 }, false],
      ['search_orders', { q: 'poNumber:"PO-1"', limit: 101 }, false],
      ['search_orders', { q: 'poNumber:"PO-1"', offset: -1 }, false],
      ['search_orders', { q: '' }, false],
      ['list_invoices', { customerId: 10001, shipToId: 5 }, true],
      ['list_invoices', { customerId: 0 }, false],
      ['list_invoices', {}, false],
      ['get_invoice', { customerId: 10001, invoiceNo: '1000123' }, true],
      ['get_invoice', { customerId: 10001, invoiceNo: 'abc' }, false],
      ['get_invoice', { customerId: 10001, invoiceNo: '0123' }, false],
      ['lookup_customer', { q: '' }, false],
      ['create_order', { requesterId: 1, facilityId: 1, shippingAddressId: 1, billingAddressId: 1, shippingMethod: 'GROUND', items: [] }, false],
      ['create_order', { requesterId: 1, facilityId: 1, shippingAddressId: 1, billingAddressId: 1, shippingMethod: 'GROUND', items: [{ priceOptionId: 'o', productId: 'p', quantity: 0, price: 1 }] }, false],
      ['create_order', { requesterId: 1, facilityId: 1, shippingAddressId: 1, billingAddressId: 1, shippingMethod: 'GROUND', items: [{ priceOptionId: 'o', productId: 'p', quantity: 1, price: 1 }] }, true],
    ];
    for (const [name, args, valid] of cases) {
      const advertised = tools.find((t) => t.name === name)!.inputSchema;
      const what = `${name} ${JSON.stringify(args)}`;
      expect(ajv.validate(advertised, args), `advertised: ${what}`).toBe(valid);
      expect(ALL_TOOLS.find((t) => t.name === name)!.input.safeParse(args).success, `server: ${what}`).toBe(valid);
    }
    // The deliberate differences: an id is advertised in the form the service returns it (customerId a number,
    // invoiceNo a string of digits), and the server still takes the other form from an agent that converts it.
    const customerIdAsText = { customerId: '10001' };
    expect(ajv.validate(tools.find((t) => t.name === 'list_invoices')!.inputSchema, customerIdAsText)).toBe(false);
    expect(ALL_TOOLS.find((t) => t.name === 'list_invoices')!.input.safeParse(customerIdAsText).success).toBe(true);
    const invoiceNoAsNumber = { customerId: 10001, invoiceNo: 1000123 };
    expect(ajv.validate(tools.find((t) => t.name === 'get_invoice')!.inputSchema, invoiceNoAsNumber)).toBe(false);
    expect(ALL_TOOLS.find((t) => t.name === 'get_invoice')!.input.safeParse(invoiceNoAsNumber).success).toBe(true);
  });
});
