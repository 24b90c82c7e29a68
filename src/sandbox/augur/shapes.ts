import type {
  AddressRow,
  ContactRow,
  ContactUdRow,
  CustomerAddressRow,
  CustomerRow,
  CustomerTagRow,
  FreightCodeRow,
  InvoiceRow,
  OrderRow,
  ShipToRow,
  SiteStore,
} from './model.js';

/**
 * Response shapes of reference §2.4, picked field by field out of the internal rows so no internal column leaks
 * and the spelling (camelCase, `class1id` on OeHdrRow, the `oderNo` duplicate) is exactly the documented one.
 */

export function customerDoc(c: CustomerRow) {
  return {
    customerId: c.customerId,
    companyId: c.companyId,
    customerName: c.customerName,
    class1Id: c.class1Id,
    class2Id: c.class2Id,
    class3Id: c.class3Id,
    class4Id: c.class4Id,
    class5Id: c.class5Id,
    webEnabledFlag: c.webEnabledFlag,
    deleteFlag: c.deleteFlag,
    salesRepId: c.salesRepId,
    poNoRequired: c.poNoRequired,
    termsId: c.termsId,
    termsDesc: c.termsDesc,
    taxableFlag: c.taxableFlag,
    statusCd: c.statusCd,
    jobPricing: c.jobPricing,
    // PHP encodes an empty map as [] (reference §2.4).
    userDefined: Object.keys(c.userDefined).length > 0 ? { ...c.userDefined } : [],
  };
}

export function customerLookupItem(c: CustomerRow) {
  return { customerId: c.customerId, customerName: c.customerName };
}

export function addressLookupItem(a: AddressRow) {
  return {
    id: a.id,
    name: a.name,
    mailAddress1: a.mailAddress1,
    mailAddress2: a.mailAddress2,
    mailCity: a.mailCity,
    mailState: a.mailState,
    mailPostalCode: a.mailPostalCode,
    mailCountry: a.mailCountry,
  };
}

export function customerAddress(row: CustomerAddressRow) {
  return { ...row };
}

export function customerTag(row: CustomerTagRow) {
  return { ...row };
}

export function customerContact(c: ContactRow, store: SiteStore) {
  return {
    id: c.id,
    emailAddress: c.emailAddress,
    firstName: c.firstName,
    lastName: c.lastName,
    title: c.title,
    phone: c.phone,
    ext: c.ext,
    cellular: c.cellular,
    addressId: c.addressId,
    addressClass5Id: store.addresses.get(c.addressId)?.class5Id ?? null,
  };
}

export function contactDoc(c: ContactRow, store: SiteStore) {
  const a = store.addresses.get(c.addressId);
  return {
    id: c.id,
    firstName: c.firstName,
    lastName: c.lastName,
    emailAddress: c.emailAddress,
    directPhone: c.directPhone,
    contactRoleUid: c.contactRoleUid,
    class1Id: c.class1Id,
    class2Id: c.class2Id,
    class3Id: c.class3Id,
    class4Id: c.class4Id,
    class5Id: c.class5Id,
    addressId: c.addressId,
    salesrepDefaultLocationId: c.salesrepDefaultLocationId,
    address: a
      ? {
          id: a.id,
          physAddress1: a.physAddress1,
          physAddress2: a.physAddress2,
          physCity: a.physCity,
          physState: a.physState,
          physPostalCode: a.physPostalCode,
          physCountry: a.physCountry,
          mailAddress1: a.mailAddress1,
          mailAddress2: a.mailAddress2,
          mailCity: a.mailCity,
          mailState: a.mailState,
          mailPostalCode: a.mailPostalCode,
          mailCountry: a.mailCountry,
        }
      : null,
  };
}

export function contactUd(row: ContactUdRow) {
  return {
    ...row.fields,
    id: row.id,
    contactsUdUid: row.contactsUdUid,
    dateCreated: row.dateCreated,
    dateLastModified: row.dateLastModified,
    createdBy: row.createdBy,
    lastMaintainedBy: row.lastMaintainedBy,
  };
}

