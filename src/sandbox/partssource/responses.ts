import type { SandboxResponse } from '../types.js';

/** What every API response needs to know about the request it answers. */
export interface ResponseContext {
  correlationId: string;
  /** Path below the API base, e.g. `/orders/12345` (the documented `instance` form). */
  instance: string;
  /** ISO 8601 UTC time of the response. */
  timestamp: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

/** The documented success envelope. */
export function ok(ctx: ResponseContext, data: unknown, status = 200): SandboxResponse {
  return {
    status,
    headers: { 'content-type': JSON_TYPE },
    body: { success: true, data, errors: null, correlationId: ctx.correlationId, timestamp: ctx.timestamp },
  };
}

/** Validation (400) and business-rule (422) failures: the envelope with `success: false` ("controller level"). */
export function invalid(ctx: ResponseContext, errors: string[], status: 400 | 422 = 400): SandboxResponse {
  return {
    status,
    headers: { 'content-type': JSON_TYPE },
    body: { success: false, data: null, errors, correlationId: ctx.correlationId, timestamp: ctx.timestamp },
  };
}

export type ProblemKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'conflict'
  | 'rate-limited'
  | 'internal-error';

const PROBLEMS: Record<ProblemKind, { status: number; title: string }> = {
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Resource Not Found' },
  'method-not-allowed': { status: 405, title: 'Method Not Allowed' },
  conflict: { status: 409, title: 'Conflict' },
  'rate-limited': { status: 429, title: 'Too Many Requests' },
  'internal-error': { status: 500, title: 'Internal Server Error' },
};

/** RFC 7807 ApiProblemDetails ("exception/middleware level"): auth, tenant, not found, conflict, 429, 5xx. */
export function problem(
  ctx: ResponseContext,
  kind: ProblemKind,
  detail: string,
  errors: string[] = [detail],
  headers: Record<string, string> = {},
): SandboxResponse {
  const { status, title } = PROBLEMS[kind];
  return {
    status,
    headers: { 'content-type': PROBLEM_TYPE, ...headers },
    body: {
      type: `https://api.partssource.com/errors/${kind}`,
      title,
      status,
      detail,
      instance: ctx.instance,
      correlationId: ctx.correlationId,
      errors,
      timestamp: ctx.timestamp,
      service: 'customer-api',
    },
  };
}

/** What an API gateway answers for a missing or unknown API key: no envelope, no problem details. */
export function gatewayForbidden(): SandboxResponse {
  return {
    status: 403,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ForbiddenException' },
    body: { message: 'Forbidden' },
  };
}

/** RFC 6749 §5.2 token endpoint error. */
export function oauthError(
  status: 400 | 401 | 405,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): SandboxResponse {
  return {
    status,
    headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store', pragma: 'no-cache', ...headers },
    body: { error, error_description: description },
  };
}
