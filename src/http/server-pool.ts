import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/** How many idle stateless servers are kept: per tenant and selection, selections per tenant, and in all. */
export interface ServerPoolLimits {
  perSelection: number;
  selectionsPerTenant: number;
  total: number;
}

export interface ServerPoolStats {
  /** Servers built because none was idle for the request's tenant and selection. */
  built: number;
  /** Requests answered by a server an earlier request of the same tenant and selection used. */
  reused: number;
  idle: number;
}

// Per selection as many as a tenant's requests in flight may need at once (its concurrency limit is 16 by default).
const DEFAULT_LIMITS: ServerPoolLimits = { perSelection: 64, selectionsPerTenant: 32, total: 256 };

/**
 * Idle stateless McpServers, by tenant (the object, never its name) and by everything else a server is built from
 * (the caller's selection, subject and client, as `selection`). A server is taken by one request at a time: it is
 * out of the pool while in use, and only given back (`give`) once its transport is closed and its request answered;
 * building one per request was ~5 % of a stateless call's CPU (createMcpServer, registerPrompts, the SDK's Server).
 */
export class StatelessServerPool<Tenant extends object> {
  private readonly idleByTenant = new WeakMap<Tenant, Map<string, McpServer[]>>();
  private idleCount = 0;
  private builtCount = 0;
  private reusedCount = 0;

  constructor(private readonly limits: ServerPoolLimits = DEFAULT_LIMITS) {}

  /** An idle server of this tenant and selection, else a new one from `build`. */
  take(tenant: Tenant, selection: string, build: () => McpServer): McpServer {
    const idle = this.idleByTenant.get(tenant)?.get(selection)?.pop();
    if (idle) {
      this.idleCount -= 1;
      this.reusedCount += 1;
      return idle;
    }
    this.builtCount += 1;
    return build();
  }

  /** Keeps a server whose request is over for the next request of the same tenant and selection (within bounds). */
  give(tenant: Tenant, selection: string, mcp: McpServer): void {
    if (this.idleCount >= this.limits.total) return;
    let selections = this.idleByTenant.get(tenant);
    if (!selections) this.idleByTenant.set(tenant, (selections = new Map()));
    let idle = selections.get(selection);
    if (!idle) {
      // The oldest selection makes room (a caller's headers can name many).
      if (selections.size >= this.limits.selectionsPerTenant) this.forget(selections, selections.keys().next().value!);
      selections.set(selection, (idle = []));
    }
    if (idle.length >= this.limits.perSelection) return;
    idle.push(mcp);
    this.idleCount += 1;
  }

  stats(): ServerPoolStats {
    return { built: this.builtCount, reused: this.reusedCount, idle: this.idleCount };
  }

  private forget(selections: Map<string, McpServer[]>, selection: string): void {
    this.idleCount -= selections.get(selection)?.length ?? 0;
    selections.delete(selection);
  }
}

/**
 * Requests that leave nothing in a server once answered. `initialize` keeps the client's capabilities and
 * `logging/setLevel` a log threshold: a server that served either is closed, not pooled (stateless HTTP gives every
 * POST a server as new). Notifications and responses change nothing that outlives the POST.
 */
const STATELESS_METHODS: ReadonlySet<string> = new Set(['tools/call', 'tools/list', 'prompts/list', 'prompts/get', 'ping']);

export function leavesNoState(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.every((message) => {
    const { method, id } = (message ?? {}) as { method?: unknown; id?: unknown };
    if (typeof method !== 'string') return true;
    if (id === undefined) return method.startsWith('notifications/');
    return STATELESS_METHODS.has(method);
  });
}

/**
 * Whether every request of `body` has had its response sent through `transport`: only then is no handler of the
 * POST still running (a client that hangs up leaves its call to end on its own, and its server is not pooled).
 */
export function watchAnswers(transport: Transport, body: unknown): () => boolean {
  const pending = new Set<unknown>();
  for (const message of Array.isArray(body) ? body : [body]) {
    const { method, id } = (message ?? {}) as { method?: unknown; id?: unknown };
    if (typeof method === 'string' && id !== undefined) pending.add(id);
  }
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    if ('id' in message && ('result' in message || 'error' in message)) pending.delete(message.id);
    return send(message, options);
  };
  return () => pending.size === 0;
}
