import * as z from 'zod';
import { CatalogDetail, CatalogItem } from '../../clients/partssource-schemas.js';
import { pageArgs, pageFacts, paging, positiveId, sortDir } from '../schema-parts.js';
import { defineTool } from '../define.js';

const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } as const;

export const searchParts = defineTool({
  name: 'search_parts',
  title: 'Search the parts catalog',
  description:
    'Search the PartsSource catalog by keyword and/or filters (manufacturerId from search_manufacturers, manufacturer name, partNumber); give at least one. Returns productIds for get_part_detail.',
  upstream: 'partssource',
  group: 'catalog',
  input: z
    .object({
      keyword: z.string().trim().min(1).max(200).describe('Words to match, e.g. "ultrasound probe".').optional(),
      manufacturerId: positiveId('Manufacturer id, e.g. 26799.').optional(),
      manufacturer: z.string().trim().min(1).max(200).describe('Manufacturer name.').optional(),
      partNumber: z.string().trim().min(1).max(100).describe('OEM part number.').optional(),
      ...pageArgs(200),
      sortBy: z
        .enum(['PartNumber', 'Description', 'Manufacturer', 'Price', 'QuantityAvailable'])
        .describe('Sort field.')
        .optional(),
      sortDir: sortDir.optional(),
    })
    .strict()
    .refine((a) => a.keyword || a.manufacturerId || a.manufacturer || a.partNumber, {
      message: 'give a keyword or at least one filter (manufacturerId, manufacturer, partNumber)',
    }),
  output: { items: z.array(CatalogItem), ...pageFacts },
  annotations: READ,
  async handler(args, { clients, call }) {
    const filters = {
      ...(args.manufacturerId !== undefined ? { manufacturerId: args.manufacturerId } : {}),
      ...(args.manufacturer ? { manufacturer: args.manufacturer } : {}),
      ...(args.partNumber ? { partNumber: args.partNumber } : {}),
    };
    const result = await clients.partssource.searchCatalog(
      {
        ...(args.keyword ? { keyword: args.keyword } : {}),
        ...(Object.keys(filters).length ? { filters } : {}),
        pagination: {
          limit: args.limit,
          offset: args.offset,
          ...(args.sortBy ? { sortBy: args.sortBy } : {}),
          ...(args.sortDir ? { sortDir: args.sortDir } : {}),
        },
      },
      call,
    );
    const { items, pagination } = result.data;
    return { data: { items, ...paging(pagination, items.length) }, correlationId: result.correlationId };
  },
});

export const getPartDetail = defineTool({
  name: 'get_part_detail',
  title: 'Get a part with its price options',
  description:
    'Get a part and its price options for a requester. productId comes from search_parts, requesterId is contactId from lookup_user. Each option\'s priceOptionId and exact price go into create_order; quotes are valid 30 days.',
  upstream: 'partssource',
  group: 'catalog',
  input: z
    .object({
      productId: z.string().trim().min(1).max(100).describe('From search_parts, e.g. CAT-123.'),
      requesterId: positiveId('contactId from lookup_user.'),
    })
    .strict(),
  output: { part: CatalogDetail },
  annotations: READ,
  async handler(args, { clients, call }) {
    const result = await clients.partssource.getCatalogDetail(args, call);
    return { data: { part: result.data }, correlationId: result.correlationId };
  },
});

export const catalogTools = [searchParts, getPartDetail];