export function invoice(i: InvoiceRow) {
  return {
    invoiceNo: i.invoiceNo,
    customerId: i.customerId,
    customerName: i.customerName,
    orderNo: i.orderNo,
    invoiceDate: i.invoiceDate,
    poNo: i.poNo,
    ship2Name: i.ship2Name,
    ship2Contact: i.ship2Contact,
    ship2Address1: i.ship2Address1,
    ship2Address2: i.ship2Address2,
    ship2Address3: i.ship2Address3,
    ship2City: i.ship2City,
    ship2State: i.ship2State,
    ship2PostalCode: i.ship2PostalCode,
    ship2Country: i.ship2Country,
    ship2EmailAddress: i.ship2EmailAddress,
    shipToPhone: i.shipToPhone,
    bill2Name: i.bill2Name,
    bill2Contact: i.bill2Contact,
    bill2Address1: i.bill2Address1,
    bill2Address2: i.bill2Address2,
    bill2Address3: i.bill2Address3,
    bill2City: i.bill2City,
    bill2State: i.bill2State,
    bill2PostalCode: i.bill2PostalCode,
    bill2Country: i.bill2Country,
    totalAmount: i.totalAmount,
    amountPaid: i.amountPaid,
    paidInFullFlag: i.paidInFullFlag,
    taxAmount: i.taxAmount,
    taxAmountPaid: i.taxAmountPaid,
    shippingCost: i.shippingCost,
    freight: i.freight,
    datePaid: i.datePaid,
    lines: i.lines.map((l) => ({
      lineNo: l.lineNo,
      invMastUid: l.invMastUid,
      itemId: l.itemId,
      itemDesc: l.itemDesc,
      shortCode: l.shortCode,
      unitOfMeasure: l.unitOfMeasure,
      unitPrice: l.unitPrice,
      extendedPrice: l.extendedPrice,
      qtyRequested: l.qtyRequested,
      qtyShipped: l.qtyShipped,
      // Misspelled duplicate kept by the service for existing consumers.
      oderNo: l.orderNo,
      orderNo: l.orderNo,
      oeLineNumber: l.oeLineNumber,
    })),
  };
}

const AGENT_FIELDS = { trinityItemId: null, trinityItemDesc: null, agentItemId: null, agentItemDesc: null };

/** Derived from the completed/approved/cancel/validation flags (reference §2.4 OrderDoc.orderStatus). */
export function orderStatus(o: OrderRow): string {
  if (o.completed === 'Y') return 'SHIPPED';
  if (o.cancelFlag === 'Y' || o.validationStatus === 'HOLD') return 'ON HOLD';
  if (o.approved === 'Y') return 'IN PROCESS';
  if (o.webReferenceNo !== null) return 'SUBMITTED';
  return 'PENDING';
}

export function orderDoc(o: OrderRow, store: SiteStore) {
  const contact = o.contactId === null ? undefined : store.contacts.find((c) => c.id === o.contactId);
  return {
    orderNo: o.orderNo,
    customerId: o.customerId,
    customerName: o.customerName,
    jobName: o.jobName,
    orderDate: o.orderDate,
    requestedDate: o.requestedDate,
    cancelFlag: o.cancelFlag,
    completed: o.completed,
    deleteFlag: o.deleteFlag,
    poNo: o.poNo,
    ship2Name: o.ship2Name,
    ship2Add1: o.ship2Add1,
    ship2Add2: o.ship2Add2,
    ship2Add3: o.ship2Add3,
    ship2City: o.ship2City,
    ship2State: o.ship2State,
    ship2Zip: o.ship2Zip,
    ship2Country: o.ship2Country,
    ship2EmailAddress: o.ship2EmailAddress,
    shipToPhone: o.shipToPhone,
    deliveryInstructions: o.deliveryInstructions,
    class1Id: o.class1Id,
    class2Id: o.class2Id,
    class3Id: o.class3Id,
    class4Id: o.class4Id,
    class5Id: o.class5Id,
    contactId: o.contactId,
    webReferenceNo: o.webReferenceNo,
    orderStatus: orderStatus(o),
    taker: o.taker,
    contactFirstName: contact?.firstName ?? null,
    contactLastName: contact?.lastName ?? null,
    carrierId: o.carrierId,
    carrierName: o.carrierId === null ? '' : (store.carriers.get(o.carrierId) ?? ''),
    lines: o.lines.map((l) => ({ ...l, ...AGENT_FIELDS })),
    pickTickets: o.pickTickets.map((p) => ({
      ...p,
      lines: p.lines.map((l) => ({ ...l, ...AGENT_FIELDS })),
    })),
  };
}

