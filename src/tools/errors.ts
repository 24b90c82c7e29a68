import * as z from 'zod';
import { InvalidPathParameterError } from '../clients/augur.js';
import { UpstreamError, type UpstreamErrorInfo } from '../clients/errors.js';
import { IdempotencyConflictError, IdempotencyInProgressError } from '../clients/idempotency.js';
import { StateUnavailableError } from '../state/store.js';
import { ConfirmationError } from '../confirm.js';
import { ToolInputError } from './define.js';

/** Machine-readable error codes an agent can branch on. */
export type ErrorCode =
  | 'invalid_argument'
  | 'unauthorized'
  | 'forbidden_tenant'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'rate_limited'
  | 'upstream_unavailable'
  | 'upstream_invalid_response'
  | 'timeout'
  | 'upstream_error'
  | 'not_confirmed'
  | 'confirmation_invalid'
  | 'confirmation_expired'
  | 'state_unavailable'
  | 'internal_error';

/** The `structuredContent` of every `isError` result. */
export const ToolErrorShape = z.object({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
  retryAfterSeconds: z.number().optional(),
  upstreamStatus: z.number().int().optional(),
  upstreamMessages: z.array(z.string()).optional(),
});
export type ToolErrorFacts = z.infer<typeof ToolErrorShape>;

/** Turns anything a handler threw into facts and advice the agent can act on. Never includes a secret. */
export function describeError(error: unknown, toolName: string): ToolErrorFacts {
  if (error instanceof ToolInputError) {
    return { code: 'invalid_argument', message: `${error.message}. Fix the arguments and call ${toolName} again.`, retryable: false };
  }
  if (error instanceof ConfirmationError) return { code: error.code, message: error.message, retryable: false };
  if (error instanceof z.ZodError) {
    return {
      code: 'invalid_argument',
      message: `Invalid arguments for ${toolName}: ${z.prettifyError(error).replace(/\n/g, ' ')}. Nothing was sent upstream; fix the arguments and call again.`,
      retryable: false,
    };
  }
  if (error instanceof InvalidPathParameterError) {
    return { code: 'invalid_argument', message: `Invalid arguments for ${toolName}: ${error.message}. Nothing was sent upstream; fix the arguments and call again.`, retryable: false };
  }
  if (error instanceof IdempotencyConflictError) {
    return {
      code: 'conflict',
      message: `${error.message}; nothing was sent. Repeat the exact original arguments to get that order back, or omit idempotencyKey to place a new order.`,
      retryable: false,
    };
  }
  if (error instanceof IdempotencyInProgressError) {
    return {
      code: 'conflict',
      message: `${error.message}; nothing was sent by this call. Call ${toolName} again with the same arguments and idempotencyKey in a few seconds to get that order.`,
      retryable: true,
    };
  }
  if (error instanceof StateUnavailableError) {
    return { code: 'state_unavailable', message: error.message, retryable: true, ...(error.retryAfterSeconds ? { retryAfterSeconds: error.retryAfterSeconds } : {}) };
  }
  if (error instanceof UpstreamError) return describeUpstreamError(error.info);
  return {
    code: 'internal_error',
    message: `${toolName} failed unexpectedly: ${(error as Error)?.message ?? String(error)}. Report the correlationId if it happens again.`,
    retryable: false,
  };
}

const SERVICE_NAME = { partssource: 'PartsSource', augur: 'Augur' } as const;

function describeUpstreamError(info: UpstreamErrorInfo): ToolErrorFacts {
  const service = SERVICE_NAME[info.upstream];
  const said = info.upstreamMessages.length ? ` ${service} said: ${info.upstreamMessages.join('; ')}.` : '';
  const facts = (code: ErrorCode, advice: string, retryable = false): ToolErrorFacts => ({
    code,
    message: `${advice}${said}`,
    retryable,
    ...(info.status !== undefined ? { upstreamStatus: info.status } : {}),
    ...(info.upstreamMessages.length ? { upstreamMessages: info.upstreamMessages } : {}),
    ...(info.retryAfterSeconds !== undefined ? { retryAfterSeconds: info.retryAfterSeconds } : {}),
  });
  if (info.kind === 'circuit_open') {
    return facts(
      'upstream_unavailable',
      `${service} failed several calls in a row, so calls to it are paused for ${info.retryAfterSeconds ?? 30} s to let it recover (circuit open); nothing was sent. Try again after retryAfterSeconds.`,
      true,
    );
  }
  if (info.kind === 'timeout') return facts('timeout', `${service} did not answer in time (${info.method} ${info.path}). Try again shortly.`, true);
  if (info.kind === 'network') return facts('upstream_unavailable', `${service} could not be reached. Try again shortly.`, true);
  if (info.kind === 'invalid_response') {
    // A redirect or an oversized body comes back the same on a retry: the detail says what to do instead.
    if (info.detail) return facts('upstream_invalid_response', `${service} ${info.detail} (${info.method} ${info.path}).`);
    return facts('upstream_invalid_response', `${service} sent a response that could not be read (${info.method} ${info.path}). Try again; if it persists, report the correlationId.`, true);
  }
  if (info.kind === 'auth') {
    if (info.status !== undefined && info.status >= 500) {
      return facts('upstream_unavailable', `The ${service} token endpoint is failing (HTTP ${info.status}). Try again shortly.`, true);
    }
    return facts('unauthorized', `${service} refused to issue an access token. The server's client credentials (PARTSSOURCE_CLIENT_ID / PARTSSOURCE_CLIENT_SECRET / PARTSSOURCE_SCOPE) are wrong or revoked; an operator must fix them.`);
  }
  switch (info.status) {
    case 400:
      return facts('invalid_argument', `${service} rejected the request as invalid. Fix the arguments and call again.`);
    case 401:
      return info.upstream === 'augur'
        ? facts('unauthorized', 'The Augur token was rejected or expired; an operator must set a new AUGUR_TOKEN.')
        : facts('unauthorized', 'PartsSource rejected the access token even after fetching a new one; check the configured credentials and API key.');
    case 403:
      return facts('forbidden_tenant', `${service} refused access: the resource belongs to another tenant, or the credentials lack the needed scope. Use ids returned by this server's lookup and search tools for your own organisation.`);
    case 404:
      return facts('not_found', `${service} has no such resource (${info.method} ${info.path}). Check the id; search or look it up first.`);
    case 409:
      return facts('conflict', `${service} reported a conflict. For create_order this means the idempotencyKey is in use by an order with different arguments or one still being placed: wait and get the order, or use a new key for a new order.`);
    case 422:
      return facts('unprocessable', `${service} refused the request under a business rule. Fix what it names (for orders: fetch get_part_detail again and use its priceOptionId and exact price) and call again.`);
    case 429:
      return facts('rate_limited', `${service} rate limit reached. Wait ${info.retryAfterSeconds ?? 'a few'} seconds and call again.`, true);
  }
  if (info.status !== undefined && info.status >= 500) {
    return facts('upstream_unavailable', `${service} failed (HTTP ${info.status}). Try again shortly.`, true);
  }
  if (info.status !== undefined && info.status < 400) {
    return facts('upstream_error', `${service} answered HTTP ${info.status} but reported that the request failed. Read its message; if it names nothing you can fix, try again shortly.`, true);
  }
  return facts('internal_error', `${service} answered HTTP ${info.status ?? '?'} (${info.method} ${info.path}).`);
}

/** The correlation id an error carries, when it carries one. */
export function errorCorrelationId(error: unknown): string | undefined {
  return error instanceof UpstreamError ? error.correlationId : undefined;
}
