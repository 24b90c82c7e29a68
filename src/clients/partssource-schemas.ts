import * as z from 'zod';

/**
 * Response shapes of the PartsSource Customer API. Fields the contract documents are required; fields it only
 * suggests are optional, and unknown fields pass through, because the real API may carry more than the docs show.
 */
const id = z.number().int();

export const Envelope = z.object({
  success: z.boolean(),
  data: z.unknown(),
  errors: z.array(z.string()).nullable().optional(),
  correlationId: z.string().optional(),
  timestamp: z.string().optional(),
});

export const Pagination = z.looseObject({
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  hasMore: z.boolean(),
});

export const page = <T extends z.ZodType>(item: T) => z.looseObject({ items: z.array(item), pagination: Pagination });

export const Address = z.looseObject({
  id,
  name: z.string().nullish(),
  line1: z.string().nullish(),
  line2: z.string().nullish(),
  city: z.string().nullish(),
  state: z.string().nullish(),
  postalCode: z.string().nullish(),
  country: z.string().nullish(),
  isDefault: z.boolean().nullish(),
});

export const Facility = z.looseObject({ id, name: z.string().nullish() });

export const Company = z.looseObject({ id, name: z.string().nullish(), facilities: z.array(Facility).nullish() });

export const UserSummary = z.looseObject({
  contactId: id,
  userName: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  email: z.string().nullish(),
});

export const UserProfile = UserSummary.extend({
  companies: z.array(Company).nullish(),
  shippingAddresses: z.array(Address).nullish(),
  billingAddresses: z.array(Address).nullish(),
});

export const CatalogItem = z.looseObject({
  productId: z.string(),
  partNumber: z.string().nullish(),
  description: z.string().nullish(),
  manufacturer: z.string().nullish(),
  manufacturerId: id.nullish(),
  price: z.number().nullish(),
  quantityAvailable: z.number().nullish(),
});

export const RequiredField = z.looseObject({
  name: z.string(),
  label: z.string().nullish(),
  required: z.boolean().nullish(),
});

export const PriceOption = z.looseObject({
  priceOptionId: z.string(),
  price: z.number(),
  condition: z.string().nullish(),
  warranty: z.string().nullish(),
  purchaseChoice: z.string().nullish(),
  vendor: z.string().nullish(),
  expiresAt: z.string().nullish(),
  requiredFields: z.array(RequiredField).nullish(),
});

export const CatalogDetail = CatalogItem.extend({ options: z.array(PriceOption) });

export const OrderLine = z.looseObject({
  lineId: id,
  productId: z.string().nullish(),
  priceOptionId: z.string().nullish(),
  partNumber: z.string().nullish(),
  description: z.string().nullish(),
  quantity: z.number().int(),
  unitPrice: z.number(),
  status: z.string().nullish(),
  trackingNumber: z.string().nullish(),
  carrier: z.string().nullish(),
});

/** What an order and a search hit on orders both say about it. */
const OrderHeader = z.looseObject({
  orderId: id,
  status: z.string(),
  poNumber: z.string().nullish(),
  createdDate: z.string().nullish(),
  companyId: id.nullish(),
  requesterId: id.nullish(),
});

export const Order = OrderHeader.extend({
  facilityId: id.nullish(),
  shippingMethod: z.string().nullish(),
  shippingAddressId: id.nullish(),
  billingAddressId: id.nullish(),
  lineItems: z.array(OrderLine).nullish(),
});

export const OrderSummary = OrderHeader.extend({ lineCount: z.number().int().nullish() });

export const Manufacturer = z.looseObject({ manufacturerId: id, name: z.string() });

export type UserProfile = z.infer<typeof UserProfile>;
export type CatalogDetail = z.infer<typeof CatalogDetail>;
export type Order = z.infer<typeof Order>;
