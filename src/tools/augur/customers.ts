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
    'Find customers by name or number text; returns customerId and customerName. Start here: every other Augur customer tool takes the customerId found this way.',
  upstream: 'augur',
  group: 'customers',
  endpoint: 'GET /customer/lookup',
  input: z.object({ q: text(200, 'Name or customer number text, e.g. "acme".'), ...augurPage() }).strict(),
  output: listOutput(CustomerLookupItem),
  summaryFields: ['customerId', 'customerName'],
  annotations: READ,
  handler: returnsPage((args, { clients, call }) => clients.augur.lookupCustomers(args, call)),
});

export const listCustomers = defineTool({
  name: 'list_customers',
  title: 'List Augur customers',
  description:
    'List customers (terms, class5Id, salesRepId), optionally filtered by text q or class5Id. Use lookup_customer when you only need ids.',
  upstream: 'augur',
  group: 'customers',
  endpoint: 'GET /customer',
  input: z
    .object({
      q: text(200, 'Search text.').optional(),
      class5Id: text(8, 'Customer class 5 code (customer.class_5id).').optional(),
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
    "Get one customer's document: name, company, classes, terms, web/PO/tax flags, salesRepId and user-defined fields. customerId comes from lookup_customer.",
  upstream: 'augur',
  group: 'customers',
  endpoint: 'GET /customer/{customerId}/doc',
  input: z.object({ customerId }).strict(),
  output: { customer: CustomerDoc },
  annotations: READ,
  handler: returns('customer', (args, { clients, call }) => clients.augur.getCustomerDoc(args.customerId, call)),
});

export const customerTools = [lookupCustomer, listCustomers, getCustomer];
