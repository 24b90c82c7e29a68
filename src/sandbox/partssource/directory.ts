import type { TenantId } from './credentials.js';
import { TENANTS, type Address, type Company, type User } from './seed.js';

/**
 * Who owns which id: tenant isolation answers 403 for an id that exists in another tenant and 404 for one that
 * exists nowhere, so every lookup searches all tenants and then compares.
 */
export type Owned<T> = { found: 'mine'; value: T } | { found: 'other-tenant' } | { found: 'nowhere' };

interface Indexed<T> {
  tenant: TenantId;
  value: T;
}

function index<T>(pick: (tenant: TenantId) => T[], idOf: (v: T) => number): Map<number, Indexed<T>> {
  const map = new Map<number, Indexed<T>>();
  for (const tenant of Object.keys(TENANTS) as TenantId[]) {
    for (const value of pick(tenant)) map.set(idOf(value), { tenant, value });
  }
  return map;
}

export interface FacilityRef {
  id: number;
  name: string;
  companyId: number;
}

const users = index((t) => TENANTS[t].users, (u) => u.contactId);
const companies = index((t) => TENANTS[t].companies, (c) => c.id);
const rootCompanies = index((t) => TENANTS[t].companies.map((c) => ({ id: c.rootCompanyId })), (c) => c.id);
const facilities = index(
  (t) => TENANTS[t].companies.flatMap((c) => c.facilities.map((f) => ({ ...f, companyId: c.id }))),
  (f: FacilityRef) => f.id,
);
const shipping = index((t) => TENANTS[t].shippingAddresses, (a) => a.id);
const billing = index((t) => TENANTS[t].billingAddresses, (a) => a.id);

function owned<T>(map: Map<number, Indexed<T>>, id: number, tenant: TenantId): Owned<T> {
  const hit = map.get(id);
  if (!hit) return { found: 'nowhere' };
  return hit.tenant === tenant ? { found: 'mine', value: hit.value } : { found: 'other-tenant' };
}

export const directory = {
  user: (id: number, tenant: TenantId): Owned<User> => owned(users, id, tenant),
  userByName(userName: string, tenant: TenantId): Owned<User> {
    const hit = [...users.values()].find((u) => u.value.userName.toLowerCase() === userName.toLowerCase());
    if (!hit) return { found: 'nowhere' };
    return hit.tenant === tenant ? { found: 'mine', value: hit.value } : { found: 'other-tenant' };
  },
  company: (id: number, tenant: TenantId): Owned<Company> => owned(companies, id, tenant),
  rootCompany: (id: number, tenant: TenantId): Owned<{ id: number }> => owned(rootCompanies, id, tenant),
  facility: (id: number, tenant: TenantId): Owned<FacilityRef> => owned(facilities, id, tenant),
  shippingAddress: (id: number, tenant: TenantId): Owned<Address> => owned(shipping, id, tenant),
  billingAddress: (id: number, tenant: TenantId): Owned<Address> => owned(billing, id, tenant),
  usersOf: (tenant: TenantId): User[] => TENANTS[tenant].users,
  companiesOf: (tenant: TenantId): Company[] => TENANTS[tenant].companies,
};
