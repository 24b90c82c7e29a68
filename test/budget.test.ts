import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_AUGUR_FIXTURES as FIX } from '../src/sandbox/augur/index.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { capItems, parseStringifiedArguments } from '../src/mcp/budget.js';
import type { Structured } from './support/harness.js';
import { connectCustom, orderArgs, sandboxClients, type Custom } from './support/custom.js';

/** Pages through list_invoices of the big customer, following nextOffset; returns the invoice numbers seen. */
async function pageAll(h: Custom, limit: number): Promise<{ ids: string[]; truncatedPages: number; maxBytes: number }> {
  const ids: string[] = [];
  let offset = 0;
  let truncatedPages = 0;
  let maxBytes = 0;
  for (let page = 0; page < 500; page += 1) {
    const result = await h.call('list_invoices', { customerId: FIX.acme.bigCustomerId, limit, offset });
    expect(result.isError, JSON.stringify(result.structuredContent).slice(0, 300)).toBeFalsy();
    const s = result.structuredContent;
    ids.push(...s.items.map((i: Structured) => String(i.invoiceNo)));
    if (s.truncated) truncatedPages += 1;
    maxBytes = Math.max(maxBytes, Buffer.byteLength(JSON.stringify(s)));
    if (s.nextOffset === undefined) {
      expect(s.hasMore).toBe(false);
      return { ids, truncatedPages, maxBytes };
    }
    expect(s.hasMore).toBe(true);
    offset = s.nextOffset;
  }
  throw new Error('paging did not end');
}

