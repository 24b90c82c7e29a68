import type { SandboxResponse } from '../types.js';
import { CATALOG_ROUTES } from './catalog.js';
import type { RouteContext } from './context.js';
import { MANUFACTURER_ROUTES } from './manufacturers.js';
import { ORDER_ROUTES } from './orders.js';
import { ok } from './responses.js';
import type { RouteDefinition } from './route-definition.js';
import { USER_ROUTES } from './users.js';

/** Routes that belong to no resource of the Customer API. */
const SANDBOX_ROUTES: RouteDefinition[] = [
  {
    method: 'GET',
    path: '/health',
    scope: 'none',
    operationId: 'health',
    summary: 'Sandbox readiness (the real Customer API documents no health path).',
    responses: [200],
    sandboxOnly: true,
    handler: (ctx: RouteContext): SandboxResponse => ok(ctx.res, { status: 'Healthy', service: 'customer-api', sandbox: true }),
  },
];

/**
 * The Customer API route table: each resource module's entries, in this order. The order is the order of the
 * OpenAPI document's paths, and dispatch takes the first matching row (router.ts).
 */
export const ROUTES: RouteDefinition[] = [...SANDBOX_ROUTES, ...USER_ROUTES, ...CATALOG_ROUTES, ...ORDER_ROUTES, ...MANUFACTURER_ROUTES];
