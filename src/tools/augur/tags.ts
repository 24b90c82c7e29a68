import * as z from 'zod';
import { CustomerTag } from '../../clients/augur-schemas.js';
import { defineTool } from '../define.js';
import {
  DELETE,
  READ,
  WRITE,
  augurPage,
  call,
  customerId,
  defined,
  listOutput,
  orderBy,
  pageResult,
  statusArg,
  statusCd,
  text,
  numericAugurId,
} from './common.js';

const customerTagsUid = numericAugurId('customerTagsUid from list_customer_tags or add_customer_tag.');
const tag = text(255, 'Tag text, e.g. "key-account".');

export const listCustomerTags = defineTool({
  name: 'list_customer_tags',
  title: "List a customer's tags",
  description:
    "List a customer's tags, including soft-deleted ones (statusCd 700; 704 = active). customerTagsUid feeds the get/update/delete tag tools.",
  upstream: 'augur',
  group: 'tags',
  input: z.object({ customerId, orderBy: orderBy('customer_tags_uid|ASC').optional(), ...augurPage() }).strict(),
  output: listOutput(CustomerTag),
  annotations: READ,
  async handler({ customerId, ...params }, ctx) {
    const result = await ctx.clients.augur.listCustomerTags(customerId, params, call(ctx));
    return { data: pageResult(result.data), correlationId: result.correlationId };
  },
});

export const getCustomerTag = defineTool({
  name: 'get_customer_tag',
  title: 'Get a customer tag',
  description: 'Get one customer tag by customerTagsUid (from list_customer_tags), with its status.',
  upstream: 'augur',
  group: 'tags',
  input: z.object({ customerId, customerTagsUid }).strict(),
  output: { tag: CustomerTag },
  annotations: READ,
  async handler(args, ctx) {
    const result = await ctx.clients.augur.getCustomerTag(args.customerId, args.customerTagsUid, call(ctx));
    return { data: { tag: result.data }, correlationId: result.correlationId };
  },
});

export const addCustomerTag = defineTool({
  name: 'add_customer_tag',
  title: 'Add a tag to a customer',
  description:
    'Tag a customer. If the customer already has (or had, now deleted) a tag with this text, that tag is restored and refreshed instead of duplicated. Returns the tag with its customerTagsUid.',
  upstream: 'augur',
  group: 'tags',
  input: z.object({ customerId, tag }).strict(),
  output: { tag: CustomerTag },
  annotations: WRITE,
  async handler(args, ctx) {
    const result = await ctx.clients.augur.createCustomerTag(args.customerId, { tag: args.tag }, call(ctx));
    return { data: { tag: result.data }, correlationId: result.correlationId };
  },
});

export const updateCustomerTag = defineTool({
  name: 'update_customer_tag',
  title: 'Update a customer tag',
  description:
    "Change a customer tag's text and/or status (active/inactive). customerTagsUid from list_customer_tags.",
  upstream: 'augur',
  group: 'tags',
  input: z
    .object({ customerId, customerTagsUid, tag: tag.optional(), status: statusArg.optional() })
    .strict()
    .refine((a) => a.tag !== undefined || a.status !== undefined, { message: 'give tag and/or status' }),
  output: { tag: CustomerTag },
  annotations: WRITE,
  async handler(args, ctx) {
    const body = defined({ tag: args.tag, statusCd: statusCd(args.status) });
    const result = await ctx.clients.augur.updateCustomerTag(args.customerId, args.customerTagsUid, body, call(ctx));
    return { data: { tag: result.data }, correlationId: result.correlationId };
  },
});

export const deleteCustomerTag = defineTool({
  name: 'delete_customer_tag',
  title: 'Delete a customer tag',
  description:
    'Soft-delete a customer tag (statusCd becomes 700; add_customer_tag with the same text restores it). Returns the deleted tag. customerTagsUid from list_customer_tags.',
  upstream: 'augur',
  group: 'tags',
  input: z.object({ customerId, customerTagsUid }).strict(),
  output: { tag: CustomerTag },
  annotations: DELETE,
  async handler(args, ctx) {
    const result = await ctx.clients.augur.deleteCustomerTag(args.customerId, args.customerTagsUid, call(ctx));
    return { data: { tag: result.data }, correlationId: result.correlationId };
  },
});

export const tagTools = [listCustomerTags, getCustomerTag, addCustomerTag, updateCustomerTag, deleteCustomerTag];
