import * as z from 'zod';
import { CustomerDoc, CustomerLookupItem } from '../../clients/augur-schemas.js';
import { READ, defineTool } from '../define.js';
import { listOutput, text } from '../schema-parts.js';
import { returns, returnsPage } from '../upstream-call.js';
import { augurPage, CUSTOMER_SUMMARY, customerId, orderBy } from './common.js';

export const lookupCustomer = defineTool({
  name: 'lookup_customer',
  title: 'Look up Augur customers',
  description:
    'Find customers by name or number. Start here: the other Augur customer tools take the customerId found.',
  upstream: 'augur',
  group: 'customers',
  endpoint: 'GET /customer/lookup',
  input: z.object({ q: text(200), ...augurPage() }).strict(),
  output: listOutput(CustomerLookupItem),
  summaryFields: ['customerId', 'customerName'],
  annotations: READ,
  handler: returnsPage((args, { clients, call }) => clients.augur.lookupCustomers(args, call)),
});

export const listCustomers = defineTool({
  name: 'list_customers',
  title: 'List Augur customers',
  description:
    'List customers (terms, class5Id, salesRepId) by text q or class5Id; for ids only, lookup_customer.',
  upstream: 'augur',
  group: 'customers',
  endpoint: 'GET /customer',
  input: z
    .object({
      q: text(200).optional(),
      class5Id: text(8).optional(),
      orderBy: orderBy('customer_name|ASC').optional(),
      ...augurPage(),
    })
    .strict(),
  output: listOutput(CustomerDoc),
  summaryFields: CUSTOMER_SUMMARY,
  annotations: READ,
  handler: returnsPage((args, { clients, call }) => clients.augur.listCustomers(args, call)),
});

export const getCustomer = defineTool({
  name: 'get_customer',
  title: 'Get an Augur customer',
  description:
    "One customer's document (company, terms, classes, flags, salesRepId, user-defined fields).",
  upstream: 'augur',
  group: 'customers',
  endpoint: 'GET /customer/{customerId}/doc',
  input: z.object({ customerId }).strict(),
  output: { customer: CustomerDoc },
  annotations: READ,
  handler: returns('customer', (args, { clients, call }) => clients.augur.getCustomerDoc(args.customerId, call)),
});

export const customerTools = [lookupCustomer, listCustomers, getCustomer];
