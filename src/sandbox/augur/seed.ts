import { addDays, formatDateTime, formatYmd } from './dates.js';
import type {
  AddressRow,
  ContactRow,
  ContactUdRow,
  CustomerAddressRow,
  CustomerRow,
  CustomerTagRow,
  Flag,
  FreightCodeRow,
  InvoiceRow,
  ItemRow,
  OrderLineRow,
  OrderRow,
  PickTicketRow,
  ShipToRow,
  SiteStore,
} from './model.js';
import { createPrng, type Prng } from './prng.js';
import type { SiteDef } from './sites.js';

/**
 * Deterministic seed data of one site: the same rows on every start (seeded PRNG, fixed dates ending at SEED_END).
 * Customer 0 of each site is the "big" customer (over 100 orders and invoices) so paging is real; customer 1 is
 * the demo customer, built to hold one of everything (open/cancelled/deleted orders, paid/unpaid invoices, ...).
 * Numeric ids start with the site's idBase digit, so the two sites never share an id.
 */
export const SEED_END = Date.UTC(2026, 9, 31); // 2026-10-31

const CUSTOMER_NAMES: Record<SiteDef['key'], string[]> = {
  acme: [
    'Northwind Medical Supply',
    'Riverside General Hospital',
    'Lakeside Surgical Center',
    "St. Brigid Children's Clinic",
    'Pinecrest Imaging Associates',
    'Harbor View Dialysis',
    'Maple Grove Orthopedics',
    'Cedar Ridge Veterinary Hospital',
    'Bluewater Dental Group',
    'Summit Sleep Lab',
    'Valley Oncology Partners',
    'Oak Hollow Rehabilitation',
    'Granite State Ambulatory Care',
    'Old Mill Family Practice',
  ],
  globex: [
    'Globex Regional Health System',
    'Springfield Memorial Hospital',
    'Shelbyville Urgent Care',
    'Capital City Cardiology',
    'Ogdenville Eye Institute',
    'North Haverbrook Pediatrics',
    'Brockway Sports Medicine',
    'Cypress Creek Surgery Center',
    'Evergreen Terrace Dermatology',
    'Waverly Hills Wellness',
    'Sector Seven Occupational Health',
    'Monorail Plaza Laboratories',
    'Kwik Care Walk-In Clinic',
  ],
};

const CITIES: Record<SiteDef['key'], Array<[string, string, string]>> = {
  acme: [
    ['Columbus', 'OH', '43215'],
    ['Dayton', 'OH', '45402'],
    ['Indianapolis', 'IN', '46204'],
    ['Louisville', 'KY', '40202'],
    ['Toledo', 'OH', '43604'],
  ],
  globex: [
    ['Springfield', 'OR', '97477'],
    ['Eugene', 'OR', '97401'],
    ['Salem', 'OR', '97301'],
    ['Boise', 'ID', '83702'],
    ['Spokane', 'WA', '99201'],
  ],
};

