import type * as z from 'zod';
import type { Logger } from '../logger.js';
import type { CallContext, UpstreamClients, UpstreamName } from '../clients/types.js';

/** What a handler gets besides its arguments. */
export interface ToolContext {
  /** This tool call's id; sent upstream as X-Correlation-ID. */
  correlationId: string;
  /** Aborted when the client cancels the call or its deadline passes. */
  signal: AbortSignal;
  /** What every client method takes: correlation id, signal and the call's deadline. */
  call: CallContext;
  log: Logger;
  /** For a tool bound to one upstream, that client is always present; 'any' tools check what they get. */
  clients: Required<UpstreamClients>;
  /** The clients actually configured (for tools that span upstreams, such as check_health). */
  configured: UpstreamClients;
}

/** What a handler returns: its payload and the correlation id to report (the upstream's when it sent one). */
export interface ToolOutcome<T> {
  data: T;
  correlationId: string;
}

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** The three kinds of tool, declared once: every tool talks to an external API (open world). */
export const READ: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
export const WRITE: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };
export const DELETE: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };

/**
 * One MCP tool, declared: the server turns it into tools/list entries and runs it inside one error boundary
 * that adds the correlation id and turns every failure into an `isError` result. Handlers return data and throw.
 */
export interface ToolDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  /** The upstream the tool calls; it is listed only when that upstream is configured ('any': when one is). */
  upstream: UpstreamName | 'any';
  /** Admin tools (e.g. refresh triggers) are offered only when the operator enables them. */
  admin?: boolean;
  /** Resource group within the upstream, e.g. `catalog`: the tool is in toolsets `<upstream>` and `<upstream>.<group>`. */
  group: string;
  /**
   * Documentation only (the README's "upstream" column, `npm run docs`; never sent in tools/list): the upstream
   * operation(s) the tool calls, as `METHOD /path` with the contract's path parameters, e.g. `'GET /users/lookup'`,
   * and a note in parentheses where a call is conditional, e.g. `'GET /contacts/{id}/doc (on a 404)'`.
   */
  endpoint?: string | readonly string[];
  input: I;
  /** The success payload's shape; `correlationId` is added by the server. */
  output: O;
  /**
   * A list tool's compact item (src/mcp/result-shape.ts): the item fields an agent needs to choose its next call
   * (the ids other tools take, dates, amounts, status, names), all declared in the item schema. By default items
   * keep only these, without null or empty values; `detail: "full"` returns whole items. A tool whose own `detail`
   * has a further level naming an item field (list_customer_orders' `lines`) keeps that field too.
   */
  summaryFields?: readonly string[];
  annotations: ToolAnnotations;
  /**
   * A write tool's summary for the human who confirms it (src/mcp/write-confirmation.ts), from its validated
   * arguments; without one the human sees the title and the arguments as given.
   */
  confirmation?(args: z.output<I>): string;
  /**
   * A write's target in its audit record (src/audit/): the ids it is about. Default: its arguments named `…Id` or
   * `…Uid`. Never free text (names, tag text): the record identifies the write, the digest stands for the rest.
   */
  auditTarget?(args: z.output<I>): Record<string, string | number | boolean>;
  handler(args: z.output<I>, ctx: ToolContext): Promise<ToolOutcome<z.output<z.ZodObject<O>>>>;
}

/** Identity helper for type inference of a tool's arguments and payload. */
export function defineTool<I extends z.ZodType, O extends z.ZodRawShape>(tool: ToolDefinition<I, O>): ToolDefinition<I, O> {
  return tool;
}

// Erases the generics so tools of different shapes can sit in one list.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTool = ToolDefinition<any, any>;

/** A precondition the agent can fix (thrown by handlers before any request is made). */
export class ToolInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolInputError';
  }
}
