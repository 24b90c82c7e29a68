import * as z from 'zod';
import { ContactDoc, ContactUd, CustomerContact, CustomerDoc, WebAllowance } from '../../clients/augur-schemas.js';
import { READ, WRITE, defineTool } from '../define.js';
import { listOutput, optionalText as optional, passThroughRecord, text } from '../schema-parts.js';
import { returns, returnsPage } from '../upstream-call.js';
import { augurId, augurPage, CUSTOMER_SUMMARY, customerId, defined, orderBy } from './common.js';
import { createAndReadBack, isNotFound } from './read-back.js';

const contactId = augurId('id from list_customer_contacts, or salesRepId from get_customer.');

export const listCustomerContacts = defineTool({
  name: 'list_customer_contacts',
  title: 'List contacts of an Augur customer',
  description:
    "List a customer's contacts (id, name, email, phone); q filters by name or email.",
  upstream: 'augur',
  group: 'contacts',
  endpoint: 'GET /customer/{customerId}/contacts',
  input: z
    .object({
      customerId,
      q: text(200).optional(),
      orderBy: orderBy('last_name|ASC').optional(),
      ...augurPage(),
    })
    .strict(),
  output: listOutput(CustomerContact),
  summaryFields: ['id', 'firstName', 'lastName', 'emailAddress', 'title', 'phone'],
  annotations: READ,
  // The service requires q; an empty q matches every contact.
  handler: returnsPage(({ customerId, q, ...params }, { clients, call }) =>
    clients.augur.listCustomerContacts(customerId, { ...params, q: q ?? '' }, call),
  ),
});

export const createCustomerContact = defineTool({
  name: 'create_customer_contact',
  title: 'Create a contact for an Augur customer',
  description:
    'Create a P21 contact for a customer; returns its contactId (null with a note if unclear).',
  upstream: 'augur',
  group: 'contacts',
  endpoint: [
    'POST /customer/{customerId}/contacts',
    'GET /customer/{customerId}/contacts (before and after, to read back the id)',
  ],
  input: z
    .object({
      customerId,
      firstName: text(50),
      lastName: text(50),
      title: optional(50),
      emailAddress: z.email().max(255).describe('Email address.').optional(),
      phone: optional(20),
      ext: optional(10),
      cellular: optional(20),
      userDefinedFields: passThroughRecord('User-defined fields.')
        .optional(),
      otherFields: passThroughRecord('More P21 fields, e.g. contactLinks.')
        .optional(),
    })
    .strict(),
  output: {
    created: z.boolean().describe('What the service answered (true when the contact was created).'),
    contactId: z.string().nullable().describe('The new contact id (as list_customer_contacts gives it); null when not known.'),
    note: z.string().optional(),
  },
  annotations: WRITE,
  async handler({ customerId, otherFields, ...fields }, { clients, call }) {
    const body = { ...otherFields, ...defined(fields) };
    const augur = clients.augur;
    const same = (a: string | null | undefined, b: string | undefined) => b === undefined || (a ?? '').trim().toLowerCase() === b.toLowerCase();
    // The service answers `true` only: the new contact is the one row matching it that the same search did not hold before.
    const outcome = await createAndReadBack({
      list: async () => (await augur.listCustomerContacts(customerId, { q: fields.emailAddress ?? fields.lastName, orderBy: 'date_created|DESC', limit: 100 }, call)).data,
      idOf: (row) => row.id,
      matches: (row) => same(row.firstName, fields.firstName) && same(row.lastName, fields.lastName) && same(row.emailAddress, fields.emailAddress),
      create: () => augur.createCustomerContact(customerId, body, call),
      findWith: `list_customer_contacts (q "${fields.emailAddress ?? fields.lastName}")`,
    });
    return {
      data: { created: outcome.created, contactId: outcome.id, ...(outcome.note ? { note: outcome.note } : {}) },
      correlationId: outcome.correlationId,
    };
  },
});

export const getContact = defineTool({
  name: 'get_contact',
  title: 'Get an Augur contact',
  description:
    "One contact's document (email, phone, classes, role, postal address).",
  upstream: 'augur',
  group: 'contacts',
  endpoint: 'GET /contacts/{id}/doc',
  input: z.object({ contactId }).strict(),
  output: { contact: ContactDoc },
  annotations: READ,
  handler: returns('contact', (args, { clients, call }) => clients.augur.getContactDoc(args.contactId, call)),
});

export const getContactWebAllowance = defineTool({
  name: 'get_contact_web_allowance',
  title: "Get a contact's web allowance",
  description:
    'A contact\'s web ordering allowance left this period (0 if the customer has none) and the period start.',
  upstream: 'augur',
  group: 'contacts',
  endpoint: 'GET /contacts/{id}/web-allowance',
  input: z.object({ contactId }).strict(),
  output: { allowance: WebAllowance },
  annotations: READ,
  handler: returns('allowance', (args, { clients, call }) => clients.augur.getContactWebAllowance(args.contactId, call)),
});

export const getContactCustomFields = defineTool({
  name: 'get_contact_custom_fields',
  title: "Get a contact's user-defined fields",
  description:
    "A contact's user-defined (custom) fields and audit dates; null if none.",
  upstream: 'augur',
  group: 'contacts',
  endpoint: ['GET /contacts-ud/{id}', 'GET /contacts/{id}/doc (on a 404)'],
  input: z.object({ contactId }).strict(),
  output: { customFields: ContactUd.nullable() },
  annotations: READ,
  async handler(args, { clients, call }) {
    const augur = clients.augur;
    try {
      const result = await augur.getContactUd(args.contactId, call);
      return { data: { customFields: result.data }, correlationId: result.correlationId };
    } catch (error) {
      // The service answers 404 both for a contact without a user-defined fields row and for no such contact
      // (reference §2.3.16): the contact document tells them apart, and a 404 there is the real "wrong id".
      if (!isNotFound(error)) throw error;
      const contact = await augur.getContactDoc(args.contactId, call);
      return { data: { customFields: null }, correlationId: contact.correlationId };
    }
  },
});

export const listSalesrepCustomers = defineTool({
  name: 'list_salesrep_customers',
  title: "List a sales rep's customers",
  description:
    'List the customer documents assigned to a sales rep contact, by text q or class5Id.',
  upstream: 'augur',
  group: 'contacts',
  endpoint: 'GET /contacts/{id}/customers',
  input: z
    .object({
      contactId,
      q: text(200).optional(),
      class5Id: text(8).optional(),
      orderBy: orderBy('customer_id|ASC').optional(),
      ...augurPage(),
    })
    .strict(),
  output: listOutput(CustomerDoc),
  summaryFields: CUSTOMER_SUMMARY,
  annotations: READ,
  handler: returnsPage(({ contactId, ...params }, { clients, call }) => clients.augur.listSalesrepCustomers(contactId, params, call)),
});

export const contactTools = [
  listCustomerContacts,
  createCustomerContact,
  getContact,
  getContactWebAllowance,
  getContactCustomFields,
  listSalesrepCustomers,
];
