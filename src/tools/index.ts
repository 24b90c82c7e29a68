import { augurTools } from './augur/index.js';
import { catalogTools } from './partssource/catalog.js';
import type { AnyTool } from './define.js';
import { healthTools } from './health.js';
import { manufacturerTools } from './partssource/manufacturers.js';
import { orderTools } from './partssource/orders.js';
import { userTools } from './partssource/users.js';

/** Every tool the server can offer, in the order tools/list shows them. */
export const ALL_TOOLS: readonly AnyTool[] = [
  ...userTools,
  ...catalogTools,
  ...manufacturerTools,
  ...orderTools,
  ...augurTools,
  ...healthTools,
];
