import type { TenantId } from './credentials.js';

/**
 * The sandbox's deterministic data: the same tenants, users, catalog and orders on every start (a seeded PRNG,
 * never Math.random), holding the example ids the PartsSource docs use (requester 12345, user 67890, facility 1001,
 * shipping 2001/4001, billing 3001, manufacturer 26799, PO-456).
 */

export interface Address {
  id: number;
  name: string;
  line1: string;
  line2?: string;
  city: string;
  state: string;
  postalCode: string;
  country: 'US';
  isDefault?: boolean;
}
export interface Company {
  id: number;
  name: string;
  rootCompanyId: number;
  facilities: Array<{ id: number; name: string }>;
}
export interface User {
  contactId: number;
  userName: string;
  firstName: string;
  lastName: string;
  email: string;
  companyIds: number[];
  shippingAddressIds: number[];
  billingAddressIds: number[];
}
export interface TenantData {
  companies: Company[];
  shippingAddresses: Address[];
  billingAddresses: Address[];
  users: User[];
}
export interface Manufacturer {
  manufacturerId: number;
  name: string;
}
export interface RequiredField {
  name: string;
  label: string;
  required: boolean;
}
export interface PriceOption {
  priceOptionId: string;
  price: number;
  condition: string;
  warranty: string;
  purchaseChoice: string;
  vendor: string;
  requiredFields?: RequiredField[];
}
export interface Product {
  productId: string;
  partNumber: string;
  description: string;
  manufacturer: string;
  manufacturerId: number;
  /** The New OEM list price. */
  price: number;
  quantityAvailable: number;
  options: PriceOption[];
}
export type OrderStatus = 'Pending' | 'Research' | 'EOrdered' | 'Completed';
export const ORDER_STATUSES: OrderStatus[] = ['Pending', 'Research', 'EOrdered', 'Completed'];
export const SHIPPING_METHODS = ['NEXTDAYFIRST', 'NEXTDAYSTANDARD', 'TWODAY', 'THREEDAY', 'GROUND'] as const;
export type ShippingMethod = (typeof SHIPPING_METHODS)[number];

export interface OrderLine {
  lineId: number;
  productId: string;
  priceOptionId: string;
  partNumber: string;
  description: string;
  quantity: number;
  unitPrice: number;
  /** Line-level status: Pending, Research, EOrdered, Backordered or Shipped (webhook events exist for the last two). */
  status: string;
  trackingNumber: string | null;
  carrier: string | null;
  requiredFields?: Record<string, string>;
}
export interface Order {
  orderId: number;
  status: OrderStatus;
  poNumber: string | null;
  createdDate: string;
  companyId: number;
  rootCompanyId: number;
  requesterId: number;
  userId: number | null;
  facilityId: number;
  shippingMethod: ShippingMethod;
  useShippingAccount: boolean;
  shippingAddressId: number;
  billingAddressId: number;
  lineItems: OrderLine[];
}

