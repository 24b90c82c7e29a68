import { CONTACT_ROUTES } from './handlers/contacts.js';
import { CUSTOMER_CONTACT_ROUTES, CUSTOMER_ROUTES, PURCHASED_ITEM_ROUTES, SALESREP_CUSTOMER_ROUTES, SHIP_TO_ROUTES } from './handlers/customers.js';
import { INVOICE_ROUTES, ORDER_ROUTES, QUOTE_ROUTES, RMA_ROUTES } from './handlers/documents.js';
import { CUSTOMER_ADDRESS_ROUTES, CUSTOMER_TAG_ROUTES } from './handlers/records.js';
import { AGING_ROUTES, SALES_USAGE_ROUTES } from './handlers/reports.js';
import { REFRESH_ROUTES, SERVICE_ROUTES } from './handlers/service.js';
import type { RouteDef } from './route-definition.js';

/**
 * The route table of the Augur customers service (reference §2.1, all 41 rows): each handler module's entries,
 * one list per resource, in the reference's order, which is the order of the OpenAPI document's paths. The
 * dispatcher (router.ts) tries routes with more literal segments first, whatever their place here.
 */
export const ROUTES: readonly RouteDef[] = [
  ...SERVICE_ROUTES,
  ...CUSTOMER_ROUTES,
  ...CUSTOMER_ADDRESS_ROUTES,
  ...AGING_ROUTES,
  ...CUSTOMER_CONTACT_ROUTES,
  ...INVOICE_ROUTES,
  ...ORDER_ROUTES,
  ...PURCHASED_ITEM_ROUTES,
  ...QUOTE_ROUTES,
  ...RMA_ROUTES,
  ...SALES_USAGE_ROUTES,
  ...SHIP_TO_ROUTES,
  ...CUSTOMER_TAG_ROUTES,
  ...SALESREP_CUSTOMER_ROUTES,
  ...CONTACT_ROUTES,
  ...REFRESH_ROUTES,
];
