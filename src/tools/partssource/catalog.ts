import * as z from 'zod';
import { CatalogDetail, CatalogItem } from '../../clients/partssource-schemas.js';
import { READ, defineTool } from '../define.js';
import { listOutput, pageArgs, positiveId, sortDir, text } from '../schema-parts.js';
import { returns, returnsPage } from '../upstream-call.js';

export const searchParts = defineTool({
  name: 'search_parts',
  title: 'Search the parts catalog',
  description:
    'Search the PartsSource catalog by keyword, manufacturerId, manufacturer name or OEM partNumber (at least one).',
  upstream: 'partssource',
  group: 'catalog',
  endpoint: 'POST /catalog/search',
  input: z
    .object({
      keyword: text(200).optional(),
      manufacturerId: positiveId('manufacturerId from search_manufacturers.').optional(),
      manufacturer: text(200).optional(),
      partNumber: text(100).optional(),
      ...pageArgs(200),
      sortBy: z
        .enum(['PartNumber', 'Description', 'Manufacturer', 'Price', 'QuantityAvailable'])
        .optional(),
      sortDir: sortDir.optional(),
    })
    .strict()
    .refine((a) => a.keyword || a.manufacturerId || a.manufacturer || a.partNumber, {
      message: 'give a keyword or at least one filter (manufacturerId, manufacturer, partNumber)',
    }),
  output: listOutput(CatalogItem),
  summaryFields: ['productId', 'partNumber', 'description', 'manufacturer', 'manufacturerId', 'price', 'quantityAvailable'],
  annotations: READ,
  // Flat arguments in, the catalog search body out: filters and paging nested, absent ones left out.
  handler: returnsPage((args, { clients, call }) => {
    const filters = {
      ...(args.manufacturerId !== undefined ? { manufacturerId: args.manufacturerId } : {}),
      ...(args.manufacturer ? { manufacturer: args.manufacturer } : {}),
      ...(args.partNumber ? { partNumber: args.partNumber } : {}),
    };
    const pagination = {
      limit: args.limit,
      offset: args.offset,
      ...(args.sortBy ? { sortBy: args.sortBy } : {}),
      ...(args.sortDir ? { sortDir: args.sortDir } : {}),
    };
    const search = { ...(args.keyword ? { keyword: args.keyword } : {}), ...(Object.keys(filters).length ? { filters } : {}), pagination };
    return clients.partssource.searchCatalog(search, call);
  }),
});

export const getPartDetail = defineTool({
  name: 'get_part_detail',
  title: 'Get a part with its price options',
  description:
    'A part and its price options for a requester; an option\'s priceOptionId and exact price go into create_order (valid 30 days).',
  upstream: 'partssource',
  group: 'catalog',
  endpoint: 'GET /catalog/detail',
  input: z
    .object({
      productId: text(100, 'productId from search_parts.'),
      requesterId: positiveId('contactId from lookup_user.'),
    })
    .strict(),
  output: { part: CatalogDetail },
  annotations: READ,
  handler: returns('part', (args, { clients, call }) => clients.partssource.getCatalogDetail(args, call)),
});

export const catalogTools = [searchParts, getPartDetail];