/** mulberry32: tiny, seeded, good enough for fixtures. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

// ---------------------------------------------------------------------------------------------------------------
// Tenants

const addr = (id: number, name: string, line1: string, city: string, state: string, postalCode: string, isDefault?: boolean): Address => ({
  id,
  name,
  line1,
  city,
  state,
  postalCode,
  country: 'US',
  ...(isDefault === undefined ? {} : { isDefault }),
});

const user = (
  contactId: number,
  userName: string,
  firstName: string,
  lastName: string,
  domain: string,
  companyIds: number[],
  shippingAddressIds: number[],
  billingAddressIds: number[],
): User => ({
  contactId,
  userName,
  firstName,
  lastName,
  email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@${domain}`,
  companyIds,
  shippingAddressIds,
  billingAddressIds,
});

const ACME_DOMAIN = 'generalhospital.example.org';
const GLOBEX_DOMAIN = 'riversidemedical.example.org';

export const TENANTS: Record<TenantId, TenantData> = {
  acme: {
    companies: [
      { id: 1001, name: 'General Hospital', rootCompanyId: 1000, facilities: [{ id: 1001, name: 'Main Campus' }, { id: 1002, name: 'North Clinic' }] },
      { id: 1002, name: 'General Surgery Center', rootCompanyId: 1000, facilities: [{ id: 1003, name: 'Surgery Center' }] },
    ],
    shippingAddresses: [
      addr(2001, 'Main Campus Receiving', '1200 Euclid Ave', 'Cleveland', 'OH', '44115', true),
      addr(4001, 'North Clinic Biomed', '4500 Lakeshore Blvd', 'Cleveland', 'OH', '44110', false),
      addr(2002, 'Surgery Center Dock', '77 Cedar Rd', 'Beachwood', 'OH', '44122', true),
    ],
    billingAddresses: [
      addr(3001, 'Accounts Payable', '1200 Euclid Ave', 'Cleveland', 'OH', '44115', true),
      addr(3002, 'Surgery Center AP', '77 Cedar Rd', 'Beachwood', 'OH', '44122', true),
    ],
    users: [
      user(12345, 'jdoe', 'Jane', 'Doe', ACME_DOMAIN, [1001], [2001, 4001], [3001]),
      user(67890, 'jsmith', 'John', 'Smith', ACME_DOMAIN, [1001], [2001], [3001]),
      user(12346, 'mgarcia', 'Maria', 'Garcia', ACME_DOMAIN, [1001], [4001], [3001]),
      user(12347, 'rchen', 'Robert', 'Chen', ACME_DOMAIN, [1002], [2002], [3002]),
      user(12348, 'ejohnson', 'Emily', 'Johnson', ACME_DOMAIN, [1001, 1002], [2001, 2002], [3001, 3002]),
      user(12349, 'mbrown', 'Michael', 'Brown', ACME_DOMAIN, [1001], [2001], [3001]),
      user(12350, 'sdoe', 'Samuel', 'Doe', ACME_DOMAIN, [1002], [2002], [3002]),
      user(12351, 'dwilson', 'David', 'Wilson', ACME_DOMAIN, [1001], [4001], [3001]),
      user(12352, 'lmartinez', 'Linda', 'Martinez', ACME_DOMAIN, [1001], [2001], [3001]),
    ],
  },
  globex: {
    companies: [{ id: 5001, name: 'Riverside Medical Center', rootCompanyId: 5000, facilities: [{ id: 5001, name: 'Riverside Main' }, { id: 5002, name: 'Riverside Imaging' }] }],
    shippingAddresses: [
      addr(6001, 'Riverside Receiving', '300 River Rd', 'Sacramento', 'CA', '95814', true),
      addr(6002, 'Imaging Annex', '310 River Rd', 'Sacramento', 'CA', '95814', false),
    ],
    billingAddresses: [addr(7001, 'Riverside Finance', '300 River Rd', 'Sacramento', 'CA', '95814', true)],
    users: [
      user(22222, 'arivera', 'Alex', 'Rivera', GLOBEX_DOMAIN, [5001], [6001, 6002], [7001]),
      user(22223, 'ppatel', 'Priya', 'Patel', GLOBEX_DOMAIN, [5001], [6001], [7001]),
      user(22224, 'tbecker', 'Tom', 'Becker', GLOBEX_DOMAIN, [5001], [6002], [7001]),
      user(22225, 'gkim', 'Grace', 'Kim', GLOBEX_DOMAIN, [5001], [6001], [7001]),
      user(22226, 'ohaddad', 'Omar', 'Haddad', GLOBEX_DOMAIN, [5001], [6001], [7001]),
    ],
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Catalog (global: every tenant sees the same parts)

const POOLS = {
  ultrasound: [
    'Convex Array Ultrasound Probe C5-1',
    'Linear Array Ultrasound Probe L12-5',
    'Phased Array Ultrasound Probe S5-1',
    'Endocavity Ultrasound Probe C10-3v',
    'TEE Ultrasound Probe X7-2t',
    'Trackball Assembly',
    'Control Panel Keyboard',
    'Power Supply Module',
    'Probe Connector Board',
    'LCD Monitor Assembly',
    'Cooling Fan Assembly',
    'Transducer Cable Assembly',
  ],
  monitoring: [
    'SpO2 Finger Probe, Reusable',
    'Skin Temperature Probe',
    'Esophageal Temperature Probe',
    'ECG 5-Lead Trunk Cable',
    'NIBP Hose, Adult',
    'Lithium-Ion Battery Pack',
    'Main Processor Board',
    'Touchscreen Display Assembly',
    'Power Supply Board',
    'Speaker Assembly',
    'Module Rack Interface Board',
    'Rotary Knob Encoder',
  ],
  imaging: [
    'X-Ray Tube Assembly',
    'Collimator Lamp',
    'Detector Interface Board',
    'High Voltage Cable',
    'Gantry Slip Ring Brush Block',
    'Table Drive Motor',
    'RF Coil Connector',
    'Cooling Pump Assembly',
    'Operator Console Keyboard',
    'Image Reconstruction Board',
    'Exposure Hand Switch',
    'Anti-Scatter Grid Assembly',
  ],
  therapy: [
    'Infusion Pump Door Assembly',
    'Pumping Mechanism Assembly',
    'Air-In-Line Sensor',
    'Main Battery Pack',
    'Keypad Membrane',
    'Pressure Transducer',
    'Display Board',
    'Hospital Grade AC Power Cord',
    'Flow Sensor',
    'Exhalation Valve Assembly',
    'O2 Cell Sensor',
    'Patient Circuit Adapter',
  ],
  surgical: [
    'Handpiece Cable',
    'Footswitch Assembly',
    'Battery Charger Module',
    'Light Source Lamp Module',
    'Video Processor Board',
    'Insertion Tube Assembly',
    'Light Guide Cable',
    'Temperature Probe Adapter Cable',
    'Drive Motor Assembly',
    'Front Panel Overlay',
    'Bipolar Output Board',
    'Camera Head Cable',
  ],
} as const;

interface MakerSpec {
  manufacturerId: number;
  name: string;
  short: string;
  /** Product lines: which kind of parts fit which equipment models. */
  lines: Array<[keyof typeof POOLS, string[]]>;
  /** `#` becomes a digit. */
  partNumber: string;
}

