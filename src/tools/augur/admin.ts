import * as z from 'zod';
import { RefreshResult } from '../../clients/augur-schemas.js';
import { defineTool } from '../define.js';
import { call } from './common.js';

export const refreshCustomerData = defineTool({
  name: 'refresh_customer_data',
  title: 'Trigger an Augur data refresh (deprecated)',
  description:
    'Deprecated: the current Augur SDK dropped these triggers. Asks Augur to refresh one dataset from P21: contacts, oe_contacts_customer or ship_to. Operator use only.',
  upstream: 'augur',
  admin: true,
  group: 'admin',
  input: z
    .object({
      dataset: z.enum(['contacts', 'oe_contacts_customer', 'ship_to']).describe('The dataset to refresh.'),
    })
    .strict(),
  output: { dataset: z.string(), refresh: RefreshResult },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(args, ctx) {
    const result = await ctx.clients.augur.refresh(args.dataset, call(ctx));
    return { data: { dataset: args.dataset, refresh: result.data }, correlationId: result.correlationId };
  },
});

export const adminTools = [refreshCustomerData];
