import * as z from 'zod';
import { Manufacturer } from '../../clients/partssource-schemas.js';
import { pageArgs, pageFacts, paging } from '../schema-parts.js';
import { defineTool } from '../define.js';

export const searchManufacturers = defineTool({
  name: 'search_manufacturers',
  title: 'Search manufacturers',
  description:
    'Find manufacturers and their manufacturerId (a search_parts filter). q examples: name~"philips", manufacturerId:26799.',
  upstream: 'partssource',
  group: 'catalog',
  input: z
    .object({
      q: z.string().trim().min(1).max(1000).describe('Search expression over name (String) and manufacturerId (Numeric).'),
      ...pageArgs(100),
    })
    .strict(),
  output: { items: z.array(Manufacturer), ...pageFacts },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(args, { clients, call }) {
    const result = await clients.partssource.searchManufacturers(args, call);
    const { items, pagination } = result.data;
    return { data: { items, ...paging(pagination, items.length) }, correlationId: result.correlationId };
  },
});

export const manufacturerTools = [searchManufacturers];
