import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadToolOptions } from '../src/config.js';
import { itemFieldNames } from '../src/mcp/result-shape.js';
import { isListTool } from '../src/mcp/schema.js';
import { SANDBOX_AUGUR_FIXTURES as FIX } from '../src/sandbox/augur/index.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { ALL_TOOLS } from '../src/tools/index.js';
import type { Structured } from './support/harness.js';
import { CLI, cleanEnv } from './support/cli.js';
import { connectCustom, sandboxClients, type Custom } from './support/custom.js';

/** Every [path, value] in a JSON value, at any depth. */
function leaves(value: unknown, path = ''): Array<[string, unknown]> {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [[`${path}.${k}`, v] as [string, unknown], ...leaves(v, `${path}.${k}`)]);
  return [];
}

const customer = FIX.acme.customerId;
/** The sandbox's big customer (10001): pages of 10 invoices and orders. */
const big = FIX.acme.bigCustomerId;
const textOf = (result: { content: unknown[] }) => (result.content as Array<{ type: string; text: string }>).map((c) => c.text).join('\n');

describe('compact results (issue 17 #3) over the SDK Client against the sandbox', () => {
  let sandbox: Sandbox;
  let h: Custom;
  const augurRequests = () => sandbox.requests.filter((r) => r.api === 'augur');
  beforeAll(async () => {
    sandbox = await startSandbox();
    h = await connectCustom({ clients: sandboxClients(sandbox) });
  });
  afterAll(async () => {
    await h?.close();
    await sandbox?.close();
  });

  it('every list tool declares summaryFields, each one a field its item schema declares', () => {
    const lists = ALL_TOOLS.filter(isListTool);
    expect(lists.length).toBeGreaterThanOrEqual(18);
    for (const tool of lists) {
      expect(tool.summaryFields?.length, tool.name).toBeGreaterThan(0);
      const declared = itemFieldNames(tool);
      expect(declared.length, tool.name).toBeGreaterThan(0);
      for (const field of tool.summaryFields!) expect(declared, `${tool.name}.${field}`).toContain(field);
    }
  });

  it('list_invoices by default: compact items (summary fields only, no lines, no nulls), invoiceNo kept', async () => {
    const upstream = await sandboxClients(sandbox).augur.listInvoices(big, { limit: 10 }, { correlationId: 'test' });
    expect(upstream.data.items.some((i) => i.lines?.length && leaves(i).some(([, v]) => v === null))).toBe(true); // the upstream has both
    const s = (await h.call('list_invoices', { customerId: big, limit: 10 })).structuredContent;
    expect(s.items).toHaveLength(10);
    const summary = ALL_TOOLS.find((t) => t.name === 'list_invoices')!.summaryFields!;
    for (const item of s.items as Structured[]) {
      expect(item.lines).toBeUndefined();
      expect(typeof item.invoiceNo).toBe('string');
      for (const key of Object.keys(item)) expect(summary).toContain(key);
      expect(leaves(item).filter(([, v]) => v === null || v === '')).toEqual([]);
    }
    expect(s.items.map((i: Structured) => i.invoiceNo)).toEqual(upstream.data.items.map((i) => i.invoiceNo));
    expect(s).toMatchObject({ total: upstream.data.total, hasMore: true, nextOffset: 10 });
  });

  it('detail "full": whole invoices whose lines repeat neither orderNo nor the misspelt oderNo', async () => {
    const upstream = await sandboxClients(sandbox).augur.listInvoices(customer, { limit: 5 }, { correlationId: 'test' });
    const upstreamLines = upstream.data.items.flatMap((i) => i.lines ?? []) as Structured[];
    expect(upstreamLines.length).toBeGreaterThan(0);
    expect(upstreamLines.every((l) => l.oderNo !== undefined && l.orderNo !== undefined)).toBe(true);
    const s = (await h.call('list_invoices', { customerId: customer, limit: 5, detail: 'full' })).structuredContent;
    const lines = (s.items as Structured[]).flatMap((i) => i.lines as Structured[]);
    expect(lines).toHaveLength(upstreamLines.length);
    for (const invoice of s.items as Structured[]) {
      expect(invoice.orderNo).toBeDefined();
      expect(invoice).toHaveProperty('datePaid'); // whole: nulls kept
      expect(invoice.bill2Address1).toBeDefined();
      for (const line of invoice.lines as Structured[]) {
        expect(line).not.toHaveProperty('orderNo');
        expect(line).not.toHaveProperty('oderNo');
        expect(typeof line.itemId).toBe('string');
        expect(typeof line.extendedPrice).toBe('number');
      }
    }
  });

  it('get_invoice: the same rule for a single document', async () => {
    const s = (await h.call('get_invoice', { customerId: customer, invoiceNo: FIX.acme.invoiceNo })).structuredContent;
    expect(String(s.invoice.invoiceNo)).toBe(String(FIX.acme.invoiceNo));
    expect(s.invoice.orderNo).toBeDefined();
    expect(s.invoice.lines.length).toBeGreaterThan(0);
    for (const line of s.invoice.lines) {
      expect(line).not.toHaveProperty('orderNo');
      expect(line).not.toHaveProperty('oderNo');
      expect(line.lineNo).toBeDefined();
    }
  });

  it('fields keeps exactly the named fields (nulls too); an unknown name is refused, naming it and the valid ones, before any request', async () => {
    const s = (await h.call('list_invoices', { customerId: customer, paidInFull: false, fields: ['invoiceNo', 'datePaid'] })).structuredContent;
    expect(s.items.length).toBeGreaterThan(0);
    for (const item of s.items) expect(item).toEqual({ invoiceNo: item.invoiceNo, datePaid: null });
    sandbox.clearRequests();
    const bad = await h.call('list_invoices', { customerId: customer, fields: ['invoiceNo', 'dueDate', 'bogus'] });
    expect(bad.isError).toBe(true);
    expect(bad.structuredContent.error.code).toBe('invalid_argument');
    const message = bad.structuredContent.error.message as string;
    expect(message).toContain('dueDate, bogus');
    expect(message).toContain('invoiceNo, customerId, customerName, orderNo, invoiceDate');
    expect(message).toContain('paidInFullFlag');
    expect(augurRequests()).toHaveLength(0);
  });

  it('list_customer_orders: summary is compact header rows, lines adds the lines, full the whole documents', async () => {
    const summary = (await h.call('list_customer_orders', { customerId: customer, limit: 3 })).structuredContent;
    const lines = (await h.call('list_customer_orders', { customerId: customer, limit: 3, detail: 'lines' })).structuredContent;
    const full = (await h.call('list_customer_orders', { customerId: customer, limit: 3, detail: 'full' })).structuredContent;
    expect(augurRequests().slice(-3).map((r) => r.query.fullDocument)).toEqual(['N', 'L', 'Y']);
    const declared = ALL_TOOLS.find((t) => t.name === 'list_customer_orders')!.summaryFields!;
    for (const item of summary.items as Structured[]) for (const key of Object.keys(item)) expect(declared).toContain(key);
    for (const item of lines.items as Structured[]) {
      expect(item.lines.length).toBeGreaterThan(0);
      expect(Object.keys(item).filter((k) => k !== 'lines').every((k) => declared.includes(k))).toBe(true);
    }
    for (const item of full.items as Structured[]) {
      expect(item.pickTickets).toBeDefined();
      expect(item.orderStatus).toBeDefined();
      for (const line of item.lines) expect(line).not.toHaveProperty('orderNo');
    }
    expect(summary.items.map((i: Structured) => i.orderNo)).toEqual(full.items.map((i: Structured) => i.orderNo));
  });

  it('list_customer_orders createdFrom/createdTo reach the upstream and filter; createdFrom alone runs to today; createdTo alone is refused', async () => {
    const all = (await h.call('list_customer_orders', { customerId: customer, limit: 100 })).structuredContent.items as Structured[];
    const days = [...new Set(all.map((o) => String(o.orderDate).slice(0, 10)))].sort();
    expect(days.length).toBeGreaterThan(3);
    const [from, to] = [days[1]!, days[days.length - 2]!];
    sandbox.clearRequests();
    const s = (await h.call('list_customer_orders', { customerId: customer, createdFrom: from, createdTo: to, limit: 100 })).structuredContent;
    expect(augurRequests()).toHaveLength(1);
    expect(augurRequests()[0]!.query).toMatchObject({ createdFrom: from, createdTo: to });
    const inRange = all.filter((o) => String(o.orderDate).slice(0, 10) >= from && String(o.orderDate).slice(0, 10) <= to).map((o) => o.orderNo);
    expect(inRange.length).toBeLessThan(all.length);
    expect(s.items.map((o: Structured) => o.orderNo)).toEqual(inRange);

    sandbox.clearRequests();
    const open = await h.call('list_customer_orders', { customerId: customer, createdFrom: to });
    expect(open.isError).toBeFalsy();
    const today = new Date().toISOString().slice(0, 10);
    expect(augurRequests()[0]!.query.createdFrom).toBe(to);
    expect(augurRequests()[0]!.query.createdTo! >= today).toBe(true);

    sandbox.clearRequests();
    const refused = await h.call('list_customer_orders', { customerId: customer, createdTo: to });
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent.error.code).toBe('invalid_argument');
    expect(refused.structuredContent.error.message).toContain('createdTo needs createdFrom');
    const reversed = await h.call('list_customer_orders', { customerId: customer, createdFrom: to, createdTo: from });
    expect(reversed.structuredContent.error.code).toBe('invalid_argument');
    expect(augurRequests()).toHaveLength(0);
  });

  it('by default a success text is its structuredContent as JSON', async () => {
    const result = await h.call('list_invoices', { customerId: customer, limit: 2 });
    expect(textOf(result)).toBe(JSON.stringify(result.structuredContent));
  });

  it('--result-text summary: a success text is one short line, structuredContent intact; an error keeps its full text', async () => {
    const options = loadToolOptions({}, { resultText: 'summary' });
    expect(options.resultText).toBe('summary');
    expect(loadToolOptions({ MCP_RESULT_TEXT: 'summary' }).resultText).toBe('summary');
    const summary = await connectCustom({ ...options, clients: sandboxClients(sandbox) });
    try {
      const json = (await h.call('list_invoices', { customerId: big, limit: 10 })).structuredContent;
      const list = await summary.call('list_invoices', { customerId: big, limit: 10 });
      const text = textOf(list);
      expect(text).not.toContain('\n');
      expect(text.length).toBeLessThan(200);
      expect(text).toBe(`list_invoices: 10 items, total ${json.total}, hasMore, nextOffset 10; full data in structuredContent (correlationId ${list.structuredContent.correlationId})`);
      expect({ ...list.structuredContent, correlationId: 'x' }).toEqual({ ...json, correlationId: 'x' });

      const one = await summary.call('get_invoice', { customerId: customer, invoiceNo: FIX.acme.invoiceNo });
      expect(textOf(one)).toBe(`get_invoice: invoice invoiceNo ${FIX.acme.invoiceNo}; full data in structuredContent (correlationId ${one.structuredContent.correlationId})`);
      expect(one.structuredContent.invoice.lines.length).toBeGreaterThan(0);

      const failed = await summary.call('list_invoices', { customerId: customer, fields: ['bogus'] });
      expect(failed.isError).toBe(true);
      expect(textOf(failed)).toContain('bogus');
      expect(textOf(failed)).toContain('invoiceNo, customerId');
    } finally {
      await summary.close();
    }
  });
});

describe('--result-text over stdio (dist/cli.js --sandbox)', () => {
  it('summary: one short text line beside the whole structuredContent, validated by the SDK Client', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, '--sandbox', '--result-text', 'summary'], env: cleanEnv(), stderr: 'pipe' });
    const client = new Client({ name: 'result-text-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      await client.listTools();
      const result = await client.callTool({ name: 'list_invoices', arguments: { customerId: big, limit: 10 } });
      expect(result.isError).toBeFalsy();
      const s = result.structuredContent as Structured;
      expect(s.items).toHaveLength(10);
      expect(textOf(result as { content: unknown[] })).toBe(
        `list_invoices: 10 items, total ${s.total}, hasMore, nextOffset 10; full data in structuredContent (correlationId ${s.correlationId})`,
      );
    } finally {
      await client.close();
    }
  }, 30_000);
});
