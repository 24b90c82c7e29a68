import type { AppConfig } from '../config/upstreams.js';
import type { ToolOptions } from '../config/tool-options.js';
import { assertKnown, offeredTools, toolTable, type ToolSelection } from '../mcp/tool-selection.js';
import { ALL_TOOLS } from '../tools/index.js';

/** The selection the tool options stand for. */
function selectionOf(options: ToolOptions): ToolSelection {
  return {
    ...(options.toolsets ? { toolsets: options.toolsets } : {}),
    ...(options.toolNames ? { tools: options.toolNames } : {}),
    ...(options.excludeTools ? { excludeTools: options.excludeTools } : {}),
    readOnly: options.readOnly,
  };
}

/** Unknown toolset or tool names stop the start (UnknownToolNamesError, exit 2), naming them. */
export function checkToolNames(options: ToolOptions): ToolOptions {
  assertKnown(selectionOf(options));
  return options;
}

/** --list-tools: the tools these options select, for the upstreams configured (both in sandbox mode). */
export function listTools(options: ToolOptions, config: AppConfig): number {
  const upstreams = config.mode === 'sandbox' ? { partssource: true, augur: true } : { partssource: config.partssource, augur: config.augur };
  const tools = offeredTools(ALL_TOOLS, { upstreams, enableAdmin: options.enableAdmin, selections: [selectionOf(options)] });
  process.stdout.write(toolTable(tools));
  process.stdout.write(`${tools.length} tool${tools.length === 1 ? '' : 's'}${config.mode === 'sandbox' ? ' (sandbox mode: both upstreams)' : ''}\n`);
  return 0;
}
