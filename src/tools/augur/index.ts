// Placeholder: the Augur tools are written in their own change (issue 3).
import type { AnyTool } from '../define.js';

export const augurTools: AnyTool[] = [];
