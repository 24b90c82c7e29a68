import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { InvalidPathParameterError } from '../clients/augur.js';
import { UpstreamError, type UpstreamErrorInfo } from '../clients/errors.js';
import { IdempotencyConflictError, IdempotencyInProgressError } from '../clients/idempotency.js';
import { OrderAttemptError, PossibleDuplicateError } from '../clients/order-attempts.js';
import { AuditUnavailableError } from '../audit/audit-file.js';
import { StateUnavailableError } from '../state/store.js';
import { ConfirmationError } from './confirmation.js';
import { ResultTooDeepError } from './result-shape.js';
import { clauses, sentence, sentences } from '../sentences.js';
import { ToolInputError } from '../tools/define.js';

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
  | 'configuration_error'
  | 'upstream_invalid_response'
  | 'timeout'
  | 'upstream_error'
  | 'not_confirmed'
  | 'confirmation_invalid'
  | 'confirmation_expired'
  | 'state_unavailable'
  | 'possible_duplicate'
  | 'audit_unavailable'
  | 'internal_error';

/** The `structuredContent` of every `isError` result. */
export const ToolErrorShape = z.object({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
  retryAfterSeconds: z.number().optional(),
  upstreamStatus: z.number().int().optional(),
  upstreamMessages: z.array(z.string()).optional(),
  /** possible_duplicate: the order placed moments ago with the same arguments. */
  orderId: z.number().int().optional(),
});
export type ToolErrorFacts = z.infer<typeof ToolErrorShape>;

/**
 * Turns anything a handler threw into facts and advice the agent can act on. Never includes a secret. Without
 * `retryLater`, an upstream failure's advice leaves out "Try again shortly." (the caller gives its own).
 */
