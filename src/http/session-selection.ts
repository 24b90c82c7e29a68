import type { IncomingMessage } from 'node:http';
import { parseList, unknownNames, type ToolSelection } from '../mcp/tool-selection.js';
import { headerValue } from './request-headers.js';

/**
 * A session's own narrowing of the tools, from headers sent with initialize (stateful) or with every request
 * (stateless): X-MCP-Toolsets, X-MCP-Tools, X-MCP-Exclude-Tools, X-MCP-Read-Only: true. It can only remove tools.
 */
export function sessionSelection(req: IncomingMessage): { selection?: ToolSelection } | { unknown: string[] } {
  const toolsets = parseList(headerValue(req, 'x-mcp-toolsets'));
  const tools = parseList(headerValue(req, 'x-mcp-tools'));
  const excludeTools = parseList(headerValue(req, 'x-mcp-exclude-tools'));
  const readOnly = ['1', 'true', 'yes'].includes(headerValue(req, 'x-mcp-read-only')?.trim().toLowerCase() ?? '');
  const selection: ToolSelection = {
    ...(toolsets ? { toolsets } : {}),
    ...(tools ? { tools } : {}),
    ...(excludeTools ? { excludeTools } : {}),
    ...(readOnly ? { readOnly } : {}),
  };
  const unknown = unknownNames(selection);
  if (unknown.length > 0) return { unknown };
  return Object.keys(selection).length > 0 ? { selection } : {};
}
