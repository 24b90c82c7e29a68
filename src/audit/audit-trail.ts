import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../logger.js';
import type { AnyTool } from '../tools/define.js';
import { AuditFile, AuditUnavailableError } from './audit-file.js';
import { argumentsDigest, auditTarget, failedOutcome, upstreamIds, type AuditOutcome, type AuditRecord } from './audit-record.js';

/** Who is calling, as the audit trail names them. */
export interface AuditCaller {
  tenant: string;
  /** The OAuth token's subject ("sub via client id") in resource-server mode; default: the tenant (a static key). */
  caller?: string;
}

/**
 * The audit trail of writes: one record per write attempt, to the log stream at info and, when configured, to an
 * append-only JSON-lines file. Built once per process; `begin` starts one call's record.
 */
export class AuditTrail {
  constructor(readonly file?: AuditFile) {}

  /** The call's audit, or undefined for a read (readOnlyHint true): reads leave no record. */
  begin(tool: AnyTool, who: AuditCaller, correlationId: string, given: Record<string, unknown>, log: Logger, traceId?: string): CallAudit | undefined {
    return tool.annotations.readOnlyHint ? undefined : new CallAudit(this.file, tool, who, correlationId, given, log, traceId);
  }

  close(): Promise<void> {
    return this.file?.close() ?? Promise.resolve();
  }
}

/** A trail with a file, opened (or at least tried) now so a wrong path shows at start-up, not at the first write. */
export async function openAuditTrail(path: string | undefined, log: Logger): Promise<AuditTrail> {
  if (!path) return new AuditTrail();
  const file = new AuditFile(path);
  await file.ready().then(
    () => log.info({ auditLog: path }, 'audit trail of writes: appending to the audit log'),
    (error: Error) => log.error({ auditLog: path, err: error.message }, 'audit log not writable: every write tool is refused (audit_unavailable) until it is'),
  );
  return new AuditTrail(file);
}

/**
 * One write attempt's record, written exactly once: `ready` before anything is asked or sent (the file must take
 * the record, else the write is refused), then `succeeded` or `failed` writes the record before the result leaves.
 */
export class CallAudit {
  #args: Record<string, unknown>;
  /** Only validated arguments are digested: what an agent sent raw may be anything (100 000 levels deep, say). */
  #validated = false;
  #written = false;

  constructor(
    private readonly file: AuditFile | undefined,
    private readonly tool: AnyTool,
    private readonly who: AuditCaller,
    private readonly correlationId: string,
    given: Record<string, unknown>,
    private readonly log: Logger,
    /** The call's trace, when tracing is on (README "Observability"). */
    private readonly traceId?: string,
  ) {
    const { confirmationToken: _token, ...args } = given;
    this.#args = args;
  }

  /** The validated arguments (what the digest and target are computed from); throws when the file cannot take a record. */
  async ready(args: Record<string, unknown>): Promise<void> {
    this.#args = args;
    this.#validated = true;
    await this.file?.ready();
  }

  /** A success (or a confirmation preview, whose payload says `confirmationRequired`). */
  succeeded(data: Record<string, unknown>, result: CallToolResult): Promise<void> {
    const outcome: AuditOutcome = data.confirmationRequired === true ? 'previewed' : this.tool.name === 'create_order' ? (data.replayed === true ? 'replayed' : 'placed') : 'done';
    const ids = outcome === 'previewed' ? {} : upstreamIds(data);
    return this.#write(outcome, result, Object.keys(ids).length ? { upstreamIds: ids } : {});
  }

  failed(error: unknown, result: CallToolResult): Promise<void> {
    const facts = (result.structuredContent as { error: { code: string; upstreamStatus?: number } }).error;
    const extra = { errorCode: facts.code, ...(facts.upstreamStatus !== undefined ? { upstreamStatus: facts.upstreamStatus } : {}) };
    return this.#write(error instanceof AuditUnavailableError ? 'refused' : failedOutcome(error, facts.code), result, extra, error instanceof AuditUnavailableError);
  }

  /**
   * Writes the record once: to the file (flushed) and to the log stream. A record the file refuses after the upstream
   * call is logged at error with the whole record and the result still goes back: the write happened, and hiding it
   * would invite the agent to repeat it.
   */
  async #write(outcome: AuditOutcome, result: CallToolResult, extra: Partial<AuditRecord>, logOnly = false): Promise<void> {
    if (this.#written) return;
    this.#written = true;
    let record: AuditRecord | undefined;
    try {
      record = this.#record(outcome, result, extra);
      if (!logOnly) await this.file?.append(JSON.stringify(record));
      this.log.info({ audit: record }, `write audited: ${record.tool} ${outcome}`);
    } catch (error) {
      // Never the call's failure: the result goes back whatever happened here.
      this.log.error({ audit: record ?? { tool: this.tool.name, outcome, correlationId: this.correlationId }, err: (error as Error).message }, 'audit record NOT written to the audit log');
    }
  }

  #record(outcome: AuditOutcome, result: CallToolResult, extra: Partial<AuditRecord>): AuditRecord {
    const sc = (result.structuredContent ?? {}) as { correlationId?: string; idempotencyKey?: unknown };
    const key = sc.idempotencyKey ?? this.#args.idempotencyKey;
    return {
      time: new Date().toISOString(),
      tenant: this.who.tenant,
      caller: this.who.caller ?? this.who.tenant,
      tool: this.tool.name,
      target: auditTarget(this.tool, this.#args),
      ...(this.#validated ? { argumentsDigest: argumentsDigest(this.#args) } : {}),
      ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
      outcome,
      ...extra,
      correlationId: sc.correlationId ?? this.correlationId,
      ...(this.traceId ? { traceId: this.traceId } : {}),
    };
  }
}
