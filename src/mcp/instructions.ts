import type { AnyTool } from '../tools/define.js';

/**
 * The server's `instructions`, written from the tools actually offered: an agent on an Augur-only or read-only
 * server must not be told about an ordering workflow it cannot run. Each workflow names only offered tools.
 */
export function serverInstructions(tools: ReadonlyArray<Pick<AnyTool, 'name' | 'upstream'>>): string {
  const offered = new Set(tools.map((tool) => tool.name));
  const has = (name: string) => offered.has(name);
  const chain = (...names: string[]) => names.filter(has).join(' → ');
  const partssource = tools.some((tool) => tool.upstream === 'partssource');
  const augur = tools.some((tool) => tool.upstream === 'augur');

  const services = [partssource && 'the PartsSource Customer API (parts catalog, orders, users)', augur && 'the Augur customers service']
    .filter(Boolean)
    .join(' and ');
  const lines: string[] = [`Tools over ${services || 'no upstream service'}.`];

  if (has('create_order')) {
    lines.push(`Ordering: ${chain('lookup_user', 'search_parts', 'get_part_detail', 'create_order', 'get_order')}.`);
  } else if (partssource) {
    const parts = chain('lookup_user', 'search_parts', 'get_part_detail');
    const orders = chain('search_orders', 'get_order');
    lines.push(
      `PartsSource, read-only (no orders can be placed here):${parts ? ` find and price parts with ${parts}` : ''}${parts && orders ? ';' : ''}${orders ? ` existing orders with ${orders}` : ''}.`,
    );
  }

  if (augur) {
    const start = chain('lookup_customer', 'get_customer');
    const next = [
      chain('list_invoices', 'get_invoice'),
      chain('list_customer_orders', 'get_customer_order'),
      chain('list_ship_to_addresses', 'list_freight_codes'),
      chain('list_customer_contacts', 'get_contact'),
      chain('get_customer_aging'),
    ].filter(Boolean);
    const flow = [start, next.length ? `then, with its customerId: ${next.join('; ')}` : ''].filter(Boolean).join(', ');
    if (flow) lines.push(`Augur: ${flow}.`);
  }

  lines.push(
    'Every result carries a correlationId; quote it when reporting a problem. Errors say what to do next.',
    'List results page with limit/offset (nextOffset while hasMore; truncated when cut to the size budget).',
    'List items are compact by default (the fields for choosing the next call, no nulls); detail "full" returns whole items, fields exactly the item fields named.',
    "Lines omit ids and numbers equal to their document's (orderNo, invoiceNo); addresses omit phys* lines equal to their mail* lines.",
  );
  return lines.join(' ');
}
