import type { SiteStore } from './model.js';
import { seedSite } from './seed.js';
import { SITE_DEFS, type SiteDef } from './sites.js';

/**
 * Ids the tests and the demo rely on, read from the seed itself (so they can never drift from the data).
 * Numeric ids are numbers even where the response body carries them as strings (invoiceNo, orderNo, contact id):
 * they are what goes into the URL path.
 */
export interface AugurSiteFixtures {
  siteId: string;
  /** The demo customer: open, cancelled and deleted orders; paid and unpaid invoices; quotes; an RMA. */
  customerId: number;
  customerName: string;
  /** A `q` that /customer/lookup resolves to the demo customer only. */
  customerQuery: string;
  /** Over 100 invoices and over 100 orders, for paging. */
  bigCustomerId: number;
  invoiceNo: number;
  unpaidInvoiceNo: number;
  /** Open order with lines (one cancelled, one deleted, so fullDocument=L shows fewer lines). */
  orderNo: number;
  cancelledOrderNo: number;
  deletedOrderNo: number;
  quoteNo: number;
  rmaNo: number;
  /** Salesrep contact with several customers (/contacts/{id}/customers). */
  salesRepContactId: number;
  /** A contact of the demo customer, with a web allowance and a contacts-ud row. */
  contactId: number;
  /** Ship-to of the demo customer that has a freight code. */
  shipToId: number;
  /** Ship-to of the demo customer without a freight code (freight-codes answers 404). */
  shipToWithoutFreightCodeId: number;
  customerAddressUid: number;
  customerTagsUid: number;
}

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`Augur sandbox seed has no ${what}`);
  return value;
}

export function fixturesOf(store: SiteStore): AugurSiteFixtures {
  const big = must(store.customers[0], 'big customer');
  const demo = must(store.customers[1], 'demo customer');
  const id = demo.customerId;
  const orders = store.orders.filter((o) => o.customerId === id);
  const order = (kind: string, test: (o: (typeof orders)[number]) => boolean, what: string): number =>
    Number(must(orders.find((o) => o.kind === kind && test(o)), what).orderNo);
  const invoices = store.invoices.filter((i) => i.customerId === id);
  const contacts = store.contacts.filter((c) => c.addressId === id);
  const shipTos = store.shipTos.filter((s) => s.customerId === id);
  return {
    siteId: store.site.siteId,
    customerId: id,
    customerName: demo.customerName ?? '',
    customerQuery: (demo.customerName ?? '').split(' ')[0] ?? '',
    bigCustomerId: big.customerId,
    invoiceNo: Number(must(invoices.find((i) => i.paidInFullFlag === 'Y'), 'paid invoice').invoiceNo),
    unpaidInvoiceNo: Number(must(invoices.find((i) => i.paidInFullFlag === 'N'), 'unpaid invoice').invoiceNo),
    orderNo: order('order', (o) => o.completed === 'N' && o.cancelFlag === 'N' && o.deleteFlag === 'N' && o.lines.length >= 3, 'open order'),
    cancelledOrderNo: order('order', (o) => o.cancelFlag === 'Y', 'cancelled order'),
    deletedOrderNo: order('order', (o) => o.deleteFlag === 'Y', 'deleted order'),
    quoteNo: order('quote', () => true, 'quote'),
    rmaNo: order('rma', () => true, 'RMA'),
    salesRepContactId: Number(must(store.contacts[0], 'salesrep').id),
    contactId: Number(must(contacts.find((c) => store.contactUd.has(c.id)), 'contact with UD fields').id),
    shipToId: must(shipTos.find((s) => s.freightCodeUid !== null), 'ship-to with freight code').shipToId,
    shipToWithoutFreightCodeId: must(shipTos.find((s) => s.freightCodeUid === null), 'ship-to without freight code').shipToId,
    customerAddressUid: must(store.customerAddresses.find((a) => a.customerId === id), 'customer address').customerAddressUid,
    customerTagsUid: must(store.tags.find((t) => t.customerId === id), 'customer tag').customerTagsUid,
  };
}

export function buildFixtures(): Record<SiteDef['key'], AugurSiteFixtures> {
  const [acme, globex] = SITE_DEFS.map((site) => fixturesOf(seedSite(site)));
  return { acme: must(acme, 'acme site'), globex: must(globex, 'globex site') };
}
