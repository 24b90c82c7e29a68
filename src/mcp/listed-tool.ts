import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { AnyTool, ToolAnnotations } from '../tools/define.js';
import { FULL_DETAIL, hasOwnArgument } from './result-shape.js';
import { inputJsonSchema, isListTool, outputJsonSchema } from './schema.js';

/** JSON Schema conversion costs ~0.4 ms a tool; HTTP mode builds one server per session (or per request). */
const LISTED = new WeakMap<AnyTool, Tool>();
const LISTED_WITH_TOKEN = new WeakMap<AnyTool, Tool>();

/** A tool as tools/list advertises it; `withToken`: a write in `--confirm-writes always` mode. */
export function listedTool(tool: AnyTool, withToken: boolean): Tool {
  const cache = withToken ? LISTED_WITH_TOKEN : LISTED;
  let listed = cache.get(tool);
  if (!listed) cache.set(tool, (listed = toListedTool(tool, withToken)));
  return listed;
}

/**
 * The advertised tool (see src/mcp/schema.ts for why the schemas are lean). List tools take `detail` and `fields`
 * (described once, in the server instructions: every list tool's schema is paid for in every conversation); in
 * `--confirm-writes always` mode a write takes `confirmationToken` (its preview result says so).
 */
function toListedTool(tool: AnyTool, withToken: boolean): Tool {
  const inputSchema = inputJsonSchema(tool.input) as { properties?: Record<string, unknown> };
  if (isListTool(tool)) {
    inputSchema.properties = {
      ...inputSchema.properties,
      // Advertised as its one useful value (summary is the default; the server still takes it): 3 tokens less a tool.
      ...(hasOwnArgument(tool, 'detail') ? {} : { detail: { const: FULL_DETAIL } }),
      fields: { type: 'array', items: { type: 'string' } },
    };
  }
  if (withToken) {
    inputSchema.properties = {
      ...inputSchema.properties,
      confirmationToken: { type: 'string', description: 'From the preview result, after the user confirmed.' },
    };
  }
  // No `title`: it is for UIs (clients fall back to the name), and tools/list is paid for in every conversation.
  return {
    name: tool.name,
    description: tool.description,
    inputSchema: inputSchema as Tool['inputSchema'],
    outputSchema: outputJsonSchema() as Tool['outputSchema'],
    annotations: listedAnnotations(tool.annotations),
  };
}

/**
 * The annotations as sent: every tool declares all four, and tools/list states each one whose value the MCP spec does
 * not already imply. readOnlyHint always; destructiveHint and idempotentHint only for write tools (the spec makes
 * them meaningful only when readOnlyHint is false); openWorldHint only when false (the spec's default is true).
 */
function listedAnnotations(a: ToolAnnotations): Tool['annotations'] {
  return {
    readOnlyHint: a.readOnlyHint,
    ...(a.readOnlyHint ? {} : { destructiveHint: a.destructiveHint, idempotentHint: a.idempotentHint }),
    ...(a.openWorldHint ? {} : { openWorldHint: false }),
  };
}
