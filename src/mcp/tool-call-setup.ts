import type { LoggingLevel } from '@modelcontextprotocol/sdk/types.js';
import { AuditTrail, type AuditCaller } from '../audit/audit-trail.js';
import type { Logger } from '../logger.js';
import type { Telemetry } from '../telemetry/types.js';
import type { UpstreamClients } from '../clients/types.js';
import type { AnyTool } from '../tools/define.js';
import { ALL_TOOLS } from '../tools/index.js';
import { DEFAULT_MAX_RESULT_BYTES } from './budget.js';
import { DEFAULT_CLIENT_LOG_LEVEL } from './client-logging.js';
import { ConfirmationTokens, DEFAULT_CONFIRMATION_TTL_MS } from './confirmation.js';
import { DEFAULT_ELICITATION_TIMEOUT_MS, DEFAULT_TOOL_TIMEOUT_MS, type ServerOptions } from './server-options.js';
import type { ResultTextMode } from './result-text.js';
import { assertKnown, offeredTools, type ToolSelection } from './tool-selection.js';
import type { WriteConfirmation } from './write-confirmation.js';

/** What runToolCall needs of its server: the tools offered and how calls run. Built once per server. */
export interface ToolCallSetup {
  /** The tools offered, by name, in registry order; a call to any other is refused. */
  tools: ReadonlyMap<string, AnyTool>;
  clients: UpstreamClients;
  log: Logger;
  /** A call's own deadline in ms. */
  toolTimeoutMs: number;
  /** Largest result in bytes of JSON (0: no cap). */
  maxResultBytes: number;
  /** A success's text content: its structuredContent as JSON, or one summary line (src/mcp/result-text.ts). */
  resultText: ResultTextMode;
  confirmation: WriteConfirmation;
  /** Cancels every call in flight (stdio shutdown after its grace). */
  stop?: AbortSignal;
  /** The client's log threshold as it stands (logging/setLevel); read at each upstream event. */
  clientLogLevel: () => LoggingLevel;
  /** Where writes are audited, and who is calling (the tenant, until inbound OAuth names a user). */
  audit: AuditTrail;
  caller: AuditCaller;
  telemetry?: Telemetry;
}

/** Without an audit file, write records go to the log stream only. */
const LOG_ONLY_AUDIT = new AuditTrail();

/** The tools a server offers: its selection, then each narrowing, over the upstreams configured. Throws on unknown names. */
export function offeredToolsFor(options: ServerOptions): AnyTool[] {
  const own: ToolSelection = { toolsets: options.toolsets, tools: options.toolNames, excludeTools: options.excludeTools, readOnly: options.readOnly };
  const selections = [own, ...(options.narrow ?? [])];
  for (const selection of selections) if (selection) assertKnown(selection);
  return offeredTools(options.tools ?? ALL_TOOLS, { upstreams: options.clients, enableAdmin: options.enableAdmin, selections });
}

/** The tools one selection offers, in registry order and by name. */
export interface ToolOffer {
  tools: readonly AnyTool[];
  byName: ReadonlyMap<string, AnyTool>;
}

/**
 * Offers by selection: stateless HTTP builds a server per request, nearly always with one of a few selections.
 * Bounded (a session's narrowing comes from request headers): past the bound the cache starts over.
 */
const OFFERS = new Map<string, ToolOffer>();
const MAX_CACHED_OFFERS = 256;

/** offeredToolsFor, derived once per selection (and upstreams configured) unless the caller passes its own tools. */
export function toolOfferFor(options: ServerOptions): ToolOffer {
  const key = options.tools ? undefined : selectionKey(options);
  const cached = key === undefined ? undefined : OFFERS.get(key);
  if (cached) return cached;
  const tools = offeredToolsFor(options);
  const offer: ToolOffer = { tools, byName: new Map(tools.map((tool) => [tool.name, tool])) };
  if (key !== undefined) {
    if (OFFERS.size >= MAX_CACHED_OFFERS) OFFERS.clear();
    OFFERS.set(key, offer);
  }
  return offer;
}

/** Everything offeredToolsFor reads, as text: which upstreams are configured, the admin gate, every selection. */
function selectionKey(options: ServerOptions): string {
  const upstreams = Object.entries(options.clients).map(([name, client]) => [name, client === undefined ? 0 : client ? 2 : 1]);
  const { toolsets, toolNames, excludeTools, readOnly, enableAdmin, narrow } = options;
  return JSON.stringify([upstreams, Boolean(enableAdmin), toolsets, toolNames, excludeTools, Boolean(readOnly), narrow ?? []]);
}

/** The options' defaults applied; `offer` when the caller has selected the tools already (createMcpServer). */
export function toolCallSetup(
  options: ServerOptions,
  clientLogLevel: () => LoggingLevel = () => DEFAULT_CLIENT_LOG_LEVEL,
  offer: ToolOffer = toolOfferFor(options),
): ToolCallSetup {
  return {
    tools: offer.byName,
    clients: options.clients,
    log: options.log,
    toolTimeoutMs: options.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS,
    maxResultBytes: options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES,
    resultText: options.resultText ?? 'json',
    confirmation: {
      mode: options.confirmWrites ?? 'auto',
      tokens: new ConfirmationTokens(options.confirmationSecret, options.confirmationTtlMs ?? DEFAULT_CONFIRMATION_TTL_MS, options.now, options.state),
      elicitationTimeoutMs: options.elicitationTimeoutMs ?? DEFAULT_ELICITATION_TIMEOUT_MS,
    },
    stop: options.stop,
    clientLogLevel,
    audit: options.audit ?? LOG_ONLY_AUDIT,
    caller: options.caller ?? { tenant: 'default' },
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
  };
}
