import * as z from 'zod';
import { FreightCode, ShipTo, ShipToLookupItem } from '../../clients/augur-schemas.js';
import { READ, WRITE, defineTool } from '../define.js';
import { listOutput, optionalText as field, passThroughRecord, text } from '../schema-parts.js';
import { returnsPage } from '../upstream-call.js';
import { augurPage, customerId, defined, numericAugurId, orderBy } from './common.js';
import { createAndReadBack, isNotFound } from './read-back.js';

/** How many ship-tos (pages of 100) are read to tell "no freight code" from "not this customer's ship-to". */
const MAX_SHIP_TO_PAGES = 5;

const shipToId = numericAugurId('shipToId from list_ship_to_addresses.');

export const listShipToAddresses = defineTool({
  name: 'list_ship_to_addresses',
  title: "List a customer's ship-to addresses",
  description:
    "List a customer's ship-tos with address, default branch, carrier and route.",
  upstream: 'augur',
  group: 'addresses',
  endpoint: 'GET /customer/{customerId}/ship-to',
  input: z
    .object({
      customerId,
      q: text(200, 'Name or street.').optional(),
      orderBy: orderBy('date_created|DESC').optional(),
      ...augurPage(),
    })
    .strict(),
  output: listOutput(ShipTo),
  summaryFields: ['shipToId', 'defaultBranch', 'defaultCarrierId', 'preferredLocationId', 'address'],
  annotations: READ,
  handler: returnsPage(({ customerId, ...params }, { clients, call }) => clients.augur.listShipTo(customerId, params, call)),
});

export const lookupShipToAddress = defineTool({
  name: 'lookup_ship_to_address',
  title: 'Look up ship-to addresses',
  description:
    "Search a customer's ship-tos by name or street: id (= shipToId), name, address.",
  upstream: 'augur',
  group: 'addresses',
  endpoint: 'GET /customer/{customerId}/ship-to/lookup',
  input: z
    .object({
      customerId,
      q: text(200).optional(),
      orderBy: orderBy('name|ASC').optional(),
      ...augurPage(),
    })
    .strict(),
  output: listOutput(ShipToLookupItem),
  summaryFields: ['id', 'name', 'mailAddress1', 'mailCity', 'mailState', 'mailPostalCode', 'defaultBranch'],
  annotations: READ,
  handler: returnsPage(({ customerId, ...params }, { clients, call }) => clients.augur.lookupShipTo(customerId, params, call)),
});

export const listFreightCodes = defineTool({
  name: 'list_freight_codes',
  title: "Get a ship-to's freight code",
  description:
    "A customer's ship-to freight code (code, description, freight rules); null if none.",
  upstream: 'augur',
  group: 'addresses',
  endpoint: [
    'GET /customer/{customerId}/ship-to/{shipToId}/freight-codes',
    'GET /customer/{customerId}/ship-to (on a 404)',
  ],
  input: z.object({ customerId, shipToId }).strict(),
  output: { freightCode: FreightCode.nullable() },
  annotations: READ,
  async handler(args, { clients, call }) {
    const augur = clients.augur;
    try {
      const result = await augur.getShipToFreightCodes(args.customerId, args.shipToId, call);
      return { data: { freightCode: result.data }, correlationId: result.correlationId };
    } catch (error) {
      // 404 means "not this customer's ship-to, or no freight code" (reference §2.3.12): the customer's ship-to
      // list tells them apart. Not found there (or too many to look through), the 404 stands.
      if (!isNotFound(error)) throw error;
      const wanted = String(args.shipToId);
      for (let pageNo = 0; pageNo < MAX_SHIP_TO_PAGES; pageNo++) {
        const page = await augur.listShipTo(args.customerId, { limit: 100, offset: pageNo * 100 }, call);
        if (page.data.items.some((shipTo) => String(shipTo.shipToId) === wanted)) {
          return { data: { freightCode: null }, correlationId: page.correlationId };
        }
        if (!page.data.hasMore) break;
      }
      throw error;
    }
  },
});

export const createShipToAddress = defineTool({
  name: 'create_ship_to_address',
  title: 'Create a ship-to address',
  description:
    'Create a P21 ship-to for a customer; returns its shipToId (null with a note if unclear).',
  upstream: 'augur',
  group: 'addresses',
  endpoint: [
    'POST /customer/{customerId}/ship-to',
    'GET /customer/{customerId}/ship-to/lookup (before and after, to read back the id)',
  ],
  input: z
    .object({
      customerId,
      name: text(50),
      mailAddress1: text(50),
      mailAddress2: field(50),
      mailAddress3: field(50),
      mailCity: field(50),
      mailState: field(50),
      mailPostalCode: field(10),
      mailCountry: field(50),
      centralPhoneNumber: field(20),
      deliveryInstructions: field(255),
      otherFields: passThroughRecord('More P21 fields, e.g. defaultBranch.')
        .optional(),
    })
    .strict(),
  output: {
    created: z.boolean().describe('What the service answered (true when the ship-to was created).'),
    shipToId: z.number().int().nullable().describe('The new shipToId; null when not known.'),
    note: z.string().optional(),
  },
  annotations: WRITE,
  async handler({ customerId, deliveryInstructions, otherFields, ...address }, { clients, call }) {
    const body = { ...otherFields, ...defined({ deliveryInstructions }), shipToAddress: defined(address) };
    const augur = clients.augur;
    const same = (a: string | null | undefined, b: string) => (a ?? '').trim().toLowerCase() === b.toLowerCase();
    // The service answers `true` only: the new ship-to is the one lookup row with this name and street that the same
    // lookup did not hold before.
    const outcome = await createAndReadBack({
      list: async () => (await augur.lookupShipTo(customerId, { q: address.name, orderBy: 'date_created|DESC', limit: 100 }, call)).data,
      idOf: (row) => row.id,
      matches: (row) => same(row.name, address.name) && same(row.mailAddress1, address.mailAddress1),
      create: () => augur.createShipTo(customerId, body, call),
      findWith: `lookup_ship_to_address (q "${address.name}")`,
    });
    return {
      data: { created: outcome.created, shipToId: outcome.id === null ? null : Number(outcome.id), ...(outcome.note ? { note: outcome.note } : {}) },
      correlationId: outcome.correlationId,
    };
  },
});

export const shipToTools = [listShipToAddresses, createShipToAddress, lookupShipToAddress, listFreightCodes];