const MAKERS: MakerSpec[] = [
  { manufacturerId: 26799, name: 'Philips Healthcare', short: 'Philips', lines: [['ultrasound', ['Epiq 7', 'Affiniti 70', 'CX50']], ['monitoring', ['IntelliVue MX450', 'IntelliVue MP70', 'Efficia CM10']]], partNumber: '989803######' },
  { manufacturerId: 10452, name: 'GE Healthcare', short: 'GE', lines: [['ultrasound', ['LOGIQ E10', 'Vivid E95', 'Voluson E8']], ['monitoring', ['CARESCAPE B650', 'Dash 4000']], ['imaging', ['Optima CT660', 'Revolution CT', 'AMX 4 Plus']]], partNumber: '5######-###' },
  { manufacturerId: 31877, name: 'Siemens Healthineers', short: 'Siemens', lines: [['ultrasound', ['ACUSON Sequoia', 'ACUSON Juniper']], ['imaging', ['SOMATOM go.Up', 'MAGNETOM Aera', 'Mobilett Mira Max']]], partNumber: '10######' },
  { manufacturerId: 18340, name: 'Canon Medical Systems', short: 'Canon', lines: [['ultrasound', ['Aplio i800', 'Xario 200G']], ['imaging', ['Aquilion ONE', 'Vantage Orian']]], partNumber: 'BSM##-####' },
  { manufacturerId: 40127, name: 'Mindray', short: 'Mindray', lines: [['ultrasound', ['Resona 7', 'DC-70']], ['monitoring', ['BeneVision N12', 'ePM 10']]], partNumber: '####-20-#####' },
  { manufacturerId: 22690, name: 'Draeger', short: 'Draeger', lines: [['monitoring', ['Infinity Delta', 'Infinity M540']], ['therapy', ['Evita V500', 'Savina 300', 'Babyleo TN500']]], partNumber: 'MX#####' },
  { manufacturerId: 12215, name: 'Baxter', short: 'Baxter', lines: [['therapy', ['Sigma Spectrum', 'Prismaflex', 'Colleague 3']]], partNumber: '#####-###' },
  { manufacturerId: 35502, name: 'Stryker', short: 'Stryker', lines: [['surgical', ['1688 AIM Camera', 'System 8', 'L11 LED Light Source']], ['monitoring', ['LIFEPAK 15', 'LIFEPAK 20e']]], partNumber: '####-###-###' },
  { manufacturerId: 41870, name: 'Welch Allyn', short: 'Welch Allyn', lines: [['monitoring', ['Connex VSM 6000', 'Spot Vital Signs 4400', 'SureTemp Plus 690']]], partNumber: '#####-####' },
  { manufacturerId: 29114, name: 'Medtronic', short: 'Medtronic', lines: [['monitoring', ['Nellcor PM1000N', 'Nellcor Bedside SpO2']], ['therapy', ['Puritan Bennett 980', 'Puritan Bennett 840']], ['surgical', ['Valleylab FT10', 'Force FX']]], partNumber: 'PM#####' },
  { manufacturerId: 17008, name: 'Olympus', short: 'Olympus', lines: [['surgical', ['EVIS EXERA III CV-190', 'CLV-190 Light Source', 'GIF-H190 Gastroscope']]], partNumber: 'MAJ-####' },
];

