import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import { AugurClient, type AugurConfig } from '../../src/clients/augur.js';
import { silentLogger } from '../../src/logger.js';
import type { AugurSiteFixtures } from '../../src/sandbox/augur/index.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { createMcpServer } from '../../src/server.js';
import type { UpstreamClients } from '../../src/clients/types.js';
import type { AnyTool } from '../../src/tools/define.js';
import { healthTools } from '../../src/tools/health.js';
import { ALL_TOOLS } from '../../src/tools/index.js';
import { expectCorrelationId, type Structured } from './harness.js';

/** Shared plumbing of the Augur tool tests: a real server and SDK Client in memory, a real AugurClient, the sandbox. */

export type Result = CallToolResult & { structuredContent: Structured };

/** Every tool the server may offer, check_health included even before the registry lists it. */
export const TOOLS: AnyTool[] = [...ALL_TOOLS, ...healthTools.filter((t) => !ALL_TOOLS.some((a) => a.name === t.name))];

export interface Connected {
  client: Client;
  /** Calls a tool through the SDK Client; every result (success or error) must carry a correlationId. */
  call(name: string, args?: Record<string, unknown>): Promise<Result>;
  toolNames(): Promise<string[]>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  enableAdmin?: boolean;
  /** The list-result byte cap (default: the server's 50 000; 0 = none). */
  maxResultBytes?: number;
  /** Sees every result (e.g. to track which tools have succeeded and failed). */
  onResult?: (name: string, result: Result) => void;
}

export async function connect(clients: UpstreamClients, options: ConnectOptions = {}): Promise<Connected> {
  const server = createMcpServer({
    clients,
    log: silentLogger(),
    enableAdmin: options.enableAdmin ?? true,
    tools: TOOLS,
    ...(options.maxResultBytes !== undefined ? { maxResultBytes: options.maxResultBytes } : {}),
  });
  const client = new Client({ name: 'augur-test', version: '1.0.0' });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  await client.listTools(); // lets the client validate structured results against the output schemas
  return {
    client,
    async call(name, args = {}) {
      const result = (await client.callTool({ name, arguments: args })) as Result;
      expectCorrelationId(result);
      options.onResult?.(name, result);
      return result;
    },
    async toolNames() {
      return (await client.listTools()).tools.map((t) => t.name).sort();
    },
    async close() {
      await client.close();
      await server.close();
    },
  };
}

export const augurClient = (sandbox: Sandbox, site: { siteId: string; token: string }, extra: Partial<AugurConfig> = {}) =>
  new AugurClient({ baseUrl: sandbox.augur.baseUrl, siteId: site.siteId, token: site.token, timeoutMs: 5_000, ...extra });

export const ok = (result: Result, what = '') => {
  expect(result.isError, `${what} ${JSON.stringify(result.structuredContent).slice(0, 400)}`).toBeFalsy();
  return result.structuredContent;
};

export const failed = (result: Result, code: string, what = '') => {
  expect(result.isError, `${what} ${JSON.stringify(result.structuredContent).slice(0, 400)}`).toBe(true);
  expect(result.structuredContent.error.code, `${what} ${result.structuredContent.error.message}`).toBe(code);
  return result.structuredContent.error as Structured;
};

/** Everything a result shows the agent: its text content and its structured content. */
export const resultText = (result: Result) =>
  [...result.content.map((c) => (c.type === 'text' ? c.text : '')), JSON.stringify(result.structuredContent)].join('\n');

/** The seed's data ends on this day (sandbox seed.ts SEED_END). */
export const AS_OF = '2026-10-31';
export const USAGE_FROM = '2026-01-01';

/**
 * Valid arguments for every Augur tool, built from one site's fixture ids. With the site's own client each call
 * succeeds (and finds rows); with another site's client each is a probe for that site's rows.
 */
