import type { SiteDef } from './sites.js';

/**
 * Internal rows of one site. They carry every field of the documented response shapes (reference §2.4) plus the
 * columns the service filters and sorts on (date_created, ship_to_id, ...); shapes.ts picks the documented
 * fields out of them. Field names are the service's camelCase; orderBy names them in snake_case.
 */
export type Flag = 'Y' | 'N';
export type Str = string | null;

/** A P21 `address` row: customers, ship-tos and the site's own company all have one. */
export interface AddressRow {
  id: number;
  name: string;
  mailAddress1: string;
  mailAddress2: Str;
  mailAddress3: Str;
  mailCity: Str;
  mailState: Str;
  mailPostalCode: Str;
  mailCountry: Str;
  physAddress1: Str;
  physAddress2: Str;
  physAddress3: Str;
  physCity: Str;
  physState: Str;
  physPostalCode: Str;
  physCountry: Str;
  class5Id: Str;
  centralPhoneNumber: Str;
  upsCode: Str;
  emailAddress: Str;
  dateCreated: string;
}

export interface CustomerRow {
  customerId: number;
  companyId: string;
  customerName: Str;
  class1Id: Str;
  class2Id: Str;
  class3Id: Str;
  class4Id: Str;
  class5Id: Str;
  webEnabledFlag: Flag;
  deleteFlag: Flag;
  salesRepId: Str;
  poNoRequired: Flag;
  termsId: Str;
  termsDesc: string;
  taxableFlag: Flag;
  statusCd: number;
  jobPricing: Flag;
  userDefined: Record<string, unknown>;
  dateCreated: string;
  dateLastModified: string;
}

export interface ContactRow {
  id: string;
  firstName: string;
  lastName: string;
  title: Str;
  emailAddress: Str;
  phone: Str;
  ext: Str;
  cellular: Str;
  directPhone: Str;
  /** The customer's address id (= customer id) for customer contacts; the company address for salesreps. */
  addressId: number;
  contactRoleUid: number | null;
  class1Id: Str;
  class2Id: Str;
  class3Id: Str;
  class4Id: Str;
  class5Id: Str;
  salesrepDefaultLocationId: number | null;
  /** Seeded allowance left in the period (reference §5 #17). */
  webAllowance: number;
  dateCreated: string;
  dateLastModified: string;
}

export interface ContactUdRow {
  id: string;
  contactsUdUid: number;
  dateCreated: string;
  dateLastModified: string;
  createdBy: Str;
  lastMaintainedBy: string;
  /** One top-level key per user-defined field in the response. */
  fields: Record<string, unknown>;
}

export interface ShipToRow {
  shipToId: number;
  customerId: number;
  companyId: string;
  defaultBranch: string;
  defaultCarrierId: number | null;
  preferredLocationId: number | null;
  deliveryInstructions: Str;
  shippingRouteUid: number | null;
  routeCode: Str;
  routeDescription: Str;
  freightCodeUid: number | null;
  dateCreated: string;
  dateLastModified: string;
}

export interface FreightCodeRow {
  freightCodeUid: number;
  companyId: string;
  freightCd: string;
  freightDesc: string;
  incomingFreight: Flag;
  outgoingFreight: Flag;
  incomingReduceCommission: Flag;
  outgoingIncreaseCommission: Flag;
  prorateMethodCodeNo: number;
  taxGroupId: Str;
  revenueAccountNo: string;
  rowStatus: number;
  dateCreated: Str;
  dateLastModified: Str;
  lastMaintainedBy: string;
  freeFreightBasisCd: number | null;
  freeInFreightMin: number | null;
  freeOutFreightMin: number | null;
  directShipFreeFreightFlag: Str;
  freeInFreightMinWeb: number | null;
  freeOutFreightMinWeb: number | null;
  handlingChargeOptionCd: number | null;
  externalTaxProductCodeIn: Str;
  externalTaxProductCodeOut: Str;
  incomingIncreaseCommission: Str;
  paySpecialFlag: Str;
  skipFirstShipmentFlag: Str;
  excludeFromSalesMasterInquiry: Flag;
  deductibleFlag: Str;
  freeColdFreight: Flag;
  freeHazmatFreight: Flag;
  freeExpressFreight: Flag;
  freeBulkFreight: Flag;
  fedexPaymentMethod: number | null;
  excludeDiscountedFreight: Flag;
  freeFreightDefaultFlag: Str;
  outgoingAdjustCommissionByProfitFlag: Str;
  updateCd: number;
  statusCd: number;
  processCd: number;
}

/** An Augur `customer_address` row (CustomerAddress, 18 fields). */
export interface CustomerAddressRow {
  customerAddressUid: number;
  customerId: number;
  address1: Str;
  address2: Str;
  address3: Str;
  city: Str;
  state: Str;
  postalCode: Str;
  country: Str;
  updateCd: number;
  statusCd: number;
  processCd: number;
  dateCreated: string;
  dateLastModified: string;
  emailAddress: Str;
  name: Str;
  phoneNumberMain: Str;
  phoneNumberMobile: Str;
}

/** An Augur `customer_tags` row (CustomerTag, 8 fields). */
export interface CustomerTagRow {
  customerTagsUid: number;
  customerId: number;
  tag: Str;
  updateCd: number;
  statusCd: number;
  processCd: number;
  dateCreated: string;
  dateLastModified: string;
}

export interface ItemRow {
  invMastUid: number;
  itemId: string;
  itemDesc: string;
  displayDesc: string;
  shortCode: string;
  unitOfMeasure: string;
  unitPrice: number;
  supplierId: number;
  salesUnitSize: number;
  pricingUnitSize: number;
}