export function oeHdrRow(o: OrderRow) {
  return {
    orderNo: o.orderNo,
    oeHdrUid: o.oeHdrUid,
    dateCreated: o.dateCreated,
    dateLastModified: o.dateLastModified,
    customerId: o.customerId,
    orderDate: `${o.orderDate} 00:00:00`,
    poNo: o.poNo,
    completed: o.completed,
    companyId: o.companyId,
    carrierId: o.carrierId,
    dateLastChecked: o.dateLastChecked,
    updateCd: o.updateCd,
    webReferenceNo: o.webReferenceNo,
    ship2Name: o.ship2Name,
    ship2Add1: o.ship2Add1,
    ship2Add2: o.ship2Add2,
    ship2City: o.ship2City,
    ship2State: o.ship2State,
    ship2Zip: o.ship2Zip,
    ship2Country: o.ship2Country,
    ship2EmailAddress: o.ship2EmailAddress,
    ship2Add3: o.ship2Add3,
    shipToPhone: o.shipToPhone,
    locationId: o.locationId,
    deliveryInstructions: o.deliveryInstructions,
    cancelFlag: o.cancelFlag,
    taker: o.taker,
    shippingRouteUid: o.shippingRouteUid,
    terms: o.terms,
    approved: o.approved,
    // Lower-case `id` here, unlike OrderDoc (reference §2.4).
    class1id: o.class1Id,
    class2id: o.class2Id,
    class3id: o.class3Id,
    class4id: o.class4Id,
    class5id: o.class5Id,
    contactId: o.contactId,
    projectedOrder: o.projectedOrder,
    sourceCodeNo: o.sourceCodeNo,
    orderPriorityUid: o.orderPriorityUid,
    freightOut: o.freightOut,
    rmaFlag: o.rmaFlag,
    dateOrderCompleted: o.dateOrderCompleted,
    jobName: o.jobName,
    requestedDate: o.requestedDate === null ? null : `${o.requestedDate} 00:00:00`,
    statusCd: o.statusCd,
    requestedDownpayment: o.requestedDownpayment,
    downpaymentInvoiced: o.downpaymentInvoiced,
    validationStatus: o.validationStatus,
    addressId: o.addressId,
    deleteFlag: o.deleteFlag,
  };
}

/** fullDocument=L: OeHdrRow plus light lines, deleted and cancelled lines excluded. */
export function oeHdrRowWithLines(o: OrderRow) {
  return {
    ...oeHdrRow(o),
    lines: o.lines
      .filter((l) => l.cancelFlag !== 'Y' && l.deleteFlag !== 'Y')
      .map((l) => ({
        lineNo: l.lineNo,
        itemId: l.itemId,
        qtyOrdered: l.qtyOrdered,
        unitPrice: l.unitPrice,
        oeLineUid: l.oeLineUid,
        parentOeLineUid: l.parentOeLineUid,
      })),
  };
}

export function shipTo(s: ShipToRow, store: SiteStore) {
  const a = store.addresses.get(s.shipToId);
  return {
    shipToId: s.shipToId,
    customerId: s.customerId,
    companyId: s.companyId,
    defaultBranch: s.defaultBranch,
    defaultCarrierId: s.defaultCarrierId,
    preferredLocationId: s.preferredLocationId,
    deliveryInstructions: s.deliveryInstructions,
    shippingRouteUid: s.shippingRouteUid,
    routeCode: s.routeCode,
    routeDescription: s.routeDescription,
    address: a
      ? {
          id: a.id,
          name: a.name,
          mailAddress1: a.mailAddress1,
          mailAddress2: a.mailAddress2,
          mailAddress3: a.mailAddress3,
          mailCity: a.mailCity,
          mailState: a.mailState,
          mailPostalCode: a.mailPostalCode,
          mailCountry: a.mailCountry,
          physAddress1: a.physAddress1,
          physAddress2: a.physAddress2,
          physAddress3: a.physAddress3,
          physCity: a.physCity,
          physState: a.physState,
          physPostalCode: a.physPostalCode,
          physCountry: a.physCountry,
          class5Id: a.class5Id,
          centralPhoneNumber: a.centralPhoneNumber,
          upsCode: a.upsCode,
        }
      : null,
  };
}

export function shipToLookupItem(a: AddressRow, s: ShipToRow) {
  return {
    id: a.id,
    name: a.name,
    mailAddress1: a.mailAddress1,
    mailAddress2: a.mailAddress2,
    mailAddress3: a.mailAddress3,
    mailCity: a.mailCity,
    mailState: a.mailState,
    mailPostalCode: a.mailPostalCode,
    mailCountry: a.mailCountry,
    physAddress1: a.physAddress1,
    physAddress2: a.physAddress2,
    physAddress3: a.physAddress3,
    physCity: a.physCity,
    physState: a.physState,
    physPostalCode: a.physPostalCode,
    physCountry: a.physCountry,
    class5Id: a.class5Id,
    preferredLocationId: s.preferredLocationId,
    defaultBranch: s.defaultBranch,
  };
}

export function freightCode(f: FreightCodeRow) {
  return { ...f };
}
