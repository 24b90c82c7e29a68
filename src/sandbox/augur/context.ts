import type { AugurClaims } from './auth.js';
import { formatDateTime, formatYmd } from './dates.js';
import { notFound, type Result } from './envelope.js';
import type { CustomerRow, SiteStore } from './model.js';

/** What every handler gets: the caller's site data, validated path ids, the query, the body and the clock. */
export interface PublicContext {
  query: URLSearchParams;
  nowMs: number;
}

export interface SiteContext extends PublicContext {
  store: SiteStore;
  /** Token claims on bearer routes; null on `/health-check`. */
  claims: AugurClaims | null;
  /** Path placeholders, already checked to be integers (reference §3.5). */
  params: Record<string, number>;
  /** The parsed JSON body of a write (an object; `[]` and empty bodies read as `{}`). */
  body: Record<string, unknown>;
}

export type PublicHandler = (ctx: PublicContext) => Result;
export type SiteHandler = (ctx: SiteContext) => Result;

export function param(ctx: SiteContext, name: string): number {
  const value = ctx.params[name];
  if (value === undefined) throw new Error(`route has no {${name}} placeholder`);
  return value;
}

export function findCustomer(ctx: SiteContext): CustomerRow | undefined {
  const id = param(ctx, 'customerId');
  return ctx.store.customers.find((c) => c.customerId === id);
}

/** Single-object and write endpoints 404 on a customer the site does not have (another site's id included). */
export function requireCustomer(ctx: SiteContext, message = 'No customer with this ID'): CustomerRow {
  const customer = findCustomer(ctx);
  if (!customer) throw notFound(message);
  return customer;
}

export const today = (ctx: PublicContext): string => formatYmd(ctx.nowMs);
export const timestamp = (ctx: PublicContext): string => formatDateTime(ctx.nowMs);
