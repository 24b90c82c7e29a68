import * as z from 'zod';
import type { AnyTool } from '../tools/define.js';
import { parseStringifiedArguments } from './budget.js';
import { listedTool } from './listed-tool.js';
import { checkFields, hasOwnArgument, LIST_DETAILS } from './result-shape.js';
import { isListTool } from './schema.js';

/** A list call's `fields` (which item fields to keep) and `detail`, as objects so that an error names the argument. */
const FieldsArgument = z.object({ fields: z.array(z.string().min(1).max(100)).min(1).max(100) });
const DetailArgument = z.object({ detail: z.enum(LIST_DETAILS) });

/** A call's arguments, validated and split into the tool's own and the server's. */
export interface CallArguments {
  /** What the tool's input schema made of the arguments (the handler's and the confirmation's). */
  args: Record<string, unknown>;
  /** A list tool's projection (`fields`), when asked for; only item fields the tool declares. */
  fields?: string[];
  /** A list tool's detail level: the server's `detail` argument, or the tool's own (list_customer_orders). */
  detail?: string;
  /** A previewed write's `confirmationToken`, when given (checked by the confirmation, not here). */
  confirmationToken?: unknown;
}

/**
 * Validates a call's arguments before anything is asked of the human or sent upstream (throws the ZodError).
 * Object or array arguments sent as JSON text are parsed first; `takesToken`: the tool takes `confirmationToken`.
 */
export function parseCallArguments(tool: AnyTool, given: Record<string, unknown>, takesToken: boolean): CallArguments {
  const raw = { ...parseStringifiedArguments(given, listedTool(tool, false).inputSchema) };
  const call: Omit<CallArguments, 'args'> = {};
  const list = isListTool(tool);
  const ownDetail = list && hasOwnArgument(tool, 'detail');
  if (list && raw.fields !== undefined) {
    call.fields = FieldsArgument.parse({ fields: raw.fields }).fields;
    delete raw.fields;
  }
  if (list && !ownDetail && raw.detail !== undefined) {
    call.detail = DetailArgument.parse({ detail: raw.detail }).detail;
    delete raw.detail;
  }
  if (takesToken && raw.confirmationToken !== undefined) {
    call.confirmationToken = raw.confirmationToken;
    delete raw.confirmationToken;
  }
  const args = tool.input.parse(raw) as Record<string, unknown>;
  if (call.fields) checkFields(tool, call.fields);
  if (ownDetail && typeof args.detail === 'string') call.detail = args.detail;
  return { ...call, args };
}

/** The idempotencyKey the agent passed, when the tool takes one and it is a valid one (echoed on argument errors). */
export function idempotencyKeyArgument(tool: AnyTool, given: Record<string, unknown> | undefined): string | undefined {
  const shape = (tool.input as { shape?: Record<string, z.ZodType> }).shape;
  const key = given?.idempotencyKey;
  return shape?.idempotencyKey && shape.idempotencyKey.safeParse(key).success && typeof key === 'string' ? key : undefined;
}
