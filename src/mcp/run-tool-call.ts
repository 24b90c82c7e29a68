import { randomUUID } from 'node:crypto';
import { ErrorCode, McpError, type CallToolRequest, type CallToolResult, type ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import { holdDeadline, type HeldDeadline } from '../deadline.js';
import type { Logger } from '../logger.js';
import { cleanDeep } from '../text-safety.js';
import type { CallObserver } from '../clients/events.js';
import type { UpstreamClients } from '../clients/types.js';
import type { AnyTool, ToolContext } from '../tools/define.js';
import type { ToolCallTrace } from '../telemetry/types.js';
import { idempotencyKeyArgument, parseCallArguments } from './arguments.js';
import { capDocument, capItems } from './budget.js';
import { createCallLog } from './client-logging.js';
import { toolErrorResult } from './error-results.js';
import { shapeResult, type ItemRequest } from './result-shape.js';
import { successText } from './result-text.js';
import { isListTool } from './schema.js';
import type { ToolCallSetup } from './tool-call-setup.js';
import { confirmWrite, needsConfirmation, takesConfirmationToken, type Elicit } from './write-confirmation.js';

type Json = Record<string, unknown>;

/** What one request can do towards its client: the transport-free part of the SDK's request context. */
export interface ToolCallExchange {
  /** The client's cancellation of this request. */
  signal?: AbortSignal;
  /** Sends a notification (progress, log message) on this request's own channel. */
  notify?(notification: ServerNotification): Promise<void>;
  /** Asks the human to confirm a write; absent when the client cannot elicit. */
  elicit?: Elicit;
  /** The JSON-RPC id and the MCP session, for telemetry. */
  requestId?: string | number;
  sessionId?: string;
}

/**
 * Runs one tools/call, whatever the transport (stdio, HTTP and the in-memory Client all come through here): the
 * offered tool by name, arguments validated before anything else, a write confirmed, the handler under the call's
 * deadline, its payload fitted to the result budget; every failure becomes an `isError` result. Every result carries
 * a correlationId. Only an unknown tool name is a protocol error (McpError InvalidParams), as tools/list says.
 */
export async function runToolCall(request: CallToolRequest['params'], setup: ToolCallSetup, exchange: ToolCallExchange = {}): Promise<CallToolResult> {
  const tool = setup.tools.get(request.name);
  if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool ${request.name}; call tools/list for the tools offered`);
  const correlationId = randomUUID();
  const traced = setup.telemetry?.toolCall(traceStart(tool, request, setup, exchange, correlationId));
  // Every result leaves through one function: no format character and no known credential in it (text-safety.ts).
  if (!traced) return cleanDeep(await runOfferedTool(tool, request, setup, exchange, correlationId));
  const result = cleanDeep(await traced.run(() => runOfferedTool(tool, request, setup, exchange, correlationId, traced)));
  traced.end(result);
  return result;
}

/** What the call's span is started with: never its arguments. */
function traceStart(tool: AnyTool, request: CallToolRequest['params'], setup: ToolCallSetup, exchange: ToolCallExchange, correlationId: string) {
  const meta = request._meta as Record<string, unknown> | undefined;
  return {
    tool: tool.name,
    correlationId,
    tenant: setup.caller.tenant,
    ...(exchange.sessionId ? { sessionId: exchange.sessionId } : {}),
    ...(exchange.requestId !== undefined ? { requestId: exchange.requestId } : {}),
    ...(meta?.traceparent !== undefined ? { traceparent: meta.traceparent, tracestate: meta.tracestate } : {}),
  };
}

async function runOfferedTool(
  tool: AnyTool,
  request: CallToolRequest['params'],
  setup: ToolCallSetup,
  exchange: ToolCallExchange,
  correlationId: string,
  traced?: Pick<ToolCallTrace, 'observe' | 'traceId'>,
): Promise<CallToolResult> {
  const log = setup.log.child({ tool: tool.name, correlationId });
  const send = (notification: ServerNotification) => exchange.notify?.(notification) ?? Promise.resolve();
  const callLog = createCallLog({ correlationId, log, threshold: setup.clientLogLevel, send });
  const observer: CallObserver = traced ? (event) => (callLog.observe(event), traced.observe(event)) : callLog.observe;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const mode = setup.confirmation.mode;
  let deadline: HeldDeadline | undefined;
  // A write's one audit record (src/audit/), written before its result is returned; none for a read.
  const audit = setup.audit.begin(tool, setup.caller, correlationId, request.arguments ?? {}, log, traced?.traceId);
  try {
    // Validation first: nothing is asked of the human or sent upstream for arguments that are wrong.
    const { args, fields, detail, confirmationToken } = parseCallArguments(tool, request.arguments ?? {}, takesConfirmationToken(tool, mode));
    // A write that could not be audited is neither asked for nor sent (audit_unavailable).
    await audit?.ready(args);
    if (needsConfirmation(tool, mode)) {
      const preview = await confirmWrite(tool, args, confirmationToken, setup.confirmation, exchange.elicit);
      if (preview) {
        log.info('write previewed; waiting for the confirmation token');
        const previewed = structuredResult({ ...preview, correlationId });
        await audit?.succeeded(previewed.structuredContent as Json, previewed);
        return previewed;
      }
      await audit?.ready(args); // again, after the human's time
    }
    // One deadline for the whole call (token, attempts, waits, body reads), held until the call ends. It ends at the
    // deadline, on the client's cancellation, or when the process stops (stdio shutdown after its grace).
    deadline = holdDeadline(setup.toolTimeoutMs, [exchange.signal, setup.stop], `the tool call's ${setup.toolTimeoutMs} ms deadline passed`);
    const progress = progressReporter(request, send);
    const list = isListTool(tool);
    if (list) await progress(0, `${tool.name}: requesting a page from the upstream`);
    const outcome = await tool.handler(args, handlerContext(setup.clients, log, correlationId, deadline, observer));
    const items: ItemRequest = { ...(detail ? { detail } : {}), ...(fields ? { fields } : {}) };
    const data = await withinBudget(shapeResult(tool, outcome.data as Json, items), list, setup.maxResultBytes, progress);
    log.debug({ ms: elapsed() }, 'tool call succeeded');
    await callLog.flush();
    const structuredContent = { ...data, correlationId: outcome.correlationId };
    const result = structuredResult(structuredContent, successText(tool.name, structuredContent, setup.resultText));
    await audit?.succeeded(outcome.data as Json, result);
    return result;
  } catch (error) {
    const result = toolErrorResult(error, tool.name, correlationId, idempotencyKeyArgument(tool, request.arguments));
    const facts = result.structuredContent.error;
    log.warn({ code: facts.code, upstreamStatus: facts.upstreamStatus, upstreamMessages: facts.upstreamMessages, ms: elapsed() }, facts.message);
    await callLog.flush();
    await audit?.failed(error, result);
    return result;
  } finally {
    deadline?.dispose();
  }
}

