import { describe, expect, it } from 'vitest';
import { SANDBOX_AUGUR_FIXTURES as FIX } from '../../../src/sandbox/augur/index.js';
import { contactTools } from '../../../src/tools/augur/contacts.js';
import { ok } from '../../support/augur.js';
import { expectEveryToolFails, FAILURE_ARGS, itAnsweredAndFailedEveryTool, useAugurToolSuite } from '../../support/augur-tools.js';
import type { Structured } from '../../support/harness.js';

// list_customer_contacts, create_customer_contact, get_contact, get_contact_web_allowance, get_contact_custom_fields,
// list_salesrep_customers (src/tools/augur/contacts.ts) over the SDK Client against the sandbox.
describe('Augur contact tools', () => {
  const suite = useAugurToolSuite();

  it('creates a contact (P21 pass-through), sent once and visible in later reads', async () => {
    const { h, augurRequests } = suite;
    const customerId = FIX.acme.customerId;
    const lastName = `Testperson${Date.now() % 100000}`;
    const contact = ok(
      await h.call('create_customer_contact', {
        customerId,
        firstName: 'Quinn',
        lastName,
        emailAddress: 'quinn.test@example.com',
        title: 'Buyer',
        otherFields: { contactLinks: [] },
      }),
    );
    expect(contact.created).toBe(true);
    const contacts = ok(await h.call('list_customer_contacts', { customerId, q: lastName }));
    expect(contacts.items).toContainEqual(expect.objectContaining({ firstName: 'Quinn', lastName, emailAddress: 'quinn.test@example.com' }));
    // The new id comes back (read back: the service answers `true` only) and is the one the list shows.
    expect(contact.contactId).toMatch(/^\d+$/);
    expect(contact.note).toBeUndefined();
    expect(contacts.items.find((x: Structured) => x.lastName === lastName).id).toBe(contact.contactId);
    expect(ok(await h.call('get_contact', { contactId: contact.contactId })).contact).toMatchObject({ firstName: 'Quinn', lastName });
    // A new contact has no user-defined fields: an empty answer, not a wrong id.
    expect(ok(await h.call('get_contact_custom_fields', { contactId: contact.contactId })).customFields).toBeNull();

    const writes = augurRequests().filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /customer/${customerId}/contacts`]);
    // The create read the matching rows before and after its one POST, with its own correlation id throughout.
    const contactCall = augurRequests().filter((r) => r.headers['x-correlation-id'] === writes[0]!.headers['x-correlation-id']);
    expect(contactCall.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /customer/${customerId}/contacts`,
      `POST /customer/${customerId}/contacts`,
      `GET /customer/${customerId}/contacts`,
    ]);
    expect(contactCall[0]!.query).toMatchObject({ q: 'quinn.test@example.com', orderBy: 'date_created|DESC', limit: '100' });
    expect(writes[0]!.body).toEqual({
      contactLinks: [],
      firstName: 'Quinn',
      lastName,
      emailAddress: 'quinn.test@example.com',
      title: 'Buyer',
    });
  });

  it('"no custom fields" is an empty answer for contacts the list tool returns', async () => {
    const { h } = suite;
    const c = FIX.acme.customerId;
    const contacts = ok(await h.call('list_customer_contacts', { customerId: c, limit: 100 })).items as Structured[];
    const answers = await Promise.all(contacts.map(async (x) => ok(await h.call('get_contact_custom_fields', { contactId: x.id })).customFields));
    // Some contacts have a contacts-ud row and some do not; neither is an error.
    expect(answers.filter((a) => a === null).length).toBeGreaterThan(0);
    expect(answers.filter((a) => a !== null).length).toBeGreaterThan(0);
  });

  it('creating the same contact twice gives two different ids, each told apart by the read-back', async () => {
    const { h } = suite;
    const customerId = FIX.acme.customerId;
    const lastName = `Twin${Date.now() % 100000}`;
    const args = { customerId, firstName: 'Robin', lastName };
    const first = ok(await h.call('create_customer_contact', args));
    const second = ok(await h.call('create_customer_contact', args));
    expect(first.contactId).toMatch(/^\d+$/);
    expect(second.contactId).toMatch(/^\d+$/);
    expect(second.contactId).not.toBe(first.contactId);
    const listed = ok(await h.call('list_customer_contacts', { customerId, q: lastName })).items.map((x: Structured) => String(x.id));
    expect(listed.sort()).toEqual([first.contactId, second.contactId].sort());
  });

  it('answers every contact read tool successfully', async () => {
    const { h } = suite;
    const c = FIX.acme.customerId;
    const doc = ok(await h.call('get_customer', { customerId: c })).customer;

    const reps = ok(await h.call('list_salesrep_customers', { contactId: doc.salesRepId, limit: 100 }));
    expect(reps.items.some((x: Structured) => Number(x.customerId) === c)).toBe(true);

    const contacts = ok(await h.call('list_customer_contacts', { customerId: c }));
    const contactId = contacts.items[0].id;
    const contact = ok(await h.call('get_contact', { contactId })).contact;
    expect(String(contact.id)).toBe(String(contactId));
    const allowance = ok(await h.call('get_contact_web_allowance', { contactId })).allowance;
    expect(typeof allowance.webAllowance).toBe('number');
    const ud = ok(await h.call('get_contact_custom_fields', { contactId: FIX.acme.contactId })).customFields;
    expect(ud).toHaveProperty('contactsUdUid');
  });

  it('fails every contact tool at least once with a sensible code, a correlationId and exactly what the service received', async () => {
    const c = FIX.acme.customerId;
    const { none, badOrder, page } = FAILURE_ARGS;
    await expectEveryToolFails(
      suite,
      [
        { tool: 'list_customer_contacts', args: { customerId: c, orderBy: badOrder }, code: 'invalid_argument', wire: { method: 'GET', path: `/customer/${c}/contacts`, query: { q: '', orderBy: badOrder, ...page }, status: 400 } },
        {
          tool: 'create_customer_contact', args: { customerId: none, firstName: 'Ghost', lastName: 'Writer' }, code: 'not_found',
          wire: { method: 'POST', path: `/customer/${none}/contacts`, body: { firstName: 'Ghost', lastName: 'Writer' }, status: 404 },
          sequence: [`GET /customer/${none}/contacts 200`, `POST /customer/${none}/contacts 404`],
        },
        { tool: 'get_contact', args: { contactId: none }, code: 'not_found', wire: { method: 'GET', path: `/contacts/${none}/doc`, query: {}, status: 404 } },
        { tool: 'get_contact_web_allowance', args: { contactId: none }, code: 'not_found', wire: { method: 'GET', path: `/contacts/${none}/web-allowance`, query: {}, status: 404 } },
        {
          // No contacts-ud row, and no such contact either: the contact document's 404 is the answer.
          tool: 'get_contact_custom_fields', args: { contactId: none }, code: 'not_found',
          wire: { method: 'GET', path: `/contacts/${none}/doc`, query: {}, status: 404 },
          sequence: [`GET /contacts-ud/${none} 404`, `GET /contacts/${none}/doc 404`],
        },
        {
          tool: 'list_salesrep_customers', args: { contactId: FIX.acme.salesRepContactId, orderBy: badOrder }, code: 'invalid_argument',
          wire: { method: 'GET', path: `/contacts/${FIX.acme.salesRepContactId}/customers`, query: { orderBy: badOrder, ...page }, status: 400 },
        },
      ],
      contactTools,
    );
  });

  itAnsweredAndFailedEveryTool(suite, contactTools, 'contact');
});