const STREETS = ['Main St', 'Oak Ave', 'Hospital Dr', 'Commerce Pkwy', 'River Rd', 'Medical Center Blvd', 'Elm St', 'Park Ln'];
const FIRST_NAMES = ['Alice', 'Ben', 'Carmen', 'Deepak', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jamal', 'Kara', 'Luis', 'Mei', 'Noah', 'Olga', 'Priya'];
const LAST_NAMES = ['Anders', 'Baptiste', 'Chen', 'Delgado', 'Eriksen', 'Fischer', 'Gupta', 'Hughes', 'Ibarra', 'Jensen', 'Kowalski', 'Lindqvist', 'Moreau', 'Novak', 'Okafor', 'Patel'];
const TITLES = ['Purchasing Manager', 'Biomed Technician', 'Accounts Payable', 'Materials Director', 'Clinical Engineer'];
const TAGS = ['gpo-member', 'net-30', 'key-account', 'tax-exempt', 'backorder-ok', 'cath-lab', 'rush-eligible', 'quarterly-review'];
const SALES_REPS: Record<SiteDef['key'], Array<[string, string]>> = {
  acme: [
    ['Dana', 'Whitfield'],
    ['Marcus', 'Lee'],
  ],
  globex: [
    ['Lenore', 'Voss'],
    ['Hank', 'Morales'],
  ],
};

const ITEMS: Array<[string, string, string, number]> = [
  ['SPO2-ADULT-8000AA', 'Pulse oximeter sensor, adult reusable', 'EA', 189],
  ['ECG-LW-5', 'ECG leadwire set, 5-lead', 'EA', 74.5],
  ['NIBP-CUFF-ADL', 'NIBP cuff, adult, 2-tube', 'EA', 32],
  ['TEMP-PROBE-400', 'Temperature probe, 400 series', 'EA', 58.25],
  ['BATT-LI-10.8', 'Lithium-ion battery pack 10.8V', 'EA', 245],
  ['XRAY-TUBE-SK', 'X-ray tube housing seal kit', 'KT', 410],
  ['INF-PUMP-DOOR', 'Infusion pump door assembly', 'EA', 312],
  ['FLTR-HEPA-24', 'HEPA filter 24x24', 'EA', 96],
  ['GLV-NIT-M', 'Nitrile exam gloves, medium', 'BX', 9.8],
  ['SUCT-CAN-1500', 'Suction canister 1500 mL', 'CS', 64],
  ['DEFIB-PAD-AD', 'Defibrillation pads, adult', 'PR', 41],
  ['LAMP-SURG-150', 'Surgical lamp bulb 150W', 'EA', 38.4],
  ['CO2-SAMP-LINE', 'CO2 sampling line, adult', 'BX', 112],
  ['BP-TRANS-DISP', 'Disposable pressure transducer', 'CS', 286],
  ['US-GEL-5L', 'Ultrasound gel 5 L', 'EA', 22.5],
  ['AC-ADAPT-19V', 'AC adapter 19V for monitors', 'EA', 54],
];

type OrderState = 'open' | 'shipped' | 'cancelled' | 'deleted';
/** Regular customers: order k gets REGULAR_ORDER_STATES[k]; the first ones cover every state. */
const REGULAR_ORDER_STATES: OrderState[] = ['open', 'open', 'cancelled', 'shipped', 'deleted', 'shipped', 'shipped', 'shipped', 'shipped'];
const BIG_ORDER_COUNT = 140;

const money = (value: number): number => Math.round(value * 100) / 100;
const dateTime = (dayMs: number, rng: Prng): string => formatDateTime(dayMs + rng.int(7, 17) * 3_600_000 + rng.int(0, 59) * 60_000 + rng.int(0, 59) * 1000);

export function seedSite(site: SiteDef): SiteStore {
  const rng = createPrng(site.seed);
  const b = site.idBase;
  const key = site.key;
  const names = CUSTOMER_NAMES[key];
  const cities = CITIES[key];

  const counters = {
    invoice: b * 1_000_000,
    order: b * 1_000_000 + 100_000,
    quote: b * 1_000_000 + 200_000,
    rma: b * 1_000_000 + 300_000,
    pickTicket: b * 1_000_000 + 400_000,
    oeHdrUid: b * 1_000_000 + 500_000,
    oeLineUid: b * 10_000_000,
    shipTo: b * 10_000 + 2000,
    contact: b * 10_000 + 1000,
    customerAddressUid: b * 10_000 + 3000,
    customerTagsUid: b * 10_000 + 4000,
    contactsUdUid: b * 10_000 + 5000,
  };

  const addresses = new Map<number, AddressRow>();
  const makeAddress = (id: number, name: string, email: string | null): AddressRow => {
    const [city, state, zip] = rng.pick(cities);
    const street = `${rng.int(100, 9899)} ${rng.pick(STREETS)}`;
    const row: AddressRow = {
      id,
      name,
      mailAddress1: street,
      mailAddress2: rng.chance(0.3) ? `Suite ${rng.int(100, 450)}` : null,
      mailAddress3: null,
      mailCity: city,
      mailState: state,
      mailPostalCode: zip,
      mailCountry: 'USA',
      physAddress1: street,
      physAddress2: null,
      physAddress3: null,
      physCity: city,
      physState: state,
      physPostalCode: zip,
      physCountry: 'USA',
      class5Id: null,
      centralPhoneNumber: `${rng.int(200, 989)}-555-${String(rng.int(0, 9999)).padStart(4, '0')}`,
      upsCode: null,
      emailAddress: email,
      dateCreated: dateTime(Date.UTC(2018, 0, 1) + rng.int(0, 1500) * 86_400_000, rng),
    };
    addresses.set(id, row);
    return row;
  };

  // The site's own company address, home of the salesreps.
  const companyAddressId = b * 10_000;
  makeAddress(companyAddressId, `${site.companyId} Distribution HQ`, `sales@${site.siteId}.example`);

  const carriers = new Map<number, string>([
    [b * 10_000 + 9001, 'UPS Ground'],
    [b * 10_000 + 9002, 'FedEx Priority Overnight'],
    [b * 10_000 + 9003, 'Customer Pickup'],
  ]);
  const carrierIds = [...carriers.keys()];
  const locationIds = [b * 10 + 1, b * 10 + 2];

  const freightCodes = new Map<number, FreightCodeRow>();
  const freightSpecs: Array<[string, string, Flag]> = [
    ['UPS-GROUND', 'UPS Ground, prepaid and added to invoice', 'N'],
    ['FEDEX-PRI', 'FedEx Priority Overnight, prepaid and added', 'N'],
    ['FREE-FREIGHT', 'Free freight over minimum order', 'Y'],
  ];
  freightSpecs.forEach(([freightCd, freightDesc, free], index) => {
    const uid = b * 100 + index + 1;
    freightCodes.set(uid, freightCode(uid, site.companyId, freightCd, freightDesc, free));
  });
  const freightUids = [...freightCodes.keys()];

  const items: ItemRow[] = ITEMS.map(([itemId, itemDesc, unitOfMeasure, unitPrice], index) => ({
    invMastUid: b * 10_000 + 7001 + index,
    itemId,
    itemDesc,
    displayDesc: itemDesc,
    shortCode: itemId.split('-')[0] ?? itemId,
    unitOfMeasure,
    unitPrice,
    supplierId: b * 100 + (index % 3) + 1,
    salesUnitSize: 1,
    pricingUnitSize: 1,
  }));

  // Salesreps first: rep 0 carries most customers (for /contacts/{id}/customers).
  const contacts: ContactRow[] = [];
  const contactUd = new Map<string, ContactUdRow>();
  const makeContact = (first: string, last: string, addressId: number, role: number, title: string, domain: string): ContactRow => {
    const id = String(++counters.contact);
    const created = Date.UTC(2020, 0, 1) + rng.int(0, 1800) * 86_400_000;
    const row: ContactRow = {
      id,
      firstName: first,
      lastName: last,
      title,
      emailAddress: `${first}.${last}@${domain}`.toLowerCase(),
      phone: `${rng.int(200, 989)}-555-${String(rng.int(0, 9999)).padStart(4, '0')}`,
      ext: rng.chance(0.3) ? String(rng.int(100, 999)) : null,
      cellular: rng.chance(0.5) ? `${rng.int(200, 989)}-555-${String(rng.int(0, 9999)).padStart(4, '0')}` : null,
      directPhone: `${rng.int(200, 989)}-555-${String(rng.int(0, 9999)).padStart(4, '0')}`,
      addressId,
      contactRoleUid: role,
      class1Id: null,
      class2Id: null,
      class3Id: null,
      class4Id: null,
      class5Id: null,
      salesrepDefaultLocationId: role === 3 ? (locationIds[0] ?? null) : null,
      webAllowance: ((contacts.length % 4) + 1) * 250,
      dateCreated: dateTime(created, rng),
      dateLastModified: dateTime(created + rng.int(0, 300) * 86_400_000, rng),
    };
    contacts.push(row);
    // Every other contact has a user-defined-fields row (the rest answer 404 on /contacts-ud/{id}).
    if (contacts.length % 2 === 1) {
      contactUd.set(id, {
        id,
        contactsUdUid: ++counters.contactsUdUid,
        dateCreated: row.dateCreated,
        dateLastModified: row.dateLastModified,
        createdBy: 'p21import',
        lastMaintainedBy: 'p21import',
        fields: { preferredContact: rng.pick(['email', 'phone', 'text']), badgeNumber: `B-${rng.int(1000, 9999)}`, trainingCompleted: rng.pick(['Y', 'N']) },
      });
    }
    return row;
  };
  const reps = SALES_REPS[key].map(([first, last]) => makeContact(first, last, companyAddressId, 3, 'Account Representative', `${site.siteId}.example`));

  const customers: CustomerRow[] = [];
  const shipTos: ShipToRow[] = [];
  const customerAddresses: CustomerAddressRow[] = [];
  const tags: CustomerTagRow[] = [];
  const invoices: InvoiceRow[] = [];
  const orders: OrderRow[] = [];

  names.forEach((customerName, index) => {
    const big = index === 0;
    const customerId = b * 10_000 + 1 + index;
    const domain = `${customerName.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`;
    const created = Date.UTC(2019, 0, 1) + rng.int(0, 1500) * 86_400_000;
    const deleted = index === names.length - 1;
    const class5Id = index % 3 === 2 ? null : index % 3 === 0 ? 'FM01' : 'FM07'; // fiscal-month code: drives web allowance
    const customer: CustomerRow = {
      customerId,
      companyId: site.companyId,
      customerName,
      class1Id: rng.pick(['HOSP', 'CLINIC', 'LAB', 'SURG']),
      class2Id: index % 2 === 0 ? 'GPO' : null,
      class3Id: null,
      class4Id: null,
      class5Id,
      webEnabledFlag: deleted ? 'N' : 'Y',
      deleteFlag: deleted ? 'Y' : 'N',
      salesRepId: (index % 3 === 2 ? reps[1] : reps[0])?.id ?? null,
      poNoRequired: index % 2 === 0 ? 'Y' : 'N',
      termsId: index % 5 === 4 ? null : '01',
      termsDesc: index % 5 === 4 ? '' : 'Net 30',
      taxableFlag: index % 3 === 0 ? 'N' : 'Y',
      statusCd: deleted ? 705 : 704,
      jobPricing: index % 4 === 1 ? 'Y' : 'N',
      userDefined: index % 2 === 0 ? { region: rng.pick(['North', 'South', 'East', 'West']), gpoContract: `GPO-${rng.int(100, 999)}` } : {},
      dateCreated: dateTime(created, rng),
      dateLastModified: dateTime(created + rng.int(0, 600) * 86_400_000, rng),
    };
    customers.push(customer);
    const mainAddress = makeAddress(customerId, customerName, `ap@${domain}`);
    mainAddress.class5Id = class5Id;

    // Contacts of the customer (contacts.address_id = the customer's address id = customer id).
    const customerContacts = Array.from({ length: big ? 4 : 2 + (index % 2) }, (_, k) =>
      makeContact(rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES), customerId, k === 0 ? 1 : 2, TITLES[(index + k) % TITLES.length] ?? 'Buyer', domain),
    );

    // Ship-tos: each has its own P21 address; the last one has no freight code (freight-codes 404).
    const shipToCount = big ? 4 : 2 + (index % 2);
    const customerShipTos: ShipToRow[] = [];
    for (let k = 0; k < shipToCount; k += 1) {
      const shipToId = ++counters.shipTo;
      const label = k === 0 ? 'Receiving Dock' : k === 1 ? 'Biomedical Engineering' : k === 2 ? 'Central Sterile' : 'Outpatient Annex';
      const address = makeAddress(shipToId, `${customerName} - ${label}`, null);
      address.class5Id = class5Id;
      address.upsCode = k % 2 === 0 ? `UPS${rng.int(10000, 99999)}` : null;
      const row: ShipToRow = {
        shipToId,
        customerId,
        companyId: site.companyId,
        defaultBranch: k % 2 === 0 ? '01' : '02',
        defaultCarrierId: rng.pick(carrierIds),
        preferredLocationId: rng.pick(locationIds),
        deliveryInstructions: k === 1 ? 'Deliver to loading dock B, 7am-3pm' : null,
        shippingRouteUid: k === 0 ? b * 100 + 50 : null,
        routeCode: k === 0 ? 'R1' : null,
        routeDescription: k === 0 ? 'Morning metro route' : null,
        freightCodeUid: k === shipToCount - 1 ? null : (freightUids[k % freightUids.length] ?? null),
        dateCreated: address.dateCreated,
        dateLastModified: address.dateCreated,
      };
      customerShipTos.push(row);
      shipTos.push(row);
    }

    // Augur customer_address rows and tags (one inactive tag on every third customer).
    for (let k = 0; k < 2; k += 1) {
      const [city, state, zip] = rng.pick(cities);
      const when = dateTime(created + (k + 1) * 40 * 86_400_000, rng);
      customerAddresses.push({
        customerAddressUid: ++counters.customerAddressUid,
        customerId,
        address1: `${rng.int(100, 9899)} ${rng.pick(STREETS)}`,
        address2: k === 1 ? `Floor ${rng.int(2, 9)}` : null,
        address3: null,
        city,
        state,
        postalCode: zip,
        country: 'US',
        updateCd: 1185,
        statusCd: 704,
        processCd: 1185,
        dateCreated: when,
        dateLastModified: when,
        emailAddress: k === 0 ? `billing@${domain}` : `receiving@${domain}`,
        name: k === 0 ? `${customerName} Billing` : `${customerName} Receiving`,
        phoneNumberMain: `${rng.int(200, 989)}-555-${String(rng.int(0, 9999)).padStart(4, '0')}`,
        phoneNumberMobile: null,
      });
    }
    for (let k = 0; k < 2; k += 1) {
      const when = dateTime(created + (k + 2) * 30 * 86_400_000, rng);
      tags.push({
        customerTagsUid: ++counters.customerTagsUid,
        customerId,
        tag: TAGS[(index * 2 + k) % TAGS.length] ?? 'tag',
        updateCd: 1185,
        statusCd: k === 1 && index % 3 === 0 ? 705 : 704,
        processCd: 1185,
        dateCreated: when,
        dateLastModified: when,
      });
    }

    // Orders; every shipped order has exactly one invoice.
    const orderCount = big ? BIG_ORDER_COUNT : 6 + (index % 4);
    const customerInvoices: InvoiceRow[] = [];
    for (let k = 0; k < orderCount; k += 1) {
      const state: OrderState = big
        ? k % 20 === 2
          ? 'cancelled'
          : k % 20 === 12
            ? 'deleted'
            : k % 7 === 0
              ? 'open'
              : 'shipped'
        : (REGULAR_ORDER_STATES[k] ?? 'shipped');
      const day = addDays(SEED_END, -(big ? k * 5 + rng.int(0, 3) : k * 41 + rng.int(0, 20) + index));
      const shipTo = customerShipTos[k % customerShipTos.length] as ShipToRow;
      const contact = customerContacts[k % customerContacts.length] as ContactRow;
      const order = buildOrder({
        kind: 'order',
        orderNo: String(++counters.order),
        state,
        day,
        customer,
        shipTo,
        address: addresses.get(shipTo.shipToId) as AddressRow,
        contact,
        // The first order of each customer is open with a cancelled and a deleted line, so fullDocument=L differs.
        lineCount: k === 0 ? 4 : rng.int(1, 4),
        mixedLines: k === 0,
        webOrder: k % 3 === 0,
      });
      orders.push(order);
      if (state === 'shipped' || (state === 'open' && k % 2 === 1)) {
        order.pickTickets.push(pickTicket(order, state === 'shipped' ? Number(counters.invoice + 1) : null));
        // An open order's printed, not yet invoiced pick ticket holds its live lines.
        if (state === 'open') {
          for (const line of order.lines) if (line.cancelFlag !== 'Y' && line.deleteFlag !== 'Y') line.qtyOnPickTickets = line.qtyOrdered;
        }
      }
      if (state === 'shipped') {
        const invoice = buildInvoice(String(++counters.invoice), order, customer, shipTo, addresses, contact);
        customerInvoices.push(invoice);
      }
    }
    // Most recent two invoices and every seventh are still open (unpaid or partly paid).
    customerInvoices
      .sort((x, y) => y.invoiceDate.localeCompare(x.invoiceDate))
      .forEach((invoice, j) => {
        const unpaid = j < 2 || j % 7 === 3;
        if (unpaid) {
          invoice.paidInFullFlag = 'N';
          invoice.amountPaid = j % 2 === 1 ? money(invoice.totalAmount * 0.4) : 0;
          invoice.taxAmountPaid = 0;
          invoice.datePaid = null;
        }
      });
    invoices.push(...customerInvoices);

    // Quotes and RMAs (OrderDoc shapes with their own number ranges).
    const quoteCount = big ? 6 : 2;
    for (let k = 0; k < quoteCount; k += 1) {
      const shipTo = customerShipTos[k % customerShipTos.length] as ShipToRow;
      orders.push(
        buildOrder({
          kind: 'quote',
          orderNo: String(++counters.quote),
          state: 'open',
          day: addDays(SEED_END, -(k * 23 + rng.int(0, 10) + index)),
          customer,
          shipTo,
          address: addresses.get(shipTo.shipToId) as AddressRow,
          contact: customerContacts[0] as ContactRow,
          lineCount: rng.int(1, 3),
          mixedLines: false,
          webOrder: false,
        }),
      );
    }
    const rmaCount = big ? 3 : index % 2 === 1 ? 1 : 0;
    for (let k = 0; k < rmaCount; k += 1) {
      const shipTo = customerShipTos[0] as ShipToRow;
      orders.push(
        buildOrder({
          kind: 'rma',
          orderNo: String(++counters.rma),
          state: 'shipped',
          day: addDays(SEED_END, -(k * 57 + rng.int(0, 20) + index)),
          customer,
          shipTo,
          address: addresses.get(shipTo.shipToId) as AddressRow,
          contact: customerContacts[0] as ContactRow,
          lineCount: 1,
          mixedLines: false,
          webOrder: false,
        }),
      );
    }
  });

  return {
    site,
    companyAddressId,
    customers,
    addresses,
    contacts,
    contactUd,
    shipTos,
    freightCodes,
    customerAddresses,
    tags,
    items,
    invoices,
    orders,
    carriers,
    nextId: {
      contact: counters.contact + 1,
      address: counters.shipTo + 1,
      customerAddressUid: counters.customerAddressUid + 1,
      customerTagsUid: counters.customerTagsUid + 1,
      contactsUdUid: counters.contactsUdUid + 1,
    },
    refreshJobs: 0,
  };

  function buildOrder(spec: {
    kind: OrderRow['kind'];
    orderNo: string;
    state: OrderState;
    day: number;
    customer: CustomerRow;
    shipTo: ShipToRow;
    address: AddressRow;
    contact: ContactRow;
    lineCount: number;
    mixedLines: boolean;
    webOrder: boolean;
  }): OrderRow {
    const { state, day, customer: c, shipTo, address, contact, orderNo } = spec;
    const created = dateTime(day, rng);
    const carrierId = shipTo.defaultCarrierId;
    const lines: OrderLineRow[] = [];
    const used = new Set<number>();
    for (let n = 1; n <= spec.lineCount; n += 1) {
      let item = rng.pick(items);
      while (used.has(item.invMastUid)) item = rng.pick(items);
      used.add(item.invMastUid);
      const qty = rng.int(1, 12);
      const lineCancelled = state === 'cancelled' || (spec.mixedLines && n === 2);
      const lineDeleted = state === 'deleted' || (spec.mixedLines && n === 3);
      const shipped = state === 'shipped' && !lineCancelled && !lineDeleted;
      const uid = ++counters.oeLineUid;
      lines.push({
        invMastUid: item.invMastUid,
        cancelFlag: lineCancelled ? 'Y' : 'N',
        complete: shipped ? 'Y' : 'N',
        deleteFlag: lineDeleted ? 'Y' : 'N',
        disposition: state === 'open' && n === 1 && rng.chance(0.5) ? 'B' : null,
        itemDesc: item.itemDesc,
        displayDesc: item.displayDesc,
        itemId: item.itemId,
        shortCode: item.shortCode,
        lineNo: n,
        orderNo,
        originalQtyOrdered: qty,
        qtyAllocated: state === 'open' && !lineCancelled && !lineDeleted ? Math.min(qty, rng.int(0, qty)) : 0,
        qtyCanceled: lineCancelled ? qty : 0,
        qtyInvoiced: shipped ? qty : 0,
        qtyOnPickTickets: 0,
        qtyOrdered: qty,
        unitOfMeasure: item.unitOfMeasure,
        unitQuantity: qty,
        unitSize: 1,
        unitPrice: item.unitPrice,
        extendedPrice: money(qty * item.unitPrice),
        oeLineUid: uid,
        parentOeLineUid: 0,
      });
    }
    return {
      kind: spec.kind,
      orderNo,
      oeHdrUid: ++counters.oeHdrUid,
      customerId: c.customerId,
      customerName: c.customerName,
      companyId: c.companyId,
      jobName: rng.chance(0.3) ? rng.pick(['OR remodel', 'Annual PM', 'ICU expansion', 'Stock replenishment']) : null,
      orderDate: formatYmd(day),
      requestedDate: formatYmd(addDays(day, rng.int(2, 10))),
      cancelFlag: state === 'cancelled' ? 'Y' : 'N',
      completed: state === 'shipped' ? 'Y' : 'N',
      deleteFlag: state === 'deleted' ? 'Y' : 'N',
      approved: spec.kind === 'quote' ? 'N' : 'Y',
      poNo: c.poNoRequired === 'Y' || rng.chance(0.5) ? `PO-${c.customerId}-${rng.int(1000, 9999)}` : null,
      ship2Name: address.name,
      ship2Add1: address.mailAddress1,
      ship2Add2: address.mailAddress2,
      ship2Add3: address.mailAddress3,
      ship2City: address.mailCity,
      ship2State: address.mailState,
      ship2Zip: address.mailPostalCode,
      ship2Country: address.mailCountry,
      ship2EmailAddress: contact.emailAddress,
      shipToPhone: address.centralPhoneNumber,
      deliveryInstructions: shipTo.deliveryInstructions,
      class1Id: c.class1Id,
      class2Id: c.class2Id,
      class3Id: c.class3Id,
      class4Id: c.class4Id,
      class5Id: c.class5Id,
      contactId: contact.id,
      webReferenceNo: spec.webOrder ? `WEB-${orderNo}` : null,
      validationStatus: state === 'open' && rng.chance(0.2) ? 'HOLD' : null,
      taker: rng.pick(['JSMITH', 'MKELLY', 'WEBUSER']),
      carrierId,
      locationId: shipTo.preferredLocationId,
      shippingRouteUid: shipTo.shippingRouteUid,
      terms: c.termsId,
      projectedOrder: 'N',
      sourceCodeNo: 706,
      orderPriorityUid: null,
      freightOut: money(rng.int(0, 4500) / 100),
      rmaFlag: spec.kind === 'rma' ? 'Y' : 'N',
      dateOrderCompleted: state === 'shipped' ? dateTime(addDays(day, 3), rng) : null,
      statusCd: 704,
      updateCd: 1185,
      requestedDownpayment: null,
      downpaymentInvoiced: null,
      addressId: shipTo.shipToId,
      dateCreated: created,
      dateLastModified: state === 'open' ? created : dateTime(addDays(day, 3), rng),
      dateLastChecked: dateTime(addDays(day, 4), rng),
      lines,
      pickTickets: [],
    };
  }

  function pickTicket(order: OrderRow, invoiceNo: number | null): PickTicketRow {
    const live = order.lines.filter((line) => line.cancelFlag !== 'Y' && line.deleteFlag !== 'Y');
    const carrierName = order.carrierId === null ? '' : (carriers.get(order.carrierId) ?? '');
    const shipDate = formatYmd(addDays(Date.parse(`${order.orderDate}T00:00:00Z`), 2));
    return {
      pickTicketNo: ++counters.pickTicket,
      trackingNo: invoiceNo === null ? null : `1Z${String(rng.int(10_000_000, 99_999_999))}${String(rng.int(10_000_000, 99_999_999))}`,
      orderNo: order.orderNo,
      invoiceNo,
      shipDate: invoiceNo === null ? null : shipDate,
      printedFlag: 'Y',
      printDate: shipDate,
      instructions: order.deliveryInstructions,
      carrierId: order.carrierId,
      carrierName,
      lines: live.map((line) => ({
        lineNumber: line.lineNo,
        shipQuantity: invoiceNo === null ? 0 : line.qtyOrdered,
        qtyRequested: line.qtyOrdered,
        invMastUid: line.invMastUid,
        itemId: line.itemId,
        itemDesc: line.itemDesc,
        displayDesc: line.displayDesc,
      })),
    };
  }

  function buildInvoice(
    invoiceNo: string,
    order: OrderRow,
    c: CustomerRow,
    shipTo: ShipToRow,
    allAddresses: Map<number, AddressRow>,
    contact: ContactRow,
  ): InvoiceRow {
    const invoiceDay = addDays(Date.parse(`${order.orderDate}T00:00:00Z`), 3);
    const bill = allAddresses.get(c.customerId) as AddressRow;
    const ship = allAddresses.get(shipTo.shipToId) as AddressRow;
    const live = order.lines.filter((line) => line.cancelFlag !== 'Y' && line.deleteFlag !== 'Y');
    const subtotal = money(live.reduce((sum, line) => sum + (line.extendedPrice ?? 0), 0));
    const taxAmount = c.taxableFlag === 'Y' ? money(subtotal * 0.07) : 0;
    const freight = order.freightOut;
    const totalAmount = money(subtotal + taxAmount + freight);
    return {
      invoiceNo,
      customerId: c.customerId,
      customerName: c.customerName,
      orderNo: order.orderNo,
      invoiceDate: formatYmd(invoiceDay),
      poNo: order.poNo,
      ship2Name: ship.name,
      ship2Contact: `${contact.firstName} ${contact.lastName}`,
      ship2Address1: ship.mailAddress1,
      ship2Address2: ship.mailAddress2,
      ship2Address3: ship.mailAddress3,
      ship2City: ship.mailCity,
      ship2State: ship.mailState,
      ship2PostalCode: ship.mailPostalCode,
      ship2Country: ship.mailCountry,
      ship2EmailAddress: contact.emailAddress,
      shipToPhone: ship.centralPhoneNumber,
      bill2Name: bill.name,
      bill2Contact: 'Accounts Payable',
      bill2Address1: bill.mailAddress1,
      bill2Address2: bill.mailAddress2,
      bill2Address3: bill.mailAddress3,
      bill2City: bill.mailCity,
      bill2State: bill.mailState,
      bill2PostalCode: bill.mailPostalCode,
      bill2Country: bill.mailCountry,
      totalAmount,
      amountPaid: totalAmount,
      paidInFullFlag: 'Y',
      taxAmount,
      taxAmountPaid: taxAmount,
      shippingCost: freight,
      freight,
      datePaid: formatYmd(addDays(invoiceDay, 25)),
      shipToId: shipTo.shipToId,
      contactId: order.contactId,
      dateCreated: dateTime(invoiceDay, rng),
      dateLastModified: dateTime(addDays(invoiceDay, 25), rng),
      lines: live.map((line, index) => {
        const item = items.find((candidate) => candidate.invMastUid === line.invMastUid) as ItemRow;
        return {
          lineNo: index + 1,
          invMastUid: line.invMastUid,
          itemId: line.itemId,
          itemDesc: line.itemDesc ?? '',
          shortCode: line.shortCode,
          unitOfMeasure: line.unitOfMeasure,
          unitPrice: line.unitPrice ?? 0,
          extendedPrice: line.extendedPrice ?? 0,
          qtyRequested: line.qtyOrdered ?? 0,
          qtyShipped: line.qtyOrdered ?? 0,
          orderNo: order.orderNo,
          oeLineNumber: line.lineNo,
          supplierId: item.supplierId,
        };
      }),
    };
  }
}

