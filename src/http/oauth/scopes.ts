import { kindOf, type ToolSelection } from '../../mcp/tool-selection.js';
import type { AnyTool } from '../../tools/define.js';
import { ALL_TOOLS } from '../../tools/index.js';

/** `PREFIX:read` for read tools, `PREFIX:write` for writes (destructive ones too), `PREFIX:admin` for admin tools. */
export interface ScopeNames {
  read: string;
  write: string;
  admin: string;
}

export function scopeNames(prefix: string): ScopeNames {
  return { read: `${prefix}:read`, write: `${prefix}:write`, admin: `${prefix}:admin` };
}

/** The one scope a tool needs. */
export function scopeOf(tool: AnyTool, names: ScopeNames): string {
  const kind = kindOf(tool);
  return kind === 'read' ? names.read : kind === 'admin' ? names.admin : names.write;
}

/** The narrowing of a token's scopes: the tools it has no scope for are not even listed (as --read-only does). */
export function scopeSelection(granted: ReadonlySet<string>, names: ScopeNames): ToolSelection {
  return { excludeTools: ALL_TOOLS.filter((tool) => !granted.has(scopeOf(tool, names))).map((tool) => tool.name) };
}

/**
 * A POST's tools/call members the token lacks a scope for: the tools, and every scope the request needs (the ones
 * of ours it already has plus the missing ones, so a client asking again for exactly these loses nothing).
 * Undefined when every call is allowed; an unknown tool name is left to the MCP layer's own answer.
 */
export function missingScopes(body: unknown, granted: ReadonlySet<string>, names: ScopeNames): { tools: string[]; needed: string[] } | undefined {
  const tools: string[] = [];
  const missing = new Set<string>();
  for (const message of Array.isArray(body) ? body : [body]) {
    const { method, params } = (message ?? {}) as { method?: unknown; params?: { name?: unknown } };
    if (method !== 'tools/call') continue;
    const tool = ALL_TOOLS.find((t) => t.name === params?.name);
    if (!tool) continue;
    const scope = scopeOf(tool, names);
    if (granted.has(scope)) continue;
    tools.push(tool.name);
    missing.add(scope);
  }
  if (tools.length === 0) return undefined;
  const ours = [names.read, names.write, names.admin];
  return { tools, needed: ours.filter((scope) => granted.has(scope) || missing.has(scope)) };
}
