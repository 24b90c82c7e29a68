import type { Result } from '../clients/types.js';
import type { ToolContext, ToolOutcome } from './define.js';
import { listPayload, type UpstreamPage } from './schema-parts.js';

/**
 * Handlers of the tools that are one client call: the definition says which call (a function of the arguments
 * and the context) and where its data goes; the upstream's correlation id is reported, as for every tool.
 */

type Request<A, T> = (args: A, ctx: ToolContext) => Promise<Result<T>>;

/** The call's data under `key`, e.g. `returns('order', ...)` → `{ order: data }`. */
export function returns<K extends string, A, T>(key: K, request: Request<A, T>) {
  return async (args: A, ctx: ToolContext): Promise<ToolOutcome<Record<K, T>>> => {
    const result = await request(args, ctx);
    return { data: { [key]: result.data } as Record<K, T>, correlationId: result.correlationId };
  };
}

/** A list call's page as a list tool returns it: `items` and the paging facts. */
export function returnsPage<A, T>(request: Request<A, UpstreamPage<T>>) {
  return async (args: A, ctx: ToolContext) => {
    const result = await request(args, ctx);
    return { data: listPayload(result.data), correlationId: result.correlationId };
  };
}