export interface InvoiceLineRow {
  lineNo: number;
  invMastUid: number | null;
  itemId: Str;
  itemDesc: string;
  shortCode: Str;
  unitOfMeasure: Str;
  unitPrice: number;
  extendedPrice: number;
  qtyRequested: number;
  qtyShipped: number;
  orderNo: Str;
  oeLineNumber: number | null;
  /** invoice_line.supplier_id, filtered on by sales-usage. */
  supplierId: number;
}

export interface InvoiceRow {
  invoiceNo: string;
  customerId: number;
  customerName: Str;
  orderNo: Str;
  invoiceDate: string;
  poNo: Str;
  ship2Name: Str;
  ship2Contact: Str;
  ship2Address1: Str;
  ship2Address2: Str;
  ship2Address3: Str;
  ship2City: Str;
  ship2State: Str;
  ship2PostalCode: Str;
  ship2Country: Str;
  ship2EmailAddress: Str;
  shipToPhone: Str;
  bill2Name: Str;
  bill2Contact: Str;
  bill2Address1: Str;
  bill2Address2: Str;
  bill2Address3: Str;
  bill2City: Str;
  bill2State: Str;
  bill2PostalCode: Str;
  bill2Country: Str;
  totalAmount: number;
  amountPaid: number;
  paidInFullFlag: Flag | null;
  taxAmount: number;
  taxAmountPaid: number;
  shippingCost: number | null;
  freight: number | null;
  datePaid: Str;
  shipToId: number;
  contactId: Str;
  dateCreated: string;
  dateLastModified: string;
  lines: InvoiceLineRow[];
}

export interface OrderLineRow {
  invMastUid: number;
  cancelFlag: Flag | null;
  complete: Flag | null;
  deleteFlag: Flag;
  disposition: Str;
  itemDesc: Str;
  displayDesc: Str;
  itemId: string;
  shortCode: Str;
  lineNo: number;
  orderNo: string;
  originalQtyOrdered: number | null;
  qtyAllocated: number | null;
  qtyCanceled: number | null;
  qtyInvoiced: number | null;
  qtyOnPickTickets: number | null;
  qtyOrdered: number | null;
  unitOfMeasure: Str;
  unitQuantity: number;
  unitSize: number;
  unitPrice: number | null;
  extendedPrice: number | null;
  oeLineUid: number;
  parentOeLineUid: number;
}

export interface PickTicketRow {
  pickTicketNo: number;
  trackingNo: Str;
  orderNo: string;
  invoiceNo: number | null;
  shipDate: Str;
  printedFlag: Flag | null;
  printDate: Str;
  instructions: Str;
  carrierId: number | null;
  carrierName: string;
  lines: Array<{
    lineNumber: number;
    shipQuantity: number | null;
    qtyRequested: number | null;
    invMastUid: number;
    itemId: string;
    itemDesc: Str;
    displayDesc: Str;
  }>;
}

/** Orders, quotes and RMAs share the oe_hdr shape; `kind` says which list they belong to. */
export interface OrderRow {
  kind: 'order' | 'quote' | 'rma';
  orderNo: string;
  oeHdrUid: number;
  customerId: number;
  customerName: Str;
  companyId: string;
  jobName: Str;
  /** Y-m-d; OeHdrRow shows it as a MySQL datetime. */
  orderDate: string;
  requestedDate: Str;
  cancelFlag: Flag | null;
  completed: Flag | null;
  deleteFlag: Flag;
  approved: Flag | null;
  poNo: Str;
  ship2Name: Str;
  ship2Add1: Str;
  ship2Add2: Str;
  ship2Add3: Str;
  ship2City: Str;
  ship2State: Str;
  ship2Zip: Str;
  ship2Country: Str;
  ship2EmailAddress: Str;
  shipToPhone: Str;
  deliveryInstructions: Str;
  class1Id: Str;
  class2Id: Str;
  class3Id: Str;
  class4Id: Str;
  class5Id: Str;
  contactId: Str;
  webReferenceNo: Str;
  validationStatus: Str;
  taker: Str;
  carrierId: number | null;
  locationId: number | null;
  shippingRouteUid: number | null;
  terms: Str;
  projectedOrder: Flag | null;
  sourceCodeNo: number;
  orderPriorityUid: number | null;
  freightOut: number;
  rmaFlag: Flag | null;
  dateOrderCompleted: Str;
  statusCd: number;
  updateCd: number;
  requestedDownpayment: number | null;
  downpaymentInvoiced: Flag | null;
  /** oe_hdr.address_id: the ship-to address of the order. */
  addressId: number | null;
  dateCreated: string;
  dateLastModified: string;
  dateLastChecked: string;
  lines: OrderLineRow[];
  pickTickets: PickTicketRow[];
}

export interface SiteStore {
  site: SiteDef;
  /** Address id of the site's own company (salesreps live there). */
  companyAddressId: number;
  customers: CustomerRow[];
  addresses: Map<number, AddressRow>;
  contacts: ContactRow[];
  contactUd: Map<string, ContactUdRow>;
  shipTos: ShipToRow[];
  freightCodes: Map<number, FreightCodeRow>;
  customerAddresses: CustomerAddressRow[];
  tags: CustomerTagRow[];
  items: ItemRow[];
  invoices: InvoiceRow[];
  orders: OrderRow[];
  carriers: Map<number, string>;
  /** Next free ids for rows created through the API. */
  nextId: { contact: number; address: number; customerAddressUid: number; customerTagsUid: number; contactsUdUid: number };
  /** Counter for refresh job ids (deterministic). */
  refreshJobs: number;
}
