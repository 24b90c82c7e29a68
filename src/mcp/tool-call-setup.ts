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
  confirmation: WriteConfirmation;
  /** Cancels every call in flight (stdio shutdown after its grace). */
  stop?: AbortSignal;
  /** The client's log threshold as it stands (logging/setLevel); read at each upstream event. */
  clientLogLevel: () => LoggingLevel;
  /** Where writes are audited, and who is calling (the tenant, until inbound OAuth names a user). */
  audit: AuditTrail;
  caller: AuditCaller;
  telemetry?: Telemetry;
  tenant?: string;
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

/** The options' defaults applied; `tools` when the caller has selected them already (createMcpServer). */
export function toolCallSetup(
  options: ServerOptions,
  clientLogLevel: () => LoggingLevel = () => DEFAULT_CLIENT_LOG_LEVEL,
  tools: readonly AnyTool[] = offeredToolsFor(options),
): ToolCallSetup {
  return {
    tools: new Map(tools.map((tool) => [tool.name, tool])),
    clients: options.clients,
    log: options.log,
    toolTimeoutMs: options.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS,
    maxResultBytes: options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES,
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
    ...(options.tenant ? { tenant: options.tenant } : {}),
  };
}