export const MANUFACTURERS: Manufacturer[] = MAKERS.map(({ manufacturerId, name }) => ({ manufacturerId, name }));

const VENDORS = ['MedParts Depot', 'Summit Biomedical', 'Apex Refurb Solutions', 'Keystone Imaging Parts', 'Coastal Clinical Supply'];
const FLAT_RATE_FIELDS: RequiredField[] = [
  { name: 'repairReason', label: 'Repair reason', required: true },
  { name: 'serialNumber', label: 'Equipment serial number', required: true },
  { name: 'assetId', label: 'Asset ID', required: false },
];
const PRODUCTS_PER_MAKER = 30;

function buildCatalog(): Product[] {
  const rand = prng(0x5eed_2026);
  const digits = (pattern: string) => pattern.replace(/#/g, () => String(Math.floor(rand() * 10)));
  const seenPartNumbers = new Set<string>();
  const products: Product[] = [];
  for (const maker of MAKERS) {
    for (let k = 0; k < PRODUCTS_PER_MAKER; k++) {
      const [poolName, models] = maker.lines[k % maker.lines.length]!;
      const pool = POOLS[poolName];
      const round = Math.floor(k / maker.lines.length);
      const component = pool[round % pool.length]!;
      const model = models[(round + Math.floor(round / pool.length)) % models.length]!;
      let partNumber = digits(maker.partNumber);
      while (seenPartNumbers.has(partNumber)) partNumber = digits(maker.partNumber);
      seenPartNumbers.add(partNumber);
      const productId = `CAT-${100 + products.length}`;
      const heavy = /Ultrasound Probe|Tube Assembly|Detector|Gantry|Reconstruction|Insertion/.test(component);
      const price = round2((heavy ? 900 : 40) + rand() * (heavy ? 9000 : 1800));
      const vendor = () => VENDORS[Math.floor(rand() * VENDORS.length)]!;
      const options: PriceOption[] = [
        { priceOptionId: `OPT-${productId}-1`, price, condition: 'New OEM', warranty: '12 Months', purchaseChoice: 'Buy', vendor: maker.name },
        { priceOptionId: `OPT-${productId}-2`, price: round2(price * 0.62), condition: 'Refurbished', warranty: '6 Months', purchaseChoice: 'Buy', vendor: vendor() },
      ];
      if (rand() < 0.5) {
        options.push({ priceOptionId: `OPT-${productId}-3`, price: round2(price * 0.45), condition: 'Aftermarket', warranty: '90 Days', purchaseChoice: 'Exchange', vendor: vendor() });
      }
      // Repairable assemblies also offer a flat-rate repair (one order line per unit, with vendor fields).
      if (/Probe|Board|Module|Assembly/.test(component) && rand() < 0.6) {
        options.push({
          priceOptionId: `OPT-${productId}-${options.length + 1}`,
          price: round2(price * 0.3),
          condition: 'Aftermarket Flat Rate Repair',
          warranty: '6 Months',
          purchaseChoice: 'Outright Repair',
          vendor: vendor(),
          requiredFields: FLAT_RATE_FIELDS.map((f) => ({ ...f })),
        });
      }
      products.push({
        productId,
        partNumber,
        description: `${component}, ${maker.short} ${model}`,
        manufacturer: maker.name,
        manufacturerId: maker.manufacturerId,
        price,
        quantityAvailable: Math.floor(rand() * 60),
        options,
      });
    }
  }
  return products;
}

export const CATALOG: Product[] = buildCatalog();
export const PRODUCTS_BY_ID = new Map(CATALOG.map((p) => [p.productId, p]));
/** Every price option id the catalog can quote, with its product. */
export const OPTIONS_BY_ID = new Map(CATALOG.flatMap((p) => p.options.map((o) => [o.priceOptionId, { product: p, option: o }] as const)));

// ---------------------------------------------------------------------------------------------------------------
// Orders

interface OrderSeed {
  tenant: TenantId;
  orderId: number;
  status: OrderStatus;
  poNumber: string | null;
  createdDate: string;
  companyId: number;
  requesterId: number;
  facilityId: number;
  shippingAddressId: number;
  billingAddressId: number;
  shippingMethod: ShippingMethod;
  lines: number;
}

const ORDER_SEEDS: OrderSeed[] = [
  { tenant: 'acme', orderId: 10001, status: 'Pending', poNumber: 'PO-456', createdDate: '2025-06-02T14:30:00Z', companyId: 1001, requesterId: 12345, facilityId: 1001, shippingAddressId: 2001, billingAddressId: 3001, shippingMethod: 'GROUND', lines: 2 },
  { tenant: 'acme', orderId: 10002, status: 'Research', poNumber: 'PO-457', createdDate: '2025-05-20T09:12:00Z', companyId: 1001, requesterId: 67890, facilityId: 1001, shippingAddressId: 2001, billingAddressId: 3001, shippingMethod: 'TWODAY', lines: 1 },
  { tenant: 'acme', orderId: 10003, status: 'EOrdered', poNumber: 'PO-458', createdDate: '2025-04-11T16:45:00Z', companyId: 1001, requesterId: 12345, facilityId: 1002, shippingAddressId: 4001, billingAddressId: 3001, shippingMethod: 'NEXTDAYSTANDARD', lines: 3 },
  { tenant: 'acme', orderId: 10004, status: 'Completed', poNumber: 'PO-459', createdDate: '2025-02-03T11:00:00Z', companyId: 1001, requesterId: 12345, facilityId: 1001, shippingAddressId: 2001, billingAddressId: 3001, shippingMethod: 'NEXTDAYFIRST', lines: 2 },
  { tenant: 'acme', orderId: 10005, status: 'Completed', poNumber: 'PO-460', createdDate: '2024-11-18T08:05:00Z', companyId: 1002, requesterId: 12347, facilityId: 1003, shippingAddressId: 2002, billingAddressId: 3002, shippingMethod: 'GROUND', lines: 1 },
  { tenant: 'acme', orderId: 10006, status: 'Pending', poNumber: null, createdDate: '2025-06-10T13:20:00Z', companyId: 1001, requesterId: 12348, facilityId: 1001, shippingAddressId: 2001, billingAddressId: 3001, shippingMethod: 'THREEDAY', lines: 1 },
  { tenant: 'acme', orderId: 10007, status: 'EOrdered', poNumber: 'PO-461', createdDate: '2025-03-27T10:00:00Z', companyId: 1002, requesterId: 12350, facilityId: 1003, shippingAddressId: 2002, billingAddressId: 3002, shippingMethod: 'GROUND', lines: 2 },
  { tenant: 'acme', orderId: 10008, status: 'Completed', poNumber: 'PO-2020-17', createdDate: '2020-11-15T15:40:00Z', companyId: 1001, requesterId: 67890, facilityId: 1001, shippingAddressId: 2001, billingAddressId: 3001, shippingMethod: 'GROUND', lines: 1 },
  { tenant: 'globex', orderId: 20001, status: 'Pending', poNumber: 'RMC-1001', createdDate: '2025-05-05T12:00:00Z', companyId: 5001, requesterId: 22222, facilityId: 5001, shippingAddressId: 6001, billingAddressId: 7001, shippingMethod: 'GROUND', lines: 2 },
  { tenant: 'globex', orderId: 20002, status: 'Completed', poNumber: 'RMC-1002', createdDate: '2025-01-22T09:30:00Z', companyId: 5001, requesterId: 22223, facilityId: 5002, shippingAddressId: 6002, billingAddressId: 7001, shippingMethod: 'TWODAY', lines: 1 },
  { tenant: 'globex', orderId: 20003, status: 'EOrdered', poNumber: 'RMC-1003', createdDate: '2025-04-02T17:15:00Z', companyId: 5001, requesterId: 22222, facilityId: 5001, shippingAddressId: 6001, billingAddressId: 7001, shippingMethod: 'NEXTDAYSTANDARD', lines: 1 },
];

const LINE_STATUS: Record<OrderStatus, string> = { Pending: 'Pending', Research: 'Research', EOrdered: 'EOrdered', Completed: 'Shipped' };
const CARRIERS = ['UPS', 'FedEx'];

export interface SeededOrder extends Order {
  tenant: TenantId;
}

function seedOrders(): SeededOrder[] {
  const rand = prng(0x0dd5eed);
  let lineId = 789012;
  return ORDER_SEEDS.map((seed) => {
    const root = TENANTS[seed.tenant].companies.find((c) => c.id === seed.companyId)!.rootCompanyId;
    const lineItems: OrderLine[] = Array.from({ length: seed.lines }, (_, i) => {
      const product = CATALOG[Math.floor(rand() * CATALOG.length)]!;
      const option = product.options.find((o) => !o.requiredFields) ?? product.options[0]!;
      const shipped = seed.status === 'Completed';
      const carrier = CARRIERS[i % CARRIERS.length]!;
      return {
        lineId: lineId++,
        productId: product.productId,
        priceOptionId: option.priceOptionId,
        partNumber: product.partNumber,
        description: product.description,
        quantity: 1 + Math.floor(rand() * 3),
        unitPrice: option.price,
        // One line of an EOrdered multi-line order is backordered, as the order.line.backordered webhook suggests.
        status: seed.status === 'EOrdered' && i === 1 ? 'Backordered' : LINE_STATUS[seed.status],
        trackingNumber: shipped ? (carrier === 'UPS' ? `1Z999AA1${String(seed.orderId)}${i}` : `7489${String(seed.orderId)}0${i}`) : null,
        carrier: shipped ? carrier : null,
      };
    });
    return {
      tenant: seed.tenant,
      orderId: seed.orderId,
      status: seed.status,
      poNumber: seed.poNumber,
      createdDate: seed.createdDate,
      companyId: seed.companyId,
      rootCompanyId: root,
      requesterId: seed.requesterId,
      userId: null,
      facilityId: seed.facilityId,
      shippingMethod: seed.shippingMethod,
      useShippingAccount: false,
      shippingAddressId: seed.shippingAddressId,
      billingAddressId: seed.billingAddressId,
      lineItems,
    };
  });
}

/** Fresh copies each call, so every sandbox instance starts from the same state. */
export function initialOrders(): SeededOrder[] {
  return seedOrders();
}

// ---------------------------------------------------------------------------------------------------------------
// Fixtures for tests and the demo

const probeProduct = CATALOG.find((p) => /probe/i.test(p.description))!;
const flatRateProduct = CATALOG.find((p) => p.options.some((o) => o.requiredFields))!;

export const SANDBOX_PARTSSOURCE_FIXTURES = {
  acme: {
    userId: 12345,
    contactId: 12345,
    username: 'jdoe',
    secondUserId: 67890,
    companyId: 1001,
    rootCompanyId: 1000,
    facilityId: 1001,
    shippingAddressId: 2001,
    secondShippingAddressId: 4001,
    billingAddressId: 3001,
    orderIds: { Pending: 10001, Research: 10002, EOrdered: 10003, Completed: 10004 },
    poNumber: 'PO-456',
    lineId: 789012,
  },
  globex: {
    contactId: 22222,
    username: 'arivera',
    companyId: 5001,
    facilityId: 5001,
    shippingAddressId: 6001,
    billingAddressId: 7001,
    orderId: 20001,
  },
  manufacturer: { manufacturerId: 26799, name: 'Philips Healthcare' },
  probeProductId: probeProduct.productId,
  flatRateProductId: flatRateProduct.productId,
  unknownProductId: 'CAT-999999',
  unknownOrderId: 99_999_999,
  unknownUserId: 99_999,
} as const;
