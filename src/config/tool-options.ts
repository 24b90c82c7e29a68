import type { ConfirmWrites } from '../mcp/confirmation.js';
import type { ResultTextMode } from '../mcp/result-text.js';
import type { Settings } from './options.js';

/** What every McpServer is built with. Tool names are checked where tools are selected (`assertKnown`). */
export interface ToolOptions {
  toolsets?: string[];
  toolNames?: string[];
  excludeTools?: string[];
  readOnly: boolean;
  enableAdmin: boolean;
  maxResultBytes: number;
  resultText: ResultTextMode;
  confirmWrites: ConfirmWrites;
  /** The audit trail's JSON-lines file (src/audit/); unset: write records go to the log stream only. */
  auditLog?: string;
}

export const TOOL_KEYS = ['toolsets', 'tools', 'excludeTools', 'readOnly', 'enableAdmin', 'maxResultBytes', 'resultText', 'confirmWrites', 'auditLog'] as const;

export function toolOptions(s: Settings<(typeof TOOL_KEYS)[number]>): ToolOptions {
  return {
    ...(s.toolsets ? { toolsets: s.toolsets } : {}),
    ...(s.tools ? { toolNames: s.tools } : {}),
    ...(s.excludeTools ? { excludeTools: s.excludeTools } : {}),
    readOnly: s.readOnly,
    enableAdmin: s.enableAdmin,
    maxResultBytes: s.maxResultBytes,
    resultText: s.resultText as ResultTextMode,
    confirmWrites: s.confirmWrites,
    ...(s.auditLog ? { auditLog: s.auditLog } : {}),
  };
}