describe('response budget over the SDK Client against the sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ recordRequests: false });
  });
  afterAll(() => sandbox.close());

  it('a small result cap drops whole items and nextOffset leads to the same invoices, in order, as no cap', async () => {
    const unbounded = await connectCustom({ clients: sandboxClients(sandbox), maxResultBytes: 0 });
    const capped = await connectCustom({ clients: sandboxClients(sandbox), maxResultBytes: 4_000 });
    try {
      const all = await pageAll(unbounded, 100);
      expect(all.truncatedPages).toBe(0);
      expect(all.ids.length).toBeGreaterThan(100);
      const small = await pageAll(capped, 100);
      expect(small.truncatedPages).toBeGreaterThan(0);
      expect(small.ids).toEqual(all.ids);
      expect(small.maxBytes).toBeLessThanOrEqual(4_000 + 2_000); // one item may exceed the rest, never cut
      console.error(`budget: ${all.ids.length} invoices in ${Math.ceil(all.ids.length / 100)} uncapped pages; capped at 4000 bytes: ${small.truncatedPages} truncated pages`);
    } finally {
      await unbounded.close();
      await capped.close();
    }
  });

  it('the default cap (50 000 bytes) truncates a 100-invoice page and says so', async () => {
    const h = await connectCustom({ clients: sandboxClients(sandbox) });
    try {
      const s = (await h.call('list_invoices', { customerId: FIX.acme.bigCustomerId, limit: 100, detail: 'full' })).structuredContent;
      expect(s.truncated).toBe(true);
      expect(s.items.length).toBeGreaterThan(0);
      expect(s.items.length).toBeLessThan(100);
      expect(s.nextOffset).toBe(s.items.length);
      expect(Buffer.byteLength(JSON.stringify(s))).toBeLessThanOrEqual(50_000);
    } finally {
      await h.close();
    }
  });

  it('fields keeps only the chosen item fields; an invalid fields argument is refused before any request', async () => {
    const h = await connectCustom({ clients: sandboxClients(sandbox) });
    try {
      const s = (await h.call('list_invoices', { customerId: FIX.acme.customerId, fields: ['invoiceNo', 'totalAmount'] })).structuredContent;
      expect(s.items.length).toBeGreaterThan(0);
      for (const item of s.items) expect(Object.keys(item).sort()).toEqual(['invoiceNo', 'totalAmount']);
      const parts = (await h.call('search_parts', { keyword: 'probe', fields: ['productId'] })).structuredContent;
      for (const item of parts.items) expect(Object.keys(item)).toEqual(['productId']);
      const bad = await h.call('list_invoices', { customerId: FIX.acme.customerId, fields: [] });
      expect(bad.structuredContent.error.code).toBe('invalid_argument');
      const notList = await h.call('get_customer', { customerId: FIX.acme.customerId, fields: ['customerId'] });
      expect(notList.structuredContent.error.code).toBe('invalid_argument');
    } finally {
      await h.close();
    }
  });

  it('results are compact JSON text', async () => {
    const h = await connectCustom({ clients: sandboxClients(sandbox) });
    try {
      const result = await h.call('lookup_customer', { q: 'a', limit: 3 });
      const text = (result.content[0] as { text: string }).text;
      expect(text).toBe(JSON.stringify(result.structuredContent));
      expect(text).not.toContain('\n');
    } finally {
      await h.close();
    }
  });

  it('list calls report start and finish progress when the client asks for it', async () => {
    const h = await connectCustom({ clients: sandboxClients(sandbox), maxResultBytes: 4_000 });
    try {
      const seen: Array<{ progress: number; total?: number; message?: string }> = [];
      const result = await h.call('list_invoices', { customerId: FIX.acme.bigCustomerId, limit: 50 }, { onprogress: (p) => seen.push(p) });
      expect(result.isError).toBeFalsy();
      expect(seen.map((p) => p.progress)).toEqual([0, 1]);
      expect(seen.every((p) => p.total === 1)).toBe(true);
      expect(seen[1]!.message).toContain(`${result.structuredContent.items.length} items`);
      expect(seen[1]!.message).toContain('nextOffset');
      const none: unknown[] = [];
      await h.call('get_customer', { customerId: FIX.acme.customerId }, { onprogress: (p) => none.push(p) });
      expect(none).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe('argument tolerance: JSON text where an object or array is expected', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

  it('a stringified items array places the order', async () => {
    const h = await connectCustom({ clients: sandboxClients(sandbox) });
    try {
      const args = await orderArgs(h);
      const result = await h.call('create_order', { ...args, items: JSON.stringify(args.items) });
      expect(result.isError, JSON.stringify(result.structuredContent)).toBeFalsy();
      expect(result.structuredContent.order.lines ?? result.structuredContent.order).toBeTruthy();
      const fields = await h.call('search_parts', { keyword: 'probe', fields: '["productId"]' });
      for (const item of fields.structuredContent.items) expect(Object.keys(item)).toEqual(['productId']);
    } finally {
      await h.close();
    }
  });

  it('only parses where the schema expects an object or array and the text is one', () => {
    const schema = { properties: { items: { type: 'array' }, extra: { type: 'object' }, q: { type: 'string' }, id: { type: ['integer', 'string'] } } };
    expect(parseStringifiedArguments({ items: '[1,2]', extra: '{"a":1}', q: '[1]', id: '12' }, schema)).toEqual({ items: [1, 2], extra: { a: 1 }, q: '[1]', id: '12' });
    expect(parseStringifiedArguments({ items: '{"a":1}', extra: '[1]' }, schema)).toEqual({ items: '{"a":1}', extra: '[1]' });
    expect(parseStringifiedArguments({ items: '[not json' }, schema)).toEqual({ items: '[not json' });
  });

  it('capItems never cuts an item and always keeps the first', () => {
    const items = Array.from({ length: 10 }, (_, i) => ({ id: i, text: 'x'.repeat(100) }));
    const capped = capItems({ items, offset: 20, hasMore: false }, 400);
    expect(capped.items).toEqual(items.slice(0, capped.items.length));
    expect(capped).toMatchObject({ truncated: true, hasMore: true, nextOffset: 20 + capped.items.length });
    expect(Buffer.byteLength(JSON.stringify(capped))).toBeLessThanOrEqual(400);
    expect(capItems({ items, offset: 0 }, 10).items).toHaveLength(1);
    expect(capItems({ items, offset: 0 }, 100_000)).not.toHaveProperty('truncated');
  });
});
