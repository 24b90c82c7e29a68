import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import type { Logger } from './logger.js';
import type { AnyTool, UpstreamClients } from './tools/define.js';
import { ToolErrorShape, describeError, errorCorrelationId } from './tools/errors.js';
import { ALL_TOOLS } from './tools/index.js';
import { VERSION } from './version.js';

export interface ServerOptions {
  clients: UpstreamClients;
  log: Logger;
  /** Tools to consider (default: all); a tool whose upstream is not configured is never offered. */
  tools?: readonly AnyTool[];
  /** Offer admin tools (the Augur refresh triggers). Off by default. */
  enableAdmin?: boolean;
  /** A tool call's own deadline in ms (default 30 s): no retry or Retry-After wait goes past it. */
  toolTimeoutMs?: number;
}

export const DEFAULT_TOOL_TIMEOUT_MS = 30_000;

const INSTRUCTIONS = [
  'Tools over the PartsSource Customer API (parts catalog, orders, users) and the Augur customers service.',
  'Ordering: lookup_user → search_parts → get_part_detail → create_order → get_order.',
  'Every result carries a correlationId; quote it when reporting a problem. Errors say what to do next.',
].join(' ');

/**
 * Builds one MCP server over the given upstream clients. Tools are served through one boundary that gives every
 * call a correlation id, validates arguments before any request, and turns every failure into an `isError` result.
 */
export function createMcpServer(options: ServerOptions): McpServer {
  const configured = (tool: AnyTool) =>
    tool.upstream === 'any'
      ? Object.values(options.clients).some(Boolean)
      : options.clients[tool.upstream] !== undefined;
  const tools = (options.tools ?? ALL_TOOLS).filter((tool) => configured(tool) && (!tool.admin || options.enableAdmin));
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const listed = tools.map(listedTool);

  const mcp = new McpServer(
    { name: 'customer-api-mcp', version: VERSION, title: 'Customer API MCP (PartsSource + Augur)' },
    { capabilities: { tools: { listChanged: false }, logging: {} }, instructions: INSTRUCTIONS },
  );
  // Our own tools/list and tools/call (instead of McpServer.registerTool) so that an argument error, too, is a
  // result with a correlationId and a machine-readable code, not the SDK's bare validation message.
  mcp.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));
  mcp.server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const tool = byName.get(request.params.name);
    if (!tool) {
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool ${request.params.name}; call tools/list for the tools offered`);
    }
    const correlationId = randomUUID();
    const log = options.log.child({ tool: tool.name, correlationId });
    const started = performance.now();
    const timeoutMs = options.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    const signal = AbortSignal.any([extra.signal, AbortSignal.timeout(timeoutMs)]);
    try {
      const args = tool.input.parse(request.params.arguments ?? {});
      const outcome = await tool.handler(args, {
        correlationId,
        signal,
        call: { correlationId, signal, deadline },
        log,
        clients: options.clients as Required<UpstreamClients>,
        configured: options.clients,
      });
      const structuredContent = { ...outcome.data, correlationId: outcome.correlationId };
      log.debug({ ms: Math.round(performance.now() - started) }, 'tool call succeeded');
      return { content: [{ type: 'text', text: JSON.stringify(structuredContent) }], structuredContent };
    } catch (error) {
      const facts = describeError(error, tool.name);
      const errorId = errorCorrelationId(error) ?? correlationId;
      log.warn({ code: facts.code, upstreamStatus: facts.upstreamStatus, ms: Math.round(performance.now() - started) }, facts.message);
      const structuredContent = { error: facts, correlationId: errorId };
      const status = facts.upstreamStatus !== undefined ? `HTTP ${facts.upstreamStatus}, ` : '';
      return {
        isError: true,
        content: [{ type: 'text', text: `${facts.message} (${status}code ${facts.code}, correlationId ${errorId})` }],
        structuredContent,
      };
    }
  });
  return mcp;
}

/** JSON Schema conversion costs ~0.4 ms a tool; HTTP mode builds one server per session (or per request). */
const LISTED = new WeakMap<AnyTool, Tool>();
function listedTool(tool: AnyTool): Tool {
  let listed = LISTED.get(tool);
  if (!listed) LISTED.set(tool, (listed = toListedTool(tool)));
  return listed;
}

/**
 * The advertised schemas. The output schema lists the success payload's fields as optional because an error
 * result carries `{error, correlationId}` instead, and clients validate both against the same schema.
 */
function toListedTool(tool: AnyTool): Tool {
  const output = z
    .object(tool.output)
    .partial()
    .extend({ correlationId: z.string().describe('Quote this id when reporting a problem.'), error: ToolErrorShape.optional() });
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: z.toJSONSchema(tool.input, { target: 'draft-7', io: 'input' }) as Tool['inputSchema'],
    outputSchema: z.toJSONSchema(output, { target: 'draft-7', io: 'output' }) as Tool['outputSchema'],
    annotations: { title: tool.title, ...tool.annotations },
  };
}