export function toolArgs(fix: AugurSiteFixtures): Record<string, Record<string, unknown>> {
  const customerId = fix.customerId;
  return {
    lookup_customer: { q: fix.customerQuery },
    list_customers: { q: fix.customerName },
    get_customer: { customerId },
    list_customer_contacts: { customerId },
    create_customer_contact: { customerId, firstName: 'Probe', lastName: 'Contact' },
    get_contact: { contactId: fix.contactId },
    get_contact_web_allowance: { contactId: fix.contactId },
    get_contact_custom_fields: { contactId: fix.contactId },
    list_salesrep_customers: { contactId: fix.salesRepContactId },
    list_ship_to_addresses: { customerId },
    create_ship_to_address: { customerId, name: 'Probe dock', mailAddress1: '1 Probe St' },
    lookup_ship_to_address: { customerId },
    list_freight_codes: { customerId, shipToId: fix.shipToId },
    search_customer_addresses: { customerId, q: fix.customerQuery },
    list_customer_addresses: { customerId },
    get_customer_address: { customerId, customerAddressUid: fix.customerAddressUid },
    create_customer_address: { customerId, name: 'Probe address', city: 'Probeville' },
    update_customer_address: { customerId, customerAddressUid: fix.customerAddressUid, city: 'Probeville' },
    delete_customer_address: { customerId, customerAddressUid: fix.customerAddressUid },
    list_customer_tags: { customerId },
    get_customer_tag: { customerId, customerTagsUid: fix.customerTagsUid },
    add_customer_tag: { customerId, tag: 'probe-tag' },
    update_customer_tag: { customerId, customerTagsUid: fix.customerTagsUid, tag: 'probe-renamed' },
    delete_customer_tag: { customerId, customerTagsUid: fix.customerTagsUid },
    list_invoices: { customerId },
    get_invoice: { customerId, invoiceNo: fix.invoiceNo },
    get_customer_aging: { customerId, asOf: AS_OF },
    list_customer_orders: { customerId },
    get_customer_order: { customerId, orderNo: fix.orderNo },
    list_quotes: { customerId },
    get_quote: { customerId, quoteNo: fix.quoteNo },
    list_rmas: { customerId },
    get_rma: { customerId, rmaNo: fix.rmaNo },
    list_purchased_items: { customerId },
    get_sales_usage: { customerId, invoicedFrom: USAGE_FROM, invoicedTo: AS_OF },
    refresh_customer_data: { dataset: 'contacts' },
  };
}

/** Per tool, the arguments that go into the URL path (every Augur path placeholder is a numeric id). */
export const PATH_ID_ARGS: Record<string, string[]> = {
  get_customer: ['customerId'],
  list_customer_contacts: ['customerId'],
  create_customer_contact: ['customerId'],
  get_contact: ['contactId'],
  get_contact_web_allowance: ['contactId'],
  get_contact_custom_fields: ['contactId'],
  list_salesrep_customers: ['contactId'],
  list_ship_to_addresses: ['customerId'],
  create_ship_to_address: ['customerId'],
  lookup_ship_to_address: ['customerId'],
  list_freight_codes: ['customerId', 'shipToId'],
  search_customer_addresses: ['customerId'],
  list_customer_addresses: ['customerId'],
  get_customer_address: ['customerId', 'customerAddressUid'],
  create_customer_address: ['customerId'],
  update_customer_address: ['customerId', 'customerAddressUid'],
  delete_customer_address: ['customerId', 'customerAddressUid'],
  list_customer_tags: ['customerId'],
  get_customer_tag: ['customerId', 'customerTagsUid'],
  add_customer_tag: ['customerId'],
  update_customer_tag: ['customerId', 'customerTagsUid'],
  delete_customer_tag: ['customerId', 'customerTagsUid'],
  list_invoices: ['customerId'],
  get_invoice: ['customerId', 'invoiceNo'],
  get_customer_aging: ['customerId'],
  list_customer_orders: ['customerId'],
  get_customer_order: ['customerId', 'orderNo'],
  list_quotes: ['customerId'],
  get_quote: ['customerId', 'quoteNo'],
  list_rmas: ['customerId'],
  get_rma: ['customerId', 'rmaNo'],
  list_purchased_items: ['customerId'],
  get_sales_usage: ['customerId'],
};

/** Id arguments that go into the query string instead (same validation: nothing malformed is sent). */
export const QUERY_ID_ARGS: Record<string, string[]> = {
  list_invoices: ['shipToId'],
  get_customer_aging: ['shipToId'],
  get_sales_usage: ['shipToId'],
  list_customer_orders: ['contactId'],
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `condition` holds or `timeoutMs` passes; returns whether it held. */
export async function waitUntil(condition: () => boolean, timeoutMs = 3_000, stepMs = 20): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) return false;
    await sleep(stepMs);
  }
  return true;
}
