import * as z from 'zod';
import { CustomerTag } from '../../clients/augur-schemas.js';
import { DELETE, READ, WRITE, defineTool } from '../define.js';
import { listOutput, text } from '../schema-parts.js';
import { returns, returnsPage } from '../upstream-call.js';
import { augurPage, customerId, defined, numericAugurId, orderBy, statusArg, statusCd } from './common.js';

const customerTagsUid = numericAugurId('customerTagsUid from list_customer_tags.');
const tag = text(255);

export const listCustomerTags = defineTool({
  name: 'list_customer_tags',
  title: "List a customer's tags",
  description:
    "List a customer's tags, soft-deleted ones (statusCd 700) included.",
  upstream: 'augur',
  group: 'tags',
  endpoint: 'GET /customer/{customerId}/tags',
  input: z.object({ customerId, orderBy: orderBy('customer_tags_uid|ASC').optional(), ...augurPage() }).strict(),
  output: listOutput(CustomerTag),
  summaryFields: ['customerTagsUid', 'tag', 'statusCd', 'dateLastModified'],
  annotations: READ,
  handler: returnsPage(({ customerId, ...params }, { clients, call }) => clients.augur.listCustomerTags(customerId, params, call)),
});

export const getCustomerTag = defineTool({
  name: 'get_customer_tag',
  title: 'Get a customer tag',
  description: 'One customer tag, with its status and dates.',
  upstream: 'augur',
  group: 'tags',
  endpoint: 'GET /customer/{customerId}/tags/{customerTagsUid}',
  input: z.object({ customerId, customerTagsUid }).strict(),
  output: { tag: CustomerTag },
  annotations: READ,
  handler: returns('tag', (args, { clients, call }) => clients.augur.getCustomerTag(args.customerId, args.customerTagsUid, call)),
});

export const addCustomerTag = defineTool({
  name: 'add_customer_tag',
  title: 'Add a tag to a customer',
  description:
    'Tag a customer; a tag it has or had with this text is restored, not duplicated. Returns its customerTagsUid.',
  upstream: 'augur',
  group: 'tags',
  endpoint: 'POST /customer/{customerId}/tags',
  input: z.object({ customerId, tag }).strict(),
  output: { tag: CustomerTag },
  annotations: WRITE,
  handler: returns('tag', (args, { clients, call }) => clients.augur.createCustomerTag(args.customerId, { tag: args.tag }, call)),
});

export const updateCustomerTag = defineTool({
  name: 'update_customer_tag',
  title: 'Update a customer tag',
  description:
    "Change a customer tag's text and/or status.",
  upstream: 'augur',
  group: 'tags',
  endpoint: 'PUT /customer/{customerId}/tags/{customerTagsUid}',
  input: z
    .object({ customerId, customerTagsUid, tag: tag.optional(), status: statusArg.optional() })
    .strict()
    .refine((a) => a.tag !== undefined || a.status !== undefined, { message: 'give tag and/or status' }),
  output: { tag: CustomerTag },
  annotations: WRITE,
  handler: returns('tag', (args, { clients, call }) =>
    clients.augur.updateCustomerTag(args.customerId, args.customerTagsUid, defined({ tag: args.tag, statusCd: statusCd(args.status) }), call),
  ),
});

export const deleteCustomerTag = defineTool({
  name: 'delete_customer_tag',
  title: 'Delete a customer tag',
  description:
    'Soft-delete a customer tag (statusCd 700); add_customer_tag with its text restores it.',
  upstream: 'augur',
  group: 'tags',
  endpoint: 'DELETE /customer/{customerId}/tags/{customerTagsUid}',
  input: z.object({ customerId, customerTagsUid }).strict(),
  output: { tag: CustomerTag },
  annotations: DELETE,
  handler: returns('tag', (args, { clients, call }) => clients.augur.deleteCustomerTag(args.customerId, args.customerTagsUid, call)),
});

export const tagTools = [listCustomerTags, getCustomerTag, addCustomerTag, updateCustomerTag, deleteCustomerTag];
