import { ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_AUGUR_FIXTURES } from '../src/sandbox/augur/index.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { connectCustom, orderArgs, sandboxClients, type Custom } from './support/custom.js';

const orderPosts = (sandbox: Sandbox) => sandbox.requests.filter((r) => r.api === 'partssource' && r.method === 'POST' && r.path === '/customer/orders');
const augurWrites = (sandbox: Sandbox) => sandbox.requests.filter((r) => r.api === 'augur' && r.method !== 'GET');

describe('confirmed writes through elicitation (client declares elicitation)', () => {
  let sandbox: Sandbox;
  let answer: ElicitResult = { action: 'accept', content: { confirm: true } };
  const asked: string[] = [];
  let h: Custom;
  beforeAll(async () => {
    sandbox = await startSandbox();
    h = await connectCustom({ clients: sandboxClients(sandbox) }, { capabilities: { elicitation: {} } }, (client) =>
      client.setRequestHandler(ElicitRequestSchema, async (request) => {
        asked.push((request.params as { message: string }).message);
        return answer;
      }),
    );
  });
  afterAll(async () => {
    await h.close();
    await sandbox.close();
  });
  afterEach(() => {
    sandbox.clearRequests();
    asked.length = 0;
  });

  it('accept: the order is placed after the human saw items, prices, total and ship-to', async () => {
    const args = await orderArgs(h);
    answer = { action: 'accept', content: { confirm: true } };
    const result = await h.call('create_order', args);
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent.order.orderId).toBeGreaterThan(0);
    expect(orderPosts(sandbox)).toHaveLength(1);
    expect(asked).toHaveLength(1);
    const item = (args.items as Array<{ productId: string; price: number }>)[0]!;
    expect(asked[0]).toContain(item.productId);
    expect(asked[0]).toContain(`$${item.price.toFixed(2)}`);
    expect(asked[0]).toContain(`total $${(item.price * 2).toFixed(2)}`);
    expect(asked[0]).toContain(`Ship to address ${String(args.shippingAddressId)}`);
  });

  for (const action of ['decline', 'cancel'] as const) {
    it(`${action}: nothing is sent upstream and the result says not_confirmed`, async () => {
      const args = await orderArgs(h);
      sandbox.clearRequests();
      answer = { action };
      const result = await h.call('create_order', args);
      expect(result.isError).toBe(true);
      expect(result.structuredContent.error.code).toBe('not_confirmed');
      expect(orderPosts(sandbox)).toHaveLength(0);
      expect(asked).toHaveLength(1);
    });
  }

  it('accept without confirm: true is not a confirmation', async () => {
    const args = await orderArgs(h);
    answer = { action: 'accept', content: { confirm: false } };
    const result = await h.call('create_order', args);
    expect(result.structuredContent.error.code).toBe('not_confirmed');
    expect(orderPosts(sandbox)).toHaveLength(0);
  });

  it('Augur writes ask too; a declined tag is never sent, reads never ask', async () => {
    const customerId = SANDBOX_AUGUR_FIXTURES.acme.customerId;
    answer = { action: 'decline' };
    const declined = await h.call('add_customer_tag', { customerId, tag: 'never-sent' });
    expect(declined.structuredContent.error.code).toBe('not_confirmed');
    expect(augurWrites(sandbox)).toHaveLength(0);
    expect(asked[0]).toContain('tag: never-sent');
    answer = { action: 'accept', content: { confirm: true } };
    const added = await h.call('add_customer_tag', { customerId, tag: 'confirmed-tag' });
    expect(added.isError).toBeFalsy();
    expect(augurWrites(sandbox)).toHaveLength(1);
    asked.length = 0;
    expect((await h.call('list_customer_tags', { customerId })).isError).toBeFalsy();
    expect(asked).toHaveLength(0);
  });

  it('invalid arguments are refused before anyone is asked', async () => {
    const result = await h.call('create_order', { requesterId: 1 });
    expect(result.structuredContent.error.code).toBe('invalid_argument');
    expect(asked).toHaveLength(0);
  });
});