export function describeError(error: unknown, toolName: string, { retryLater = true }: { retryLater?: boolean } = {}): ToolErrorFacts {
  if (error instanceof ToolInputError) {
    return { code: 'invalid_argument', message: sentences(error.message, `Fix the arguments and call ${toolName} again`), retryable: false };
  }
  if (error instanceof ConfirmationError) return { code: error.code, message: error.message, retryable: false };
  if (error instanceof z.ZodError) {
    return {
      code: 'invalid_argument',
      message: sentences(`Invalid arguments for ${toolName}: ${z.prettifyError(error).replace(/\n/g, ' ')}`, 'Nothing was sent upstream; fix the arguments and call again'),
      retryable: false,
    };
  }
  if (error instanceof InvalidPathParameterError) {
    return { code: 'invalid_argument', message: sentences(`Invalid arguments for ${toolName}: ${error.message}`, 'Nothing was sent upstream; fix the arguments and call again'), retryable: false };
  }
  if (error instanceof OrderAttemptError) return describeOrderAttempt(error, toolName);
  if (error instanceof PossibleDuplicateError) {
    const order = error.orderId !== undefined ? ` (orderId ${error.orderId})` : '';
    const seconds = Math.max(0, Math.round((Date.now() - error.placedAt) / 1000));
    const ago = seconds < 90 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
    return {
      code: 'possible_duplicate',
      message: `An identical order${order} was placed ${ago} ago with idempotencyKey ${error.key}; nothing was sent. If that is the order you meant, use it (call again with idempotencyKey ${error.key} to get it back). To place a second identical order on purpose, call again with allowDuplicate: true.`,
      retryable: false,
      ...(error.orderId !== undefined ? { orderId: error.orderId } : {}),
    };
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
  if (error instanceof UpstreamError) return describeUpstreamError(error.info, retryLater ? ' Try again shortly.' : '');
  if (error instanceof ResultTooDeepError) {
    return {
      code: 'upstream_invalid_response',
      message: sentences(
        `The upstream answered ${toolName}, but ${error.message}, so it was not passed on (a broken or hostile upstream)`,
        'Retrying will not help. If this was a write, it may have been performed: look it up with a read tool before calling again',
        'Report the correlationId to the operator',
      ),
      retryable: false,
    };
  }
  if (error instanceof AuditUnavailableError) {
    return {
      code: 'audit_unavailable',
      message: `This server's audit log of writes cannot be written (${error.reason}), so ${toolName} was not performed and nothing was sent. Writes need that log: tell an operator to fix the audit log (--audit-log / MCP_AUDIT_LOG; the server log names the path). Reads still work.`,
      retryable: false,
    };
  }
  return {
    code: 'internal_error',
    message: sentences(`${toolName} failed unexpectedly: ${(error as Error)?.message ?? String(error)}`, 'Report the correlationId if it happens again'),
    retryable: false,
  };
}

/**
 * A failed order attempt: the cause's facts (the key it used is on the result beside them). When the order may have
 * been placed, the advice is to retry with that key (which returns the order if it was placed, and places it once if
 * not), never a new key.
 */
function describeOrderAttempt(error: OrderAttemptError, toolName: string): ToolErrorFacts {
  // When the order may have been placed, the advice below replaces "Try again shortly": the retry must reuse the key.
  const facts = describeError(error.cause, toolName, { retryLater: !error.outcomeUnknown });
  if (facts.message.includes(error.key)) return error.outcomeUnknown ? { ...facts, retryable: true } : facts;
  // Nothing was placed: the cause's advice stands; the key is on the result (structuredContent and the text's trailer).
  if (!error.outcomeUnknown) return facts;
  const advice = `The order may have been placed: call ${toolName} again with the same arguments and idempotencyKey ${error.key}; that returns the order if it was placed and places it once if not. Do not use a new key for this order.`;
  return { ...facts, message: `${facts.message} ${advice}`.trim(), retryable: true };
}

/** The idempotency key an error carries (create_order), when it carries one. */
export function errorIdempotencyKey(error: unknown): string | undefined {
  return error instanceof OrderAttemptError || error instanceof PossibleDuplicateError ? error.key : undefined;
}

const SERVICE_NAME = { partssource: 'PartsSource', augur: 'Augur' } as const;

/**
 * The upstream's own words as a sentence (" PartsSource said: …."), or ''. The error's `message` is our advice only;
 * its `upstreamMessages` carry these words in structuredContent, and this sentence carries them in the text.
 */
export function upstreamWords(error: unknown): string {
  if (error instanceof OrderAttemptError) return upstreamWords(error.cause);
  if (!(error instanceof UpstreamError) || error.info.upstreamMessages.length === 0) return '';
  return ` ${sentence(`${SERVICE_NAME[error.info.upstream]} said: ${clauses(error.info.upstreamMessages)}`)}`;
}

/** `tryAgain` ends the advice of a failure that may pass by itself (' Try again shortly.', or '' when the caller advises). */
function describeUpstreamError(info: UpstreamErrorInfo, tryAgain: string): ToolErrorFacts {
  const service = SERVICE_NAME[info.upstream];
  const facts = (code: ErrorCode, advice: string, retryable = false): ToolErrorFacts => ({
    code,
    message: advice,
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
  if (info.kind === 'timeout') return facts('timeout', `${service} did not answer in time (${info.method} ${info.path}).${tryAgain}`, true);
  if (info.kind === 'unresolvable') {
    // Not the upstream's words: the DNS code only. The URL is the configured one, so the operator knows what to fix.
    return {
      code: 'configuration_error',
      message: `The ${service} URL ${info.url ?? '(configured)'} does not resolve: its host name is unknown to DNS (${info.upstreamMessages[0] ?? 'ENOTFOUND'}). This is a configuration error, not an outage, so retrying will not help; an operator must correct the URL.`,
      retryable: false,
    };
  }
  if (info.kind === 'network') return facts('upstream_unavailable', `${service} could not be reached.${tryAgain}`, true);
  if (info.kind === 'invalid_response') {
    // A redirect or an oversized body comes back the same on a retry: the detail says what to do instead.
    if (info.detail) return facts('upstream_invalid_response', `${service} ${info.detail} (${info.method} ${info.path}).`);
    return facts('upstream_invalid_response', `${service} sent a response that could not be read (${info.method} ${info.path}). Try again; if it persists, report the correlationId.`, true);
  }
  if (info.kind === 'auth') {
    if (info.status !== undefined && info.status >= 500) {
      return facts('upstream_unavailable', `The ${service} token endpoint is failing (HTTP ${info.status}).${tryAgain}`, true);
    }
    return facts(
      'unauthorized',
      `${service} refused to issue an access token. The server's client credentials ${info.credentialsLabel ? `of ${info.credentialsLabel}` : '(PARTSSOURCE_CLIENT_ID / PARTSSOURCE_CLIENT_SECRET / PARTSSOURCE_SCOPE)'} are wrong or revoked; an operator must fix them.`,
    );
  }
  switch (info.status) {
    case 400:
      return facts('invalid_argument', `${service} rejected the request as invalid. Fix the arguments and call again.`);
    case 401:
      return info.upstream === 'augur'
        ? facts('unauthorized', `The Augur token was rejected or expired; an operator must set a new ${info.credentialsLabel ? `token for ${info.credentialsLabel}` : 'AUGUR_TOKEN'}.`)
        : facts(
            'unauthorized',
            `PartsSource rejected the access token even after fetching a new one; an operator must check the credentials and API key ${info.credentialsLabel ? `of ${info.credentialsLabel}` : '(PARTSSOURCE_CLIENT_ID / PARTSSOURCE_CLIENT_SECRET / PARTSSOURCE_API_KEY)'}.`,
          );
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
    return facts('upstream_unavailable', `${service} failed (HTTP ${info.status}).${tryAgain}`, true);
  }
  if (info.status !== undefined && info.status < 400) {
    return facts('upstream_error', `${service} answered HTTP ${info.status} but reported that the request failed. Read its message; if it names nothing you can fix, try again shortly.`, true);
  }
  return facts('internal_error', `${service} answered HTTP ${info.status ?? '?'} (${info.method} ${info.path}).`);
}

/** The correlation id an error carries, when it carries one. */
export function errorCorrelationId(error: unknown): string | undefined {
  if (error instanceof OrderAttemptError) return errorCorrelationId(error.cause);
  return error instanceof UpstreamError ? error.correlationId : undefined;
}

/** The `isError` result of a call that failed; its structuredContent carries the facts (logged by the caller). */
export type ToolErrorResult = CallToolResult & { structuredContent: { error: ToolErrorFacts; correlationId: string; idempotencyKey?: string } };

/**
 * What the agent gets for anything a call threw: the facts, the correlationId (the upstream's when it sent one) and,
 * for a write with an idempotency key, that key on every error, so the agent can retry without a duplicate. The
 * upstream's own words appear once in each form: upstreamMessages in structuredContent, a sentence in the text.
 */
export function toolErrorResult(error: unknown, toolName: string, correlationId: string, idempotencyKey: string | undefined): ToolErrorResult {
  const facts = describeError(error, toolName);
  const errorId = errorCorrelationId(error) ?? correlationId;
  const key = errorIdempotencyKey(error) ?? idempotencyKey;
  const status = facts.upstreamStatus !== undefined ? `HTTP ${facts.upstreamStatus}, ` : '';
  const keyWords = key && !facts.message.includes(key) ? `, idempotencyKey ${key}` : '';
  return {
    isError: true,
    content: [{ type: 'text', text: `${facts.message}${upstreamWords(error)} (${status}code ${facts.code}, correlationId ${errorId}${keyWords})` }],
    structuredContent: { error: facts, correlationId: errorId, ...(key ? { idempotencyKey: key } : {}) },
  };
}
