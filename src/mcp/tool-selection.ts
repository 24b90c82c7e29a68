import type { AnyTool } from '../tools/define.js';
import { ALL_TOOLS } from '../tools/index.js';

/**
 * Which tools a server offers: the one place that decides it (used by createMcpServer, the CLI's --list-tools and
 * the HTTP server's per-tenant and per-session narrowing).
 *
 * Toolset names: an upstream (`partssource`, `augur`), or an upstream and a resource (`partssource.catalog`,
 * `augur.tags`); the resource alone (`catalog`, `tags`) is accepted too, since every resource name is unique.
 * `all` names every toolset. `check_health` (toolset `health`) is always offered unless excluded by name.
 */

export interface ToolSelection {
  /** Only tools in these toolsets (plus `tools`); default: every toolset. */
  toolsets?: readonly string[];
  /** Individual tools, added to the toolsets (alone, they are the whole selection). */
  tools?: readonly string[];
  /** Tools never offered (wins over everything). */
  excludeTools?: readonly string[];
  /** Only tools whose readOnlyHint is true: write tools are not even listed. */
  readOnly?: boolean;
}

export type ToolKind = 'read' | 'write' | 'destructive' | 'admin';

/** `partssource.catalog`, `augur.documents`, ... (`health` for check_health). */
export function toolsetOf(tool: AnyTool): string {
  return tool.upstream === 'any' ? tool.group : `${tool.upstream}.${tool.group}`;
}

export function kindOf(tool: AnyTool): ToolKind {
  if (tool.admin) return 'admin';
  if (tool.annotations.readOnlyHint) return 'read';
  return tool.annotations.destructiveHint ? 'destructive' : 'write';
}

/** Tools that change data upstream and ask for confirmation (admin triggers are operator-only and excluded). */
export function isWriteTool(tool: AnyTool): boolean {
  return !tool.annotations.readOnlyHint && !tool.admin;
}

/** Toolset names and tool names derived once per tool list (stateless HTTP asks several times per request). */
const TOOLSET_NAMES = new WeakMap<readonly AnyTool[], ReadonlyMap<string, ReadonlySet<string>>>();
const TOOL_NAMES = new WeakMap<readonly AnyTool[], ReadonlySet<string>>();

/** Every toolset name accepted, with the toolsets each stands for. */
export function toolsetNames(tools: readonly AnyTool[] = ALL_TOOLS): ReadonlyMap<string, ReadonlySet<string>> {
  let names = TOOLSET_NAMES.get(tools);
  if (!names) TOOLSET_NAMES.set(tools, (names = deriveToolsetNames(tools)));
  return names;
}

function toolNamesOf(tools: readonly AnyTool[]): ReadonlySet<string> {
  let names = TOOL_NAMES.get(tools);
  if (!names) TOOL_NAMES.set(tools, (names = new Set(tools.map((t) => t.name))));
  return names;
}

function deriveToolsetNames(tools: readonly AnyTool[]): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  const add = (name: string, toolset: string) => {
    if (!names.has(name)) names.set(name, new Set());
    names.get(name)!.add(toolset);
  };
  for (const tool of tools) {
    const toolset = toolsetOf(tool);
    add(toolset, toolset);
    add('all', toolset);
    if (tool.upstream !== 'any') {
      add(tool.upstream, toolset);
      add(tool.group, toolset);
    }
  }
  return names;
}

/** Names in a selection that match no toolset or tool (the CLI exits 2 naming them; HTTP refuses the request). */
export function unknownNames(selection: ToolSelection, tools: readonly AnyTool[] = ALL_TOOLS): string[] {
  const sets = toolsetNames(tools);
  const toolNames = toolNamesOf(tools);
  return [
    ...(selection.toolsets ?? []).filter((name) => !sets.has(name)).map((name) => `toolset "${name}"`),
    ...[...(selection.tools ?? []), ...(selection.excludeTools ?? [])].filter((name) => !toolNames.has(name)).map((name) => `tool "${name}"`),
  ];
}

/** Throws when a selection names something unknown (a programming or configuration error). */
export function assertKnown(selection: ToolSelection, what = 'tool selection'): void {
  const unknown = unknownNames(selection);
  if (unknown.length > 0) throw new UnknownToolNamesError(`${what}: unknown ${unknown.join(', ')}. ${knownNamesHint()}`, unknown);
}

export class UnknownToolNamesError extends Error {
  constructor(
    message: string,
    readonly names: string[],
  ) {
    super(message);
    this.name = 'UnknownToolNamesError';
  }
}

export function knownNamesHint(): string {
  const sets = [...toolsetNames().keys()].filter((name) => name.includes('.') || ['all', 'partssource', 'augur'].includes(name));
  return `Toolsets: ${sets.join(', ')}; tools: see --list-tools.`;
}

/** The tools one selection keeps, in registry order. */
export function applySelection(tools: readonly AnyTool[], selection: ToolSelection): AnyTool[] {
  const sets = toolsetNames();
  const chosenSets = selection.toolsets ? new Set(selection.toolsets.flatMap((name) => [...(sets.get(name) ?? [])])) : undefined;
  const chosenTools = new Set(selection.tools ?? []);
  const excluded = new Set(selection.excludeTools ?? []);
  return tools.filter((tool) => {
    if (excluded.has(tool.name)) return false;
    if (selection.readOnly && !tool.annotations.readOnlyHint) return false;
    if (chosenTools.has(tool.name)) return true;
    if (tool.upstream === 'any') return true; // check_health: always on
    if (chosenSets) return chosenSets.has(toolsetOf(tool));
    return !selection.tools; // --tools alone is the whole selection
  });
}

export interface OfferOptions {
  /** The upstreams configured: a tool of another upstream is never offered ('any' tools: when one is). */
  upstreams: { partssource?: unknown; augur?: unknown };
  enableAdmin?: boolean;
  /** The server's selection, then each narrowing (tenant, session): each can only remove tools. */
  selections?: ReadonlyArray<ToolSelection | undefined>;
}

/** What a server offers: configured upstreams, admin gate, then every selection in turn (an intersection). */
export function offeredTools(candidates: readonly AnyTool[], options: OfferOptions): AnyTool[] {
  const configured = (tool: AnyTool) =>
    tool.upstream === 'any'
      ? Object.values(options.upstreams).some(Boolean)
      : options.upstreams[tool.upstream] !== undefined;
  let tools = candidates.filter((tool) => configured(tool) && (!tool.admin || options.enableAdmin));
  for (const selection of options.selections ?? []) if (selection) tools = applySelection(tools, selection);
  return tools;
}

/** Parses a comma-separated list (flag, variable or header); empty items are ignored. */
export function parseList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items;
}

/** The `--list-tools` table. */
export function toolTable(tools: readonly AnyTool[]): string {
  const rows = [['tool', 'toolset', 'kind'], ...tools.map((tool) => [tool.name, toolsetOf(tool), kindOf(tool)])];
  const widths = [0, 1].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  return `${rows.map((row) => `${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]}`).join('\n')}\n`;
}
