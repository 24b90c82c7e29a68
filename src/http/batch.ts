import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { negotiate } from '../mcp/protocol-revisions.js';

/** The revision that removed JSON-RPC batching from MCP; it and later ones get 400 for a batch. */
export const BATCHLESS_SINCE = '2025-06-18';

type RequestId = string | number;
type RpcError = { code: number; message: string; data?: unknown };

/**
 * The members of a POST body that cost something: `tools/call` requests. Only they reach an upstream and hold
 * time; every other method (initialize, tools/list, prompts, ping, notifications) is answered by this process in
 * microseconds, so a POST carrying none of them still counts once, as before.
 */
export function toolCallIds(body: unknown): RequestId[] {
  const messages = Array.isArray(body) ? body : [body];
  const ids: RequestId[] = [];
  for (const m of messages) {
    if (typeof m !== 'object' || m === null) continue;
    const { method, id } = m as { method?: unknown; id?: unknown };
    if (method === 'tools/call' && (typeof id === 'string' || typeof id === 'number')) ids.push(id);
  }
  return ids;
}

/** The revision an initialize request will agree to (src/mcp/protocol-revisions.ts: the requested one if known, else the latest). */
export function negotiatedVersion(body: unknown): string | undefined {
  const init = (Array.isArray(body) ? body : [body]).find((m) => isInitializeRequest(m));
  return init ? negotiate((init as { params: { protocolVersion: unknown } }).params.protocolVersion) : undefined;
}

/**
 * Why a batch must be refused (400, -32600), or undefined. Every version that applies is checked: the
 * `MCP-Protocol-Version` header, the session's negotiated one, and the one an initialize in the batch would agree
 * to. Without any (stateless, no header) the spec's default 2025-03-26 applies, which allows batches. The SDK
 * 1.32.2 transport itself accepts batches of up to 100 members under every revision.
 */
export function batchRefusal(body: unknown, versions: ReadonlyArray<string | undefined>): string | undefined {
  if (!Array.isArray(body)) return undefined;
  const modern = [...versions, negotiatedVersion(body)].find((v) => v !== undefined && v >= BATCHLESS_SINCE);
  if (modern === undefined) return undefined;
  return `Invalid Request: JSON-RPC batches are not part of MCP protocol version ${modern} (removed in ${BATCHLESS_SINCE}); send one message per POST`;
}

/**
 * Batch members that were not admitted (over the concurrency or rate limit) are answered with a JSON-RPC error of
 * their own, and never reach the MCP server, while the admitted members of the same POST run. The transport's
 * message handler (set by McpServer.connect) is wrapped once: a refused id is answered on the POST's stream
 * instead of dispatched.
 */
export class MemberRefusals {
  static readonly #byTransport = new WeakMap<StreamableHTTPServerTransport, MemberRefusals>();
  readonly #pending = new Map<RequestId, RpcError>();

  /** The refusals of a transport already connected to its McpServer (created on first use). */
  static of(transport: StreamableHTTPServerTransport): MemberRefusals {
    let refusals = MemberRefusals.#byTransport.get(transport);
    if (!refusals) MemberRefusals.#byTransport.set(transport, (refusals = new MemberRefusals(transport)));
    return refusals;
  }

  private constructor(private readonly transport: StreamableHTTPServerTransport) {
    const dispatch = transport.onmessage;
    transport.onmessage = (message, extra) => {
      const id = 'method' in message && 'id' in message ? message.id : undefined;
      const refusal = id === undefined ? undefined : this.#pending.get(id);
      if (refusal === undefined || id === undefined) return dispatch?.(message, extra);
      this.#pending.delete(id);
      const answer: JSONRPCMessage = { jsonrpc: '2.0', id, error: refusal };
      void this.transport.send(answer).catch(() => {});
    };
  }

  /** Marks these members of the next POST as refused; the returned function forgets them (the POST ended). */
  refuse(members: ReadonlyArray<{ id: RequestId; error: RpcError }>): () => void {
    for (const { id, error } of members) this.#pending.set(id, error);
    return () => members.forEach(({ id }) => this.#pending.delete(id));
  }
}
