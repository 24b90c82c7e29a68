import * as z from 'zod';
import { AddressLookupItem, CustomerAddress } from '../../clients/augur-schemas.js';
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

const customerAddressUid = numericAugurId('customerAddressUid from list_customer_addresses or create_customer_address.');

/** An optional text field; `what` only where the name does not say it already. */
const field = (max: number, what?: string) => (what ? z.string().trim().max(max).describe(what) : z.string().trim().max(max)).optional();
/** The CustomerAddress fields an agent may set; absent = unchanged on update, service default on create. */
const addressFields = {
  name: field(255, 'Address name, e.g. "Receiving dock".'),
  address1: field(50),
  address2: field(50),
  address3: field(50),
  city: field(50, 'City.'),
  state: field(50),
  postalCode: field(10, 'Postal code.'),
  country: field(50, 'Country.'),
  emailAddress: field(255, 'Email address.'),
  phoneNumberMain: field(20),
  phoneNumberMobile: field(20),
};

export const searchCustomerAddresses = defineTool({
  name: 'search_customer_addresses',
  title: "Search a customer's P21 addresses",
  description:
    "Search a customer's P21 addresses (the customer's own and its ship-tos) by name or mail address line 1. Returns address ids.",
  upstream: 'augur',
  group: 'addresses',
  input: z.object({ customerId, q: text(200, 'Name or street text, e.g. "main st".'), ...augurPage() }).strict(),
  output: listOutput(AddressLookupItem),
  annotations: READ,
  async handler({ customerId, ...params }, ctx) {
    const result = await ctx.clients.augur.searchCustomerAddresses(customerId, params, call(ctx));
    return { data: pageResult(result.data), correlationId: result.correlationId };
  },
});

export const listCustomerAddresses = defineTool({
  name: 'list_customer_addresses',
  title: "List a customer's Augur addresses",
  description:
    "List a customer's Augur-managed addresses (customer_address rows), including soft-deleted ones (statusCd 700). customerAddressUid feeds the get/update/delete tools.",
  upstream: 'augur',
  group: 'addresses',
  input: z.object({ customerId, orderBy: orderBy('customer_address_uid|ASC').optional(), ...augurPage() }).strict(),
  output: listOutput(CustomerAddress),
  annotations: READ,
  async handler({ customerId, ...params }, ctx) {
    const result = await ctx.clients.augur.listCustomerAddresses(customerId, params, call(ctx));
    return { data: pageResult(result.data), correlationId: result.correlationId };
  },
});

export const getCustomerAddress = defineTool({
  name: 'get_customer_address',
  title: 'Get a customer address',
  description: 'Get one Augur customer address by customerAddressUid (from list_customer_addresses), with its status.',
  upstream: 'augur',
  group: 'addresses',
  input: z.object({ customerId, customerAddressUid }).strict(),
  output: { address: CustomerAddress },
  annotations: READ,
  async handler(args, ctx) {
    const result = await ctx.clients.augur.getCustomerAddress(args.customerId, args.customerAddressUid, call(ctx));
    return { data: { address: result.data }, correlationId: result.correlationId };
  },
});

export const createCustomerAddress = defineTool({
  name: 'create_customer_address',
  title: 'Create a customer address',
  description:
    'Create an Augur address for a customer (every field optional; created active). Returns the new address with its customerAddressUid. Not idempotent: call once.',
  upstream: 'augur',
  group: 'addresses',
  input: z.object({ customerId, ...addressFields }).strict(),
  output: { address: CustomerAddress },
  annotations: WRITE,
  async handler({ customerId, ...fields }, ctx) {
    const result = await ctx.clients.augur.createCustomerAddress(customerId, defined(fields), call(ctx));
    return { data: { address: result.data }, correlationId: result.correlationId };
  },
});

export const updateCustomerAddress = defineTool({
  name: 'update_customer_address',
  title: 'Update a customer address',
  description:
    'Change fields of an Augur customer address; fields you leave out keep their value. status active/inactive sets statusCd. customerAddressUid from list_customer_addresses.',
  upstream: 'augur',
  group: 'addresses',
  input: z
    .object({ customerId, customerAddressUid, ...addressFields, status: statusArg.optional() })
    .strict()
    .refine(({ customerId: _c, customerAddressUid: _u, ...rest }) => Object.values(rest).some((v) => v !== undefined), {
      message: 'give at least one field to change',
    }),
  output: { address: CustomerAddress },
  annotations: WRITE,
  async handler({ customerId, customerAddressUid, status, ...fields }, ctx) {
    const body = defined({ ...fields, statusCd: statusCd(status) });
    const result = await ctx.clients.augur.updateCustomerAddress(customerId, customerAddressUid, body, call(ctx));
    return { data: { address: result.data }, correlationId: result.correlationId };
  },
});

export const deleteCustomerAddress = defineTool({
  name: 'delete_customer_address',
  title: 'Delete a customer address',
  description:
    'Soft-delete an Augur customer address (statusCd becomes 700; it still shows in lists). Returns the deleted record. customerAddressUid from list_customer_addresses.',
  upstream: 'augur',
  group: 'addresses',
  input: z.object({ customerId, customerAddressUid }).strict(),
  output: { address: CustomerAddress },
  annotations: DELETE,
  async handler(args, ctx) {
    const result = await ctx.clients.augur.deleteCustomerAddress(args.customerId, args.customerAddressUid, call(ctx));
    return { data: { address: result.data }, correlationId: result.correlationId };
  },
});

export const addressTools = [
  searchCustomerAddresses,
  listCustomerAddresses,
  getCustomerAddress,
  createCustomerAddress,
  updateCustomerAddress,
  deleteCustomerAddress,
];
