import * as z from 'zod';

/**
 * Response shapes of the Augur customers service (augur-reference.md §2.4, the "documented minimum"). Tolerant on
 * purpose: unknown fields pass through, fields the reference gives as nullable are nullish, and every id accepts
 * `number | string` because the service types them inconsistently (§4.3).
 */

/** Any id or document number: P21 numeric keys arrive as JSON numbers, document and contact numbers as strings. */
export const AnyId = z.union([z.number(), z.string()]);
const id = AnyId;
const str = z.string().nullish();
const num = z.number().nullish();
const int = z.number().int().nullish();
/** Y/N flags (one-character strings; null means "not set"). */
const flag = z.string().nullish();

/** The 8-key envelope every Augur response carries (§3.1). */
export const ENVELOPE_KEYS = ['count', 'data', 'message', 'options', 'params', 'status', 'total', 'totalResults'] as const;
export const Envelope = z.looseObject({
  count: z.number(),
  data: z.unknown(),
  message: z.string().nullish(),
  options: z.unknown(),
  params: z.unknown(),
  status: z.number(),
  total: z.number(),
  totalResults: z.number(),
});

/** `userDefined` is an object keyed by field name, or `[]` when there is none (PHP quirk). */
const userDefined = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).nullish();

export const HealthCheck = z.looseObject({ siteHash: str, siteId: z.string() });

export const WhoAmI = z.looseObject({
  email: str,
  name: str,
  scope: z.unknown().optional(),
  siteId: z.string(),
  tokenType: str,
  userId: id.nullish(),
  username: str,
});

export const CustomerDoc = z.looseObject({
  customerId: id,
  companyId: str,
  customerName: str,
  class1Id: str,
  class2Id: str,
  class3Id: str,
  class4Id: str,
  class5Id: str,
  webEnabledFlag: flag,
  deleteFlag: flag,
  salesRepId: id.nullish(),
  poNoRequired: flag,
  termsId: str,
  termsDesc: str,
  taxableFlag: flag,
  statusCd: int,
  jobPricing: flag,
  userDefined,
});

export const CustomerLookupItem = z.looseObject({ customerId: id, customerName: str });

export const AddressLookupItem = z.looseObject({
  id,
  name: str,
  mailAddress1: str,
  mailAddress2: str,
  mailCity: str,
  mailState: str,
  mailPostalCode: str,
  mailCountry: str,
});

export const CustomerAddress = z.looseObject({
  customerAddressUid: id,
  customerId: id.nullish(),
  name: str,
  address1: str,
  address2: str,
  address3: str,
  city: str,
  state: str,
  postalCode: str,
  country: str,
  emailAddress: str,
  phoneNumberMain: str,
  phoneNumberMobile: str,
  statusCd: int,
  processCd: int,
  updateCd: int,
  dateCreated: str,
  dateLastModified: str,
});

export const CustomerContact = z.looseObject({
  id,
  firstName: str,
  lastName: str,
  emailAddress: str,
  title: str,
  phone: str,
  ext: str,
  cellular: str,
  addressId: id.nullish(),
  addressClass5Id: str,
});

const PostalAddress = z.looseObject({
  id: id.nullish(),
  name: str,
  mailAddress1: str,
  mailAddress2: str,
  mailAddress3: str,
  mailCity: str,
  mailState: str,
  mailPostalCode: str,
  mailCountry: str,
  physAddress1: str,
  physAddress2: str,
  physAddress3: str,
  physCity: str,
  physState: str,
  physPostalCode: str,
  physCountry: str,
});

export const ContactDoc = z.looseObject({
  id,
  firstName: str,
  lastName: str,
  emailAddress: str,
  directPhone: str,
  contactRoleUid: int,
  class1Id: str,
  class2Id: str,
  class3Id: str,
  class4Id: str,
  class5Id: str,
  addressId: id.nullish(),
  salesrepDefaultLocationId: id.nullish(),
  address: PostalAddress.nullish(),
});

export const WebAllowance = z.looseObject({
  id: id.nullish(),
  customerId: id.nullish(),
  webAllowance: num,
  orderStartDate: str,
});

/** Contact user-defined fields: a few fixed keys plus one top-level key per UD field. */
export const ContactUd = z.looseObject({
  id: id.nullish(),
  contactsUdUid: id.nullish(),
  dateCreated: str,
  dateLastModified: str,
  createdBy: str,
  lastMaintainedBy: str,
});

export const InvoiceLine = z.looseObject({
  lineNo: id.nullish(),
  invMastUid: id.nullish(),
  itemId: str,
  itemDesc: str,
  shortCode: str,
  unitOfMeasure: str,
  unitPrice: num,
  extendedPrice: num,
  qtyRequested: num,
  qtyShipped: num,
  orderNo: id.nullish(),
  oeLineNumber: num,
});

export const Invoice = z.looseObject({
  invoiceNo: id,
  customerId: id.nullish(),
  customerName: str,
  orderNo: id.nullish(),
  invoiceDate: str,
  poNo: str,
  ship2Name: str,
  ship2City: str,
  ship2State: str,
  bill2Name: str,
  totalAmount: num,
  amountPaid: num,
  paidInFullFlag: flag,
  taxAmount: num,
  taxAmountPaid: num,
  shippingCost: num,
  freight: num,
  datePaid: str,
  lines: z.array(InvoiceLine).nullish(),
});

