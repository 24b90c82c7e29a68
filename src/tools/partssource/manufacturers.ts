import * as z from 'zod';
import { Manufacturer } from '../../clients/partssource-schemas.js';
import { READ, defineTool } from '../define.js';
import { listOutput, pageArgs, text } from '../schema-parts.js';
import { returnsPage } from '../upstream-call.js';

export const searchManufacturers = defineTool({
  name: 'search_manufacturers',
  title: 'Search manufacturers',
  description:
    'Find manufacturers and their manufacturerId (a search_parts filter); q e.g. name~"philips".',
  upstream: 'partssource',
  group: 'catalog',
  endpoint: 'GET /manufacturers/search',
  input: z
    .object({
      q: text(1000),
      ...pageArgs(100),
    })
    .strict(),
  output: listOutput(Manufacturer),
  summaryFields: ['manufacturerId', 'name'],
  annotations: READ,
  handler: returnsPage((args, { clients, call }) => clients.partssource.searchManufacturers(args, call)),
});

export const manufacturerTools = [searchManufacturers];
