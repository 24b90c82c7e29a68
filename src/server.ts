import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { serverInstructions } from './mcp/instructions.js';
import { installLoggingLevel } from './mcp/logging-level.js';
import { registerPrompts } from './mcp/prompts.js';
import type { ServerOptions } from './mcp/server-options.js';
import type { AnyTool } from './tools/define.js';
import { toolCallSetup, toolOfferFor } from './mcp/tool-call-setup.js';
import { installToolHandlers, refuseSdkToolRegistration } from './mcp/tool-handlers.js';
import { VERSION } from './version.js';

export { DEFAULT_TOOL_TIMEOUT_MS, type ServerOptions } from './mcp/server-options.js';

/**
 * One JSON-schema validator (it checks elicitation answers) for every McpServer, built on first use: stateless HTTP
 * builds a server per request, and a new Ajv per server was 12 % of the CPU there (BENCHMARKS.md).
 */
let ajv: AjvJsonSchemaValidator | undefined;
const sharedValidator: jsonSchemaValidator = {
  getValidator: (schema) => (ajv ??= new AjvJsonSchemaValidator()).getValidator(schema),
};

/** Instructions and prompt gating per tool list (offers are cached per selection: see toolOfferFor). */
const INSTRUCTIONS = new WeakMap<readonly AnyTool[], { instructions: string; names: ReadonlySet<string> }>();

function describedOffer(tools: readonly AnyTool[]): { instructions: string; names: ReadonlySet<string> } {
  let described = INSTRUCTIONS.get(tools);
  if (!described) INSTRUCTIONS.set(tools, (described = { instructions: serverInstructions(tools), names: new Set(tools.map((tool) => tool.name)) }));
  return described;
}

/**
 * Builds one MCP server over the given upstream clients: the tools its options select, with instructions and prompts
 * naming only those, logging/setLevel, and tools/list and tools/call over src/mcp/run-tool-call.ts (one boundary
 * that gives every call a correlation id, validates arguments before any request, and turns every failure into an
 * `isError` result).
 */
export function createMcpServer(options: ServerOptions): McpServer {
  const offer = toolOfferFor(options);
  const { instructions, names } = describedOffer(offer.tools);
  const mcp = new McpServer(
    { name: 'customer-api-mcp', version: VERSION, title: 'Customer API MCP (PartsSource + Augur)' },
    { capabilities: { tools: { listChanged: false }, logging: {} }, instructions, jsonSchemaValidator: sharedValidator },
  );
  registerPrompts(mcp, names);
  const clientLogLevel = installLoggingLevel(mcp.server);
  installToolHandlers(mcp.server, toolCallSetup(options, clientLogLevel, offer));
  refuseSdkToolRegistration(mcp);
  return mcp;
}
