import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import { UpstreamError, type UpstreamErrorInfo } from '../clients/errors.js';
import { OrderAttemptError } from '../clients/order-attempts.js';
import type { AnyTool } from '../tools/define.js';

/**
 * What one write attempt left behind: one record per tools/call of a tool whose readOnlyHint is false. It names
 * who, what and with which outcome, and identifies the arguments by a digest only: no credential and no free text
 * (tag text, names, addresses, PO numbers) is ever in it.
 */
export interface AuditRecord {
  time: string;
  tenant: string;
  /** Who called: today the tenant (stdio: its one tenant); with inbound OAuth, the token's subject. */
  caller: string;
  tool: string;
  /** The ids the write is about (its id arguments, or the tool's own `auditTarget`). */
  target: AuditIds;
  /** sha256 of the canonical JSON of the validated arguments (confirmationToken left out); absent when they were invalid. */
  argumentsDigest?: string;
  idempotencyKey?: string;
  outcome: AuditOutcome;
  /** The error code of an attempt that did not succeed, and the upstream's HTTP status when it answered. */
  errorCode?: string;
  upstreamStatus?: number;
  /** Ids the upstream gave the written thing (orderId, customerTagsUid, ...). */
  upstreamIds?: AuditIds;
  correlationId: string;
  /** The W3C trace id of the call's span, once tracing is in place (not yet filled). */
  traceId?: string;
}

export type AuditIds = Record<string, string | number | boolean>;

/**
 * `placed`/`replayed`: create_order succeeded (replayed: the stored order of an earlier call with the key).
 * `done`: any other write succeeded. `previewed`: only a confirmation preview was returned (confirm-writes always).
 * `declined`: the user declined (or did not answer) the confirmation. `refused`: nothing was written (our checks, or
 * the upstream's 4xx). `unknown`: no answer, a timeout, a 5xx: the write may have happened.
 */
export type AuditOutcome = 'placed' | 'replayed' | 'done' | 'previewed' | 'declined' | 'refused' | 'unknown';

const ID_ARGUMENT = /^[a-z][A-Za-z0-9]*(Id|Uid)$/;

/** The target of a write: the tool's `auditTarget`, else its id arguments (`customerId`, `customerAddressUid`, ...). */
export function auditTarget(tool: AnyTool, args: Record<string, unknown>): AuditIds {
  try {
    return tool.auditTarget ? tool.auditTarget(args) : scalarIds(args, (key) => ID_ARGUMENT.test(key));
  } catch {
    return {}; // arguments that failed validation need not have the shape the tool's auditTarget reads
  }
}

export function argumentsDigest(args: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(args)).digest('hex')}`;
}

/**
 * The ids of what was written, from the payload: its own top-level ids (`contactId`, `shipToId`) and, in each
 * top-level object, the keys ending in `Uid` and `<name>Id` (`order.orderId`, `tag.customerTagsUid`).
 */
export function upstreamIds(data: Record<string, unknown>): AuditIds {
  const ids = scalarIds(data, (key) => ID_ARGUMENT.test(key));
  for (const [name, value] of Object.entries(data)) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    Object.assign(ids, scalarIds(value as Record<string, unknown>, (key) => key.endsWith('Uid') || key === `${name}Id`));
  }
  return ids;
}

/** The outcome of a write that ended in an error, and whether it may have happened anyway. */
export function failedOutcome(error: unknown, code: string): AuditOutcome {
  if (code === 'not_confirmed') return 'declined';
  if (error instanceof OrderAttemptError) return error.outcomeUnknown ? 'unknown' : 'refused';
  if (error instanceof UpstreamError) return mayHaveWritten(error.info) ? 'unknown' : 'refused';
  // A failure we cannot place (a bug, a cancellation mid-call) may have come after the request was sent.
  return code === 'internal_error' ? 'unknown' : 'refused';
}

/** As for orders (src/clients/partssource.ts): only a refusal before sending or a definite 4xx means "not written". */
function mayHaveWritten(info: UpstreamErrorInfo): boolean {
  if (info.kind === 'circuit_open' || info.kind === 'auth' || info.kind === 'unresolvable') return false;
  const status = info.status;
  return !(info.kind === 'http' && status !== undefined && status >= 400 && status < 500 && ![408, 409, 425, 429].includes(status));
}

function scalarIds(from: Record<string, unknown>, wanted: (key: string) => boolean): AuditIds {
  const ids: AuditIds = {};
  for (const [key, value] of Object.entries(from)) {
    if (!wanted(key)) continue;
    if (typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'string' && value.length > 0 && value.length <= 100)) ids[key] = value;
  }
  return ids;
}
