import type { AuditCaller, AuditTrail } from '../audit/audit-trail.js';
import type { Logger } from '../logger.js';
import type { Telemetry } from '../telemetry/types.js';
import type { TenantState } from '../state/tenant.js';
import type { UpstreamClients } from '../clients/types.js';
import type { AnyTool } from '../tools/define.js';
import type { ConfirmWrites } from './confirmation.js';
import type { ResultTextMode } from './result-text.js';
import type { ToolSelection } from './tool-selection.js';

/** What one MCP server is built from (createMcpServer in src/server.ts; toolCallSetup for the calls alone). */
export interface ServerOptions {
  clients: UpstreamClients;
  log: Logger;
  /** Tools to consider (default: all); a tool whose upstream is not configured is never offered. */
  tools?: readonly AnyTool[];
  /** Offer admin tools (the Augur refresh triggers). Off by default. */
  enableAdmin?: boolean;
  /** A tool call's own deadline in ms (default 30 s): no retry or Retry-After wait goes past it. */
  toolTimeoutMs?: number;
  /** Toolsets to offer (`partssource`, `augur.tags`, ...; default all); see src/mcp/tool-selection.ts. */
  toolsets?: readonly string[];
  /** Individual tools to offer (added to toolsets; alone, the whole selection). */
  toolNames?: readonly string[];
  /** Tools never offered. */
  excludeTools?: readonly string[];
  /** Offer no write tool. */
  readOnly?: boolean;
  /** Further selections that can only remove tools (HTTP: the tenant's, then the session's). */
  narrow?: ReadonlyArray<ToolSelection | undefined>;
  /**
   * Largest result in bytes of JSON (default 50 000; 0: no cap): a list drops whole items from the end, a document
   * has its longest arrays (then strings) cut, with `truncated` and `truncatedFields` saying what was cut.
   */
  maxResultBytes?: number;
  /** A success's text content: `json` (default, its structuredContent) or `summary` (one line); see result-text.ts. */
  resultText?: ResultTextMode;
  /** How writes are confirmed (default `auto`); see src/mcp/confirmation.ts. */
  confirmWrites?: ConfirmWrites;
  /** Key of confirmation tokens (default: random per server). HTTP mode passes one per tenant. */
  confirmationSecret?: Buffer;
  /** The state seam: where used confirmation tokens are remembered (default: this server's memory). */
  state?: TenantState;
  /** Lifetime of a confirmation token (default 5 min). */
  confirmationTtlMs?: number;
  /** Clock of confirmation tokens (tests). */
  now?: () => number;
  /** How long a human may take to answer an elicitation (default 10 min). */
  elicitationTimeoutMs?: number;
  /** Cancels every call in flight (stdio shutdown after its grace); each still sends its error result. */
  stop?: AbortSignal;
  /** The audit trail of writes (src/audit/; default: records on the log stream only) and who is calling. */
  audit?: AuditTrail;
  /** Who is calling: the tenant this server serves (and the OAuth subject); named in audit records and spans. */
  caller?: AuditCaller;
  /** Traces and metrics of each call (README "Observability"); absent when not configured. */
  telemetry?: Telemetry;
}

export const DEFAULT_TOOL_TIMEOUT_MS = 30_000;
export const DEFAULT_ELICITATION_TIMEOUT_MS = 10 * 60_000;