describe('--confirm-writes always, client without elicitation: preview and confirmation token', () => {
  let sandbox: Sandbox;
  let now = Date.parse('2026-05-01T10:00:00Z');
  let h: Custom;
  beforeAll(async () => {
    sandbox = await startSandbox();
    h = await connectCustom({ clients: sandboxClients(sandbox), confirmWrites: 'always', confirmationTtlMs: 60_000, now: () => now });
  });
  afterAll(async () => {
    await h.close();
    await sandbox.close();
  });
  afterEach(() => sandbox.clearRequests());

  it('advertises confirmationToken on writes only', async () => {
    const tools = (await h.client.listTools()).tools;
    const create = tools.find((t) => t.name === 'create_order')!;
    expect(Object.keys(create.inputSchema.properties ?? {})).toContain('confirmationToken');
    const read = tools.find((t) => t.name === 'get_order')!;
    expect(Object.keys(read.inputSchema.properties ?? {})).not.toContain('confirmationToken');
  });

  it('preview → token → exactly one order', async () => {
    const args = await orderArgs(h);
    sandbox.clearRequests();
    const preview = await h.call('create_order', args);
    expect(preview.isError).toBeFalsy();
    expect(preview.structuredContent).toMatchObject({ confirmationRequired: true });
    expect(preview.structuredContent.summary).toContain('total $');
    expect(typeof preview.structuredContent.confirmationToken).toBe('string');
    expect(orderPosts(sandbox)).toHaveLength(0);

    const placed = await h.call('create_order', { ...args, confirmationToken: preview.structuredContent.confirmationToken });
    expect(placed.isError).toBeFalsy();
    expect(placed.structuredContent.order.orderId).toBeGreaterThan(0);
    expect(orderPosts(sandbox)).toHaveLength(1);
  });

  it('a token for other arguments, a forged one and an expired one are refused with nothing sent', async () => {
    const args = await orderArgs(h);
    const { confirmationToken } = (await h.call('create_order', args)).structuredContent;
    sandbox.clearRequests();

    const otherArgs = { ...args, poNumber: 'PO-CHANGED' };
    const mismatched = await h.call('create_order', { ...otherArgs, confirmationToken });
    expect(mismatched.structuredContent.error.code).toBe('confirmation_invalid');
    const forged = await h.call('create_order', { ...args, confirmationToken: `${confirmationToken.slice(0, -4)}AAAA` });
    expect(forged.structuredContent.error.code).toBe('confirmation_invalid');
    const garbage = await h.call('create_order', { ...args, confirmationToken: 'yes-please' });
    expect(garbage.structuredContent.error.code).toBe('confirmation_invalid');

    now += 61_000;
    const expired = await h.call('create_order', { ...args, confirmationToken });
    expect(expired.structuredContent.error.code).toBe('confirmation_expired');
    expect(orderPosts(sandbox)).toHaveLength(0);
  });

  it('a token from another server instance is refused', async () => {
    const other = await connectCustom({ clients: sandboxClients(sandbox), confirmWrites: 'always' });
    try {
      const args = await orderArgs(h);
      const { confirmationToken } = (await other.call('create_order', args)).structuredContent;
      sandbox.clearRequests();
      const refused = await h.call('create_order', { ...args, confirmationToken });
      expect(refused.structuredContent.error.code).toBe('confirmation_invalid');
      expect(orderPosts(sandbox)).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});

describe('--confirm-writes never and the default (auto) with a client without elicitation', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

  for (const confirmWrites of ['never', undefined] as const) {
    it(`${confirmWrites ?? 'auto (default)'}: the write proceeds at once`, async () => {
      const h = await connectCustom({ clients: sandboxClients(sandbox), ...(confirmWrites ? { confirmWrites } : {}) });
      try {
        const args = await orderArgs(h);
        sandbox.clearRequests();
        const placed = await h.call('create_order', args);
        expect(placed.isError).toBeFalsy();
        expect(orderPosts(sandbox)).toHaveLength(1);
      } finally {
        await h.close();
      }
    });
  }

  it('never: a client with elicitation is not asked', async () => {
    let asked = 0;
    const h = await connectCustom({ clients: sandboxClients(sandbox), confirmWrites: 'never' }, { capabilities: { elicitation: {} } }, (client) =>
      client.setRequestHandler(ElicitRequestSchema, async () => {
        asked += 1;
        return { action: 'decline' };
      }),
    );
    try {
      const placed = await h.call('create_order', await orderArgs(h));
      expect(placed.isError).toBeFalsy();
      expect(asked).toBe(0);
    } finally {
      await h.close();
    }
  });
});
