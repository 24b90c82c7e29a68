import * as z from 'zod';
import { FreightCode, ShipTo, ShipToLookupItem } from '../../clients/augur-schemas.js';
import { passThroughRecord } from '../common.js';
import { defineTool } from '../define.js';
import { READ, WRITE, augurId, augurPage, call, customerId, defined, listOutput, orderBy, pageResult, text } from './common.js';

const shipToId = augurId('shipToId from list_ship_to_addresses or lookup_ship_to_address (id).');

export const listShipToAddresses = defineTool({
  name: 'list_ship_to_addresses',
  title: "List a customer's ship-to addresses",
  description:
    "List a customer's ship-tos with their addresses, default branch, carrier and route. shipToId feeds list_invoices, list_freight_codes and get_customer_aging. For a text search use lookup_ship_to_address.",
  upstream: 'augur',
  group: 'addresses',
  input: z
    .object({
      customerId,
      q: text(200, 'Name or street text.').optional(),
      orderBy: orderBy('date_created|DESC').optional(),
      ...augurPage(),
    })
    .strict(),
  output: listOutput(ShipTo),
  annotations: READ,
  async handler({ customerId, ...params }, ctx) {
    const result = await ctx.clients.augur.listShipTo(customerId, params, call(ctx));
    return { data: pageResult(result.data), correlationId: result.correlationId };
  },
});

export const lookupShipToAddress = defineTool({
  name: 'lookup_ship_to_address',
  title: 'Look up ship-to addresses',
  description:
    "Search a customer's ship-to addresses by name or mail address line 1 (omit q to list them). Returns id (= shipToId), name and address.",
  upstream: 'augur',
  group: 'addresses',
  input: z
    .object({
      customerId,
      q: text(200, 'Name or street text, e.g. "warehouse".').optional(),
      orderBy: orderBy('name|ASC').optional(),
      ...augurPage(),
    })
    .strict(),
  output: listOutput(ShipToLookupItem),
  annotations: READ,
  async handler({ customerId, ...params }, ctx) {
    const result = await ctx.clients.augur.lookupShipTo(customerId, params, call(ctx));
    return { data: pageResult(result.data), correlationId: result.correlationId };
  },
});

export const listFreightCodes = defineTool({
  name: 'list_freight_codes',
  title: "Get a ship-to's freight code",
  description:
    "Get the freight code of one of a customer's ship-tos (code, description, incoming/outgoing and free-freight rules). not_found when it has none. shipToId from list_ship_to_addresses.",
  upstream: 'augur',
  group: 'addresses',
  input: z.object({ customerId, shipToId }).strict(),
  output: { freightCode: FreightCode },
  annotations: READ,
  async handler(args, ctx) {
    const result = await ctx.clients.augur.getShipToFreightCodes(args.customerId, args.shipToId, call(ctx));
    return { data: { freightCode: result.data }, correlationId: result.correlationId };
  },
});

/** An optional text field; `what` only where the name does not say it already. */
const field = (max: number, what?: string) => (what ? z.string().trim().max(max).describe(what) : z.string().trim().max(max)).optional();

export const createShipToAddress = defineTool({
  name: 'create_ship_to_address',
  title: 'Create a ship-to address',
  description:
    'Create a Prophet 21 ship-to for a customer. Returns only created: true (no new id); find it afterwards with list_ship_to_addresses. otherFields passes further P21 ship-to fields through as sent.',
  upstream: 'augur',
  group: 'addresses',
  input: z
    .object({
      customerId,
      name: text(50, 'Ship-to name, e.g. "North warehouse".'),
      mailAddress1: text(50, 'Street line 1.'),
      mailAddress2: field(50),
      mailAddress3: field(50),
      mailCity: field(50, 'City.'),
      mailState: field(50),
      mailPostalCode: field(10, 'Postal code.'),
      mailCountry: field(50, 'Country.'),
      centralPhoneNumber: field(20),
      deliveryInstructions: field(255, 'Delivery instructions.'),
      otherFields: passThroughRecord('Further P21 ship-to fields (e.g. defaultBranch), sent as given at the top level.')
        .optional(),
    })
    .strict(),
  output: { created: z.boolean().describe('What the service answered (true when the ship-to was created).') },
  annotations: WRITE,
  async handler({ customerId, deliveryInstructions, otherFields, ...address }, ctx) {
    const body = { ...otherFields, ...defined({ deliveryInstructions }), shipToAddress: defined(address) };
    const result = await ctx.clients.augur.createShipTo(customerId, body, call(ctx));
    return { data: { created: result.data }, correlationId: result.correlationId };
  },
});

export const shipToTools = [listShipToAddresses, createShipToAddress, lookupShipToAddress, listFreightCodes];
