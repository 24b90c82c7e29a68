import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type ServerNotification, type ServerRequest, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { listedTool } from './listed-tool.js';
import { lenient, strictParams } from './request-params.js';
import { runToolCall, type ToolCallExchange } from './run-tool-call.js';
import type { ToolCallSetup } from './tool-call-setup.js';
import { takesConfirmationToken } from './write-confirmation.js';

/** Installs tools/list (the offered tools, listed once per server, on first use) and tools/call (runToolCall) on one server. */
export function installToolHandlers(server: Server, setup: ToolCallSetup): void {
  // Built on the first tools/list, not here: converting the schemas was 17 % of a stdio start-up, before `initialize`.
  let listed: Tool[] | undefined;
  const listTools = (): Tool[] =>
    (listed ??= [...setup.tools.values()].map((tool) => listedTool(tool, takesConfirmationToken(tool, setup.confirmation.mode))));
  // Our own tools/list and tools/call instead of McpServer.registerTool: argument errors become results with a
  // correlationId and a code, the schemas are schema.ts's lean ones, and every call runs through runToolCall.
  // A new tool is a ToolDefinition in the registry (src/tools/index.ts); see refuseSdkToolRegistration.
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listTools() }));
  // Params are checked first: -32602 with a sentence, not the SDK's -32603 zod dump.
  server.setRequestHandler(lenient(CallToolRequestSchema), (raw, extra) =>
    runToolCall(strictParams(CallToolRequestSchema, raw).params, setup, exchangeOf(server, extra)),
  );
}

/** The SDK's request context as runToolCall sees it; elicitation only when the client declared it. */
function exchangeOf(server: Server, extra: RequestHandlerExtra<ServerRequest, ServerNotification>): ToolCallExchange {
  const canElicit = Boolean(server.getClientCapabilities()?.elicitation);
  return {
    signal: extra.signal,
    requestId: extra.requestId,
    ...(extra.sessionId ? { sessionId: extra.sessionId } : {}),
    notify: (notification) => extra.sendNotification(notification),
    ...(canElicit ? { elicit: (params, timeout) => server.elicitInput(params, { relatedRequestId: extra.requestId, timeout }) } : {}),
  };
}

/**
 * McpServer.registerTool (and the older .tool) would be silently shadowed by the handlers above: the tool is never
 * listed and calling it answers "Unknown tool". A contributor following the SDK's docs gets this error instead.
 */
export function refuseSdkToolRegistration(mcp: McpServer): void {
  const refuse = (name: unknown): never => {
    throw new Error(
      `registerTool("${String(name)}") is not used by this server: add a ToolDefinition to src/tools/<upstream>/ and the registry (src/tools/index.ts); see CONTRIBUTING.md`,
    );
  };
  Object.defineProperty(mcp, 'registerTool', { value: refuse });
  Object.defineProperty(mcp, 'tool', { value: refuse });
}