function freightCode(uid: number, companyId: string, freightCd: string, freightDesc: string, free: Flag): FreightCodeRow {
  return {
    freightCodeUid: uid,
    companyId,
    freightCd,
    freightDesc,
    incomingFreight: 'N',
    outgoingFreight: 'Y',
    incomingReduceCommission: 'N',
    outgoingIncreaseCommission: 'N',
    prorateMethodCodeNo: 1,
    taxGroupId: null,
    revenueAccountNo: '4100-00',
    rowStatus: 704,
    dateCreated: '2021-03-01 09:00:00',
    dateLastModified: '2024-02-15 10:30:00',
    lastMaintainedBy: 'admin',
    freeFreightBasisCd: free === 'Y' ? 1 : null,
    freeInFreightMin: null,
    freeOutFreightMin: free === 'Y' ? 500 : null,
    directShipFreeFreightFlag: 'N',
    freeInFreightMinWeb: null,
    freeOutFreightMinWeb: free === 'Y' ? 350 : null,
    handlingChargeOptionCd: null,
    externalTaxProductCodeIn: null,
    externalTaxProductCodeOut: null,
    incomingIncreaseCommission: 'N',
    paySpecialFlag: 'N',
    skipFirstShipmentFlag: 'N',
    excludeFromSalesMasterInquiry: 'N',
    deductibleFlag: null,
    freeColdFreight: 'N',
    freeHazmatFreight: 'N',
    freeExpressFreight: 'N',
    freeBulkFreight: free,
    fedexPaymentMethod: null,
    excludeDiscountedFreight: 'N',
    freeFreightDefaultFlag: free,
    outgoingAdjustCommissionByProfitFlag: 'N',
    updateCd: 1185,
    statusCd: 704,
    processCd: 1185,
  };
}
