import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';

/**
 * Prompt arguments are validated like tool arguments (the SDK refuses a bad one with InvalidParams), so that a
 * prompt never tells the agent to call a tool with an id that tool would refuse.
 */
const numericId = (what: string) => z.string().trim().regex(/^[1-9][0-9]{0,15}$/, 'must be a positive integer, e.g. 12345').describe(what);
const phrase = (max: number, what: string) => z.string().trim().min(1, 'must not be empty').max(max).describe(what);

/** Built once: stateless HTTP registers the prompts on a new server per request. */
const SEARCH_TO_ORDER_ARGS = {
  keyword: phrase(200, 'What to search for, e.g. "ultrasound probe".'),
  userId: numericId('PartsSource user id of the requester, e.g. 12345.').optional(),
};
const CUSTOMER_REVIEW_ARGS = {
  customerId: numericId('Augur customerId, if known.').optional(),
  customerName: phrase(200, 'Customer name or number text to look up, if the id is not known.').optional(),
};

/**
 * MCP prompts: guided tool sequences for the two main workflows. A prompt is offered only when the tools it
 * needs are (so a read-only or narrowed server never suggests a tool it does not list).
 */
export function registerPrompts(mcp: McpServer, offered: ReadonlySet<string>): void {
  const has = (...names: string[]) => names.every((name) => offered.has(name));
  const user = (text: string) => ({ messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }] });

  if (has('lookup_user', 'search_parts', 'get_part_detail')) {
    const canOrder = has('create_order');
    mcp.registerPrompt(
      'search_to_order',
      {
        title: 'Find a part and order it',
        description: 'Guides search_parts → get_part_detail → create_order → get_order for one user.',
        argsSchema: SEARCH_TO_ORDER_ARGS,
      },
      ({ keyword, userId }) =>
        user(
          [
            `Help me find and ${canOrder ? 'order' : 'price'} a part: "${keyword}".`,
            `1. Call lookup_user with ${userId ? `userId ${userId}` : 'my userId or username (ask me if you do not know it)'}; note contactId (the requesterId), companies[].facilities[].id, shippingAddresses[].id and billingAddresses[].id.`,
            `2. Call search_parts with keyword "${keyword}" (add manufacturerId from search_manufacturers if I name a maker); show me the best matches with price and availability.`,
            '3. For the part I choose, call get_part_detail with its productId and the requesterId; show the price options (priceOptionId, price, lead time).',
            canOrder
              ? '4. Confirm the option, quantity, facility, shipping and billing address and shipping method with me, then call create_order with those ids and the exact price. Keep the returned idempotencyKey: if the call fails or times out, call create_order again with the same arguments and that key instead of placing a new order.\n5. Call get_order with the orderId and tell me its status.'
              : '4. Ordering is not available on this server (read-only); summarise the options for me instead.',
            'Quote the correlationId of any error you report.',
          ].join('\n'),
        ),
    );
  }

  if (has('lookup_customer', 'get_customer')) {
    const steps = [
      has('get_customer_aging') && '- get_customer_aging (as of today): outstanding balance per aging bucket; flag anything over 60 days.',
      has('list_invoices') && '- list_invoices with paidInFull false: the open invoices.',
      has('list_customer_orders') && '- list_customer_orders: recent orders and their status.',
      has('list_purchased_items') && '- list_purchased_items: what they buy most.',
      has('list_customer_contacts') && '- list_customer_contacts: who to talk to.',
      has('list_ship_to_addresses') && '- list_ship_to_addresses: where they ship.',
    ].filter(Boolean);
    mcp.registerPrompt(
      'customer_account_review',
      {
        title: 'Review a customer account',
        description: 'Guides lookup_customer → get_customer → aging, invoices, orders and contacts for one Augur customer.',
        argsSchema: CUSTOMER_REVIEW_ARGS,
      },
      ({ customerId, customerName }) =>
        user(
          [
            'Review this customer account for me.',
            customerId
              ? `1. Call get_customer with customerId ${customerId}.`
              : `1. Call lookup_customer with q "${customerName ?? '(ask me for the name)'}", pick the matching customerId (ask me if several match), then call get_customer with it.`,
            '2. Then, with the same customerId:',
            ...steps,
            '3. Summarise: account terms and flags, balance and aging, recent activity, and anything that needs attention. Page with nextOffset only when needed, and pass fields to keep lists small.',
          ].join('\n'),
        ),
    );
  }
}
