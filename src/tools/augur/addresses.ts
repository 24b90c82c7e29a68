import * as z from 'zod';
import { AddressLookupItem, CustomerAddress } from '../../clients/augur-schemas.js';
import { DELETE, READ, WRITE, defineTool } from '../define.js';
import { listOutput, optionalText as field, text } from '../schema-parts.js';
import { returns, returnsPage } from '../upstream-call.js';
import { augurPage, customerId, defined, numericAugurId, orderBy, statusArg, statusCd } from './common.js';

const customerAddressUid = numericAugurId('customerAddressUid from list_customer_addresses.');

/** The CustomerAddress fields an agent may set; absent = unchanged on update, service default on create. */
const addressFields = {
  name: field(255),
  address1: field(50),
  address2: field(50),
  address3: field(50),
  city: field(50),
  state: field(50),
  postalCode: field(10),
  country: field(50),
  emailAddress: field(255, 'Email address.'),
  phoneNumberMain: field(20),
  phoneNumberMobile: field(20),
};

export const searchCustomerAddresses = defineTool({
  name: 'search_customer_addresses',
  title: "Search a customer's P21 addresses",
  description:
    "Search a customer's P21 addresses (its own and its ship-tos' addresses) by name or street.",
  upstream: 'augur',
  group: 'addresses',
  endpoint: 'GET /customer/{customerId}/address',
  input: z.object({ customerId, q: text(200), ...augurPage() }).strict(),
  output: listOutput(AddressLookupItem),
  summaryFields: ['id', 'name', 'mailAddress1', 'mailCity', 'mailState', 'mailPostalCode'],
  annotations: READ,
  handler: returnsPage(({ customerId, ...params }, { clients, call }) => clients.augur.searchCustomerAddresses(customerId, params, call)),
});

export const listCustomerAddresses = defineTool({
  name: 'list_customer_addresses',
  title: "List a customer's Augur addresses",
  description:
    "List a customer's Augur-managed addresses, soft-deleted ones (statusCd 700) included.",
  upstream: 'augur',
  group: 'addresses',
  endpoint: 'GET /customer/{customerId}/addresses',
  input: z.object({ customerId, orderBy: orderBy('customer_address_uid|ASC').optional(), ...augurPage() }).strict(),
  output: listOutput(CustomerAddress),
  summaryFields: ['customerAddressUid', 'name', 'address1', 'city', 'state', 'postalCode', 'emailAddress', 'statusCd'],
  annotations: READ,
  handler: returnsPage(({ customerId, ...params }, { clients, call }) => clients.augur.listCustomerAddresses(customerId, params, call)),
});

export const getCustomerAddress = defineTool({
  name: 'get_customer_address',
  title: 'Get a customer address',
  description: 'One Augur customer address, with its status.',
  upstream: 'augur',
  group: 'addresses',
  endpoint: 'GET /customer/{customerId}/addresses/{customerAddressUid}',
  input: z.object({ customerId, customerAddressUid }).strict(),
  output: { address: CustomerAddress },
  annotations: READ,
  handler: returns('address', (args, { clients, call }) => clients.augur.getCustomerAddress(args.customerId, args.customerAddressUid, call)),
});

export const createCustomerAddress = defineTool({
  name: 'create_customer_address',
  title: 'Create a customer address',
  description:
    'Create an Augur address for a customer (all fields optional); returns its customerAddressUid. Not idempotent: call once.',
  upstream: 'augur',
  group: 'addresses',
  endpoint: 'POST /customer/{customerId}/addresses',
  input: z.object({ customerId, ...addressFields }).strict(),
  output: { address: CustomerAddress },
  annotations: WRITE,
  handler: returns('address', ({ customerId, ...fields }, { clients, call }) => clients.augur.createCustomerAddress(customerId, defined(fields), call)),
});

export const updateCustomerAddress = defineTool({
  name: 'update_customer_address',
  title: 'Update a customer address',
  description:
    'Change fields of an Augur customer address; fields left out keep their value.',
  upstream: 'augur',
  group: 'addresses',
  endpoint: 'PUT /customer/{customerId}/addresses/{customerAddressUid}',
  input: z
    .object({ customerId, customerAddressUid, ...addressFields, status: statusArg.optional() })
    .strict()
    .refine(({ customerId: _c, customerAddressUid: _u, ...rest }) => Object.values(rest).some((v) => v !== undefined), {
      message: 'give at least one field to change',
    }),
  output: { address: CustomerAddress },
  annotations: WRITE,
  handler: returns('address', ({ customerId, customerAddressUid, status, ...fields }, { clients, call }) =>
    clients.augur.updateCustomerAddress(customerId, customerAddressUid, defined({ ...fields, statusCd: statusCd(status) }), call),
  ),
});

export const deleteCustomerAddress = defineTool({
  name: 'delete_customer_address',
  title: 'Delete a customer address',
  description:
    'Soft-delete an Augur customer address (statusCd 700; it stays listed).',
  upstream: 'augur',
  group: 'addresses',
  endpoint: 'DELETE /customer/{customerId}/addresses/{customerAddressUid}',
  input: z.object({ customerId, customerAddressUid }).strict(),
  output: { address: CustomerAddress },
  annotations: DELETE,
  handler: returns('address', (args, { clients, call }) => clients.augur.deleteCustomerAddress(args.customerId, args.customerAddressUid, call)),
});

export const addressTools = [
  searchCustomerAddresses,
  listCustomerAddresses,
  getCustomerAddress,
  createCustomerAddress,
  updateCustomerAddress,
  deleteCustomerAddress,
];
