import type { SandboxRequest, SandboxResponse } from '../types.js';
import type { TenantId } from './credentials.js';
import { invalid, type ResponseContext } from './responses.js';
import type { SandboxState } from './state.js';

/** Everything a route handler may use: the authenticated caller's tenant, the request, the state. */
export interface RouteContext {
  req: SandboxRequest;
  params: Record<string, string>;
  tenant: TenantId;
  clientId: string;
  res: ResponseContext;
  state: SandboxState;
  orderProcessingDelayMs: number;
}

export type Handler = (ctx: RouteContext) => SandboxResponse | Promise<SandboxResponse>;

/** The JSON body, or the 400 envelope that says why it is not usable. */
export function readJsonBody(ctx: RouteContext): { body: unknown } | { response: SandboxResponse } {
  const text = ctx.req.rawBody.toString('utf8');
  if (!text.trim()) return { response: invalid(ctx.res, ['The request body is empty; send a JSON object.']) };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch (error) {
    return { response: invalid(ctx.res, [`The request body is not valid JSON: ${(error as Error).message}`]) };
  }
}

/** A positive integer from a query string value, or undefined. */
export function parseId(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
