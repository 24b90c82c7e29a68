#!/usr/bin/env node
/**
 * `npm run demo`: a real MCP client spawns the built server over stdio in sandbox mode and walks the
 * search-to-order workflow, printing each call, a compact result and its correlation id.
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

type Structured = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const cli = fileURLToPath(new URL('./cli.js', import.meta.url));
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);

const client = new Client({ name: 'customer-api-mcp-demo', version: '1.0.0' });
const transport = new StdioClientTransport({
  command: process.execPath,
  args: [cli, '--sandbox'],
  env: { LOG_LEVEL: 'warn' },
  stderr: 'inherit',
});

let step = 0;
async function call(name: string, args: Record<string, unknown>, summarise: (r: Structured) => string): Promise<Structured> {
  step++;
  process.stdout.write(`\n${bold(`${step}. ${name}`)} ${dim(JSON.stringify(args))}\n`);
  const result = await client.callTool({ name, arguments: args });
  const structured = (result.structuredContent ?? {}) as Structured;
  if (result.isError) {
    process.stdout.write(`   ✗ ${structured.error?.message ?? JSON.stringify(result.content)}\n`);
    throw new Error(`${name} failed (correlationId ${structured.correlationId})`);
  }
  process.stdout.write(`   ${summarise(structured)}\n   ${dim(`correlationId ${structured.correlationId}`)}\n`);
  return structured;
}

try {
  await client.connect(transport);
  const { tools } = await client.listTools();
  process.stdout.write(`${bold('customer-api-mcp demo')}: connected over stdio to the sandbox, ${tools.length} tools offered\n`);

  const { user } = await call('lookup_user', { userId: 12345 }, ({ user: u }) =>
    `${u.firstName} ${u.lastName} <${u.email}>, contactId ${u.contactId}, ${u.shippingAddresses?.length ?? 0} shipping / ${u.billingAddresses?.length ?? 0} billing addresses`,
  );
  const facility = user.companies?.[0]?.facilities?.[0] ?? user.companies?.[0];
  const shipping = user.shippingAddresses?.find((a: Structured) => a.isDefault) ?? user.shippingAddresses?.[0];
  const billing = user.billingAddresses?.[0];

  const parts = await call('search_parts', { keyword: 'probe', limit: 5 }, (r) =>
    `${r.total} parts match; first: ${r.items.map((p: Structured) => `${p.productId} ${p.description}`).slice(0, 2).join(' | ')}`,
  );
  const productId = parts.items[0].productId as string;

  const { part } = await call('get_part_detail', { productId, requesterId: user.contactId }, ({ part: p }) =>
    `${p.description}: ${p.options.length} price options: ${p.options
      .map((o: Structured) => `${o.condition} $${o.price}`)
      .join(', ')}`,
  );
  const option = part.options.find((o: Structured) => !o.requiredFields?.length) ?? part.options[0];

  const placed = await call(
    'create_order',
    {
      requesterId: user.contactId,
      facilityId: facility.id,
      shippingAddressId: shipping.id,
      billingAddressId: billing.id,
      shippingMethod: 'GROUND',
      poNumber: 'PO-DEMO-1',
      items: [{ priceOptionId: option.priceOptionId, productId, quantity: 1, price: option.price }],
    },
    (r) => `order ${r.order.orderId} ${r.order.status}, idempotencyKey ${r.idempotencyKey}`,
  );

  await call('get_order', { orderId: placed.order.orderId }, ({ order }) =>
    `order ${order.orderId}: ${order.status}, ${order.lineItems?.length ?? 0} line(s), PO ${order.poNumber}`,
  );

  process.stdout.write(`\n${bold('Augur customers service')}: account review\n`);
  const customers = await call('lookup_customer', { q: 'Riverside' }, (r) =>
    `${r.total} match: ${r.items.map((c: Structured) => `${c.customerId} ${c.customerName}`).join(', ')}`,
  );
  const customerId = customers.items[0].customerId;
  const invoices = await call('list_invoices', { customerId, paidInFull: false, limit: 3 }, (r) =>
    `${r.total} unpaid invoices; first: ${r.items
      .map((i: Structured) => `${i.invoiceNo} ${i.invoiceDate} $${i.totalAmount} (paid $${i.amountPaid})`)
      .join(' | ')}`,
  );
  if (invoices.items.length > 0) {
    await call('get_invoice', { customerId, invoiceNo: invoices.items[0].invoiceNo }, ({ invoice }) =>
      `invoice ${invoice.invoiceNo}: ${invoice.lines?.length ?? 0} line(s), total $${invoice.totalAmount}, PO ${invoice.poNo ?? '-'}`,
    );
  }
  const orders = await call('list_customer_orders', { customerId, limit: 3 }, (r) =>
    // The list leaves out cancelled and deleted orders only: completed ones are in it, so each says which it is.
    `${r.total} orders (cancelled and deleted ones left out); newest: ${r.items
      .map((o: Structured) => `${o.orderNo} ${o.orderDate ?? ''} ${o.completed === 'Y' ? 'completed' : 'open'}`)
      .join(' | ')}`,
  );
  if (orders.items.length > 0) {
    await call('get_customer_order', { customerId, orderNo: orders.items[0].orderNo }, ({ order }) =>
      `order ${order.orderNo}: ${order.orderStatus}, ${order.lines?.length ?? 0} line(s), ${order.pickTickets?.length ?? 0} pick ticket(s)`,
    );
  }
  process.stdout.write(`\n${bold('Done.')} Connect your own client: see README.md.\n`);
} finally {
  await client.close();
}
