import { param, type SiteContext } from '../context.js';
import { formatYmd } from '../dates.js';
import { notFound, single, type Result } from '../envelope.js';
import type { ContactRow } from '../model.js';
import * as shapes from '../shapes.js';
import type { RouteDef } from '../route-definition.js';

/** Contact documents, the web allowance and the contacts-ud user-defined fields. */

function findContact(ctx: SiteContext): ContactRow | undefined {
  const id = String(param(ctx, 'id'));
  return ctx.store.contacts.find((c) => c.id === id);
}

export function contactDoc(ctx: SiteContext): Result {
  const contact = findContact(ctx);
  if (!contact) throw notFound('No contact with this ID');
  return single(shapes.contactDoc(contact, ctx.store));
}

/**
 * Allowance left in the current period. The period starts on the first day of the fiscal month named by the
 * customer's class 5 code (`FM07` = July) in the most recent year; no code → no period, allowance 0
 * (reference §2.4 WebAllowance, §5 #17).
 */
export function webAllowance(ctx: SiteContext): Result {
  const contact = findContact(ctx);
  const customer = contact && ctx.store.customers.find((c) => c.customerId === contact.addressId);
  if (!contact || !customer) throw notFound('No contact with this ID on any customer');
  const month = /^FM(\d{2})$/.exec(customer.class5Id ?? '')?.[1];
  let orderStartDate: string | null = null;
  if (month) {
    const now = new Date(ctx.nowMs);
    const monthIndex = Number(month) - 1;
    const year = now.getUTCMonth() >= monthIndex ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
    orderStartDate = formatYmd(Date.UTC(year, monthIndex, 1));
  }
  return single({
    webAllowance: orderStartDate === null ? 0 : contact.webAllowance,
    orderStartDate,
    id: contact.id,
    customerId: customer.customerId,
  });
}

export function contactUd(ctx: SiteContext): Result {
  const row = ctx.store.contactUd.get(String(param(ctx, 'id')));
  if (!row) throw notFound('No user-defined fields row for this contact');
  return single(shapes.contactUd(row));
}

export const CONTACT_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET', path: '/contacts/{id}/doc', auth: 'bearer', summary: 'One contact document',
    data: { kind: 'object', shape: 'ContactDoc' }, errors: { 404: 'No contact with this ID' }, handler: contactDoc,
  },
  {
    method: 'GET', path: '/contacts/{id}/web-allowance', auth: 'bearer', summary: 'Web allowance of a contact',
    data: { kind: 'object', shape: 'WebAllowance' }, errors: { 404: 'No contact with this ID on any customer' }, handler: webAllowance,
  },
  {
    method: 'GET', path: '/contacts-ud/{id}', auth: 'bearer', summary: 'User-defined fields of a contact',
    data: { kind: 'object', shape: 'ContactUd' }, errors: { 404: 'No user-defined fields row for this contact' }, handler: contactUd,
  },
];