/** A success or a preview; its text is its structuredContent as JSON unless given (see result-text.ts). */
function structuredResult(structuredContent: Json, text = JSON.stringify(structuredContent)): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent };
}

function handlerContext(clients: UpstreamClients, log: Logger, correlationId: string, deadline: HeldDeadline, observer: CallObserver): ToolContext {
  const { signal, at } = deadline;
  return {
    correlationId,
    signal,
    call: { correlationId, signal, deadline: at, observer },
    log,
    // A tool is offered only when its upstream is configured (tool-selection.ts), so its client is there.
    clients: clients as Required<UpstreamClients>,
    configured: clients,
  };
}

type Progress = (done: number, message: string) => Promise<void>;

/** notifications/progress for a client that sent a progressToken (else nothing); a failed send is not the call's. */
function progressReporter(request: CallToolRequest['params'], send: (notification: ServerNotification) => Promise<void>): Progress {
  const progressToken = request._meta?.progressToken;
  return async (done, message) => {
    if (progressToken === undefined) return;
    await send({ method: 'notifications/progress', params: { progressToken, progress: done, total: 1, message } }).catch(() => {});
  };
}

/**
 * A payload within the result budget: a list's whole items dropped from the end (reported as progress 1/1); then
 * a document (or a list's one item) still over the budget has its long arrays and strings cut, and says so.
 */
async function withinBudget(data: Json, list: boolean, maxBytes: number, progress: Progress): Promise<Json> {
  if (list && Array.isArray(data.items)) {
    data = capItems(data as { items: unknown[] }, maxBytes);
    const count = (data.items as unknown[]).length;
    await progress(1, data.truncated ? `${count} items (cut to the ${maxBytes}-byte budget; continue at nextOffset)` : `${count} items`);
  }
  return capDocument(data, maxBytes, list ? 'items' : undefined);
}
