import * as z from 'zod';
import { RefreshResult } from '../../clients/augur-schemas.js';
import { WRITE, defineTool } from '../define.js';

export const refreshCustomerData = defineTool({
  name: 'refresh_customer_data',
  title: 'Trigger an Augur data refresh (deprecated)',
  description:
    'Deprecated: the current Augur SDK dropped these triggers. Asks Augur to refresh one dataset from P21: contacts, oe_contacts_customer or ship_to. Operator use only.',
  upstream: 'augur',
  admin: true,
  group: 'admin',
  endpoint: ['GET /contacts/refresh', 'GET /oe-contacts-customer/refresh', 'GET /ship-to/refresh'],
  input: z
    .object({
      dataset: z.enum(['contacts', 'oe_contacts_customer', 'ship_to']).describe('The dataset to refresh.'),
    })
    .strict(),
  output: { dataset: z.string(), refresh: RefreshResult },
  annotations: WRITE,
  auditTarget: ({ dataset }) => ({ dataset }),
  async handler({ dataset }, { clients, call }) {
    const { data: refresh, correlationId } = await clients.augur.refresh(dataset, call);
    return { data: { dataset, refresh }, correlationId };
  },
});

export const adminTools = [refreshCustomerData];