export const OrderLine = z.looseObject({
  lineNo: id.nullish(),
  orderNo: id.nullish(),
  invMastUid: id.nullish(),
  oeLineUid: id.nullish(),
  parentOeLineUid: id.nullish(),
  itemId: str,
  itemDesc: str,
  cancelFlag: flag,
  deleteFlag: flag,
  complete: flag,
  disposition: str,
  qtyOrdered: num,
  unitPrice: num,
  extendedPrice: num,
});

export const PickTicket = z.looseObject({
  pickTicketNo: id.nullish(),
  orderNo: id.nullish(),
  invoiceNo: id.nullish(),
  trackingNo: str,
  shipDate: str,
  carrierId: id.nullish(),
  carrierName: str,
  lines: z.array(z.looseObject({})).nullish(),
});

/** OrderDoc: orders (fullDocument=Y and single), quotes and RMAs. */
export const OrderDoc = z.looseObject({
  orderNo: id,
  customerId: id.nullish(),
  customerName: str,
  jobName: str,
  orderDate: str,
  requestedDate: str,
  orderStatus: str,
  cancelFlag: flag,
  completed: flag,
  deleteFlag: flag,
  poNo: str,
  contactId: id.nullish(),
  webReferenceNo: str,
  taker: str,
  carrierId: id.nullish(),
  carrierName: str,
  lines: z.array(OrderLine).nullish(),
  pickTickets: z.array(PickTicket).nullish(),
});

/** One item of the orders list: OrderDoc (fullDocument=Y), OeHdrRow (N) or OeHdrRow with light lines (L). */
export const OrderListItem = z.looseObject({
  orderNo: id,
  oeHdrUid: id.nullish(),
  customerId: id.nullish(),
  orderDate: str,
  poNo: str,
  orderStatus: str,
  completed: flag,
  cancelFlag: flag,
  deleteFlag: flag,
  contactId: id.nullish(),
  statusCd: int,
  lines: z.array(OrderLine).nullish(),
});

export const PurchasedItem = z.looseObject({
  customerId: id.nullish(),
  invMastUid: id.nullish(),
  itemId: str,
  itemDesc: str,
  displayDesc: str,
  count: num,
  invoices: num,
  lastOrderNo: id.nullish(),
  dateLastPurchased: str,
});

export const AgingRow = z.looseObject({
  invoiceNo: id,
  orderNo: id.nullish(),
  poNo: str,
  ship2Name: str,
  invoiceDate: str,
  totalAmount: num,
  amountPaid: num,
  balance: num,
  ageDays: num,
  bucket: str,
});

export const Aging = z.looseObject({
  customerId: id.nullish(),
  asOf: z.string(),
  bucketKeys: z.array(z.string()).nullish(),
  invoiceCount: z.number().int(),
  totalBalance: num,
  totals: z.array(z.looseObject({ key: z.string(), balance: num, invoices: num })).nullish(),
  data: z.array(AgingRow),
});

export const SalesUsageItem = z.looseObject({
  itemId: str,
  itemDesc: str,
  unitOfMeasure: str,
  salesUnitSize: num,
  pricingUnitSize: num,
  buckets: z.array(z.looseObject({ key: z.string(), quantity: num, total: num, lines: num })).nullish(),
});

export const SalesUsage = z.looseObject({
  customerId: id.nullish(),
  invoicedFrom: str,
  invoicedTo: str,
  totalBy: str,
  bucketKeys: z.array(z.string()).nullish(),
  invoiceCount: num,
  linesFolded: num,
  itemCount: z.number().int(),
  data: z.array(SalesUsageItem),
});

export const ShipTo = z.looseObject({
  shipToId: id,
  customerId: id.nullish(),
  companyId: str,
  defaultBranch: str,
  defaultCarrierId: id.nullish(),
  preferredLocationId: id.nullish(),
  deliveryInstructions: str,
  shippingRouteUid: id.nullish(),
  routeCode: str,
  routeDescription: str,
  address: PostalAddress.extend({ class5Id: str, centralPhoneNumber: str, upsCode: str }).nullish(),
});

export const ShipToLookupItem = PostalAddress.extend({
  id,
  class5Id: str,
  preferredLocationId: id.nullish(),
  defaultBranch: str,
});

export const FreightCode = z.looseObject({
  freightCodeUid: id,
  companyId: str,
  freightCd: str,
  freightDesc: str,
  incomingFreight: flag,
  outgoingFreight: flag,
  statusCd: int,
});

export const CustomerTag = z.looseObject({
  customerTagsUid: id,
  customerId: id.nullish(),
  tag: str,
  statusCd: int,
  processCd: int,
  updateCd: int,
  dateCreated: str,
  dateLastModified: str,
});

/** What the deprecated refresh triggers answer ({message, timestamp, jobId} in TS 0.6.0; fixtures differ). */
export const RefreshResult = z.looseObject({ message: str, timestamp: str, jobId: id.nullish() });

export type CustomerDoc = z.infer<typeof CustomerDoc>;
export type Invoice = z.infer<typeof Invoice>;
export type OrderDoc = z.infer<typeof OrderDoc>;
