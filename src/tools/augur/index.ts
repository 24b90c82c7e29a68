import type { AnyTool } from '../define.js';
import { adminTools } from './admin.js';
import { addressTools } from './addresses.js';
import { contactTools } from './contacts.js';
import { customerOrderTools } from './customer-orders.js';
import { customerTools } from './customers.js';
import { invoiceTools } from './invoices.js';
import { purchaseTools } from './purchases.js';
import { shipToTools } from './ship-to.js';
import { tagTools } from './tags.js';

/** Every Augur customers-service tool (toolset `augur`), in the order tools/list shows them. */
export const augurTools: AnyTool[] = [
  ...customerTools,
  ...contactTools,
  ...shipToTools,
  ...addressTools,
  ...tagTools,
  ...invoiceTools,
  ...customerOrderTools,
  ...purchaseTools,
  ...adminTools,
];
