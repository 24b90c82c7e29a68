import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { SessionEventStore } from './event-store.js';

/** A stateful MCP session: bound for its whole life to the tenant whose key opened it. */
export interface Session<T> {
  id: string;
  tenant: T;
  server: McpServer;
  transport: StreamableHTTPServerTransport;
  /** Last time a request on this session started or ended (the `now` clock). */
  lastSeen: number;
  /** Requests of this session in flight; a busy session never expires. */
  active: number;
  /** Open GET (SSE) streams of this session: the SDK allows one. */
  streams?: number;
  /**
   * The protocol revision agreed at initialize: the MCP-Protocol-Version every later request of the session must
   * send, and whether a batch is allowed.
   */
  protocolVersion?: string;
  /** What its streams sent, for a client that resumes one with Last-Event-ID. */
  events?: SessionEventStore;
  /** Who opened it with an OAuth token (subject and client): only they may use it. */
  owner?: string;
}

export interface SessionTableOptions {
  idleMs: number;
  now?: () => number;
  /** How often idle sessions are swept (default: a quarter of idleMs, between 1 s and 60 s). */
  sweepMs?: number;
  onExpired?: (session: Session<unknown>) => void;
}

/**
 * The stateful sessions: lookup by Mcp-Session-Id with idle expiry. An idle session is closed at the latest by the
 * periodic sweep, and is never returned once its idle time has passed, so an expired id gets 404 at once.
 */
export class SessionTable<T> {
  readonly #sessions = new Map<string, Session<T>>();
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout;

  constructor(private readonly options: SessionTableOptions) {
    this.#now = options.now ?? Date.now;
    const sweepMs = options.sweepMs ?? Math.min(60_000, Math.max(1_000, Math.floor(options.idleMs / 4)));
    this.#timer = setInterval(() => this.sweep(), sweepMs);
    this.#timer.unref();
  }

  get size(): number {
    return this.#sessions.size;
  }

  now(): number {
    return this.#now();
  }

  add(session: Session<T>): void {
    this.#sessions.set(session.id, session);
  }

  /** The live session with this id, or undefined (unknown, closed, or expired: an expired one is closed now). */
  get(id: string): Session<T> | undefined {
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    if (this.#expired(session)) {
      this.#expire(session);
      return undefined;
    }
    return session;
  }

  /** Marks the start of a request on the session; the returned function marks its end. */
  begin(session: Session<T>): () => void {
    session.active++;
    session.lastSeen = this.#now();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      session.active--;
      session.lastSeen = this.#now();
    };
  }

  /** Marks a GET stream opened on the session; the returned function marks it closed. */
  openStream(session: Session<T>): () => void {
    session.streams = (session.streams ?? 0) + 1;
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      session.streams = (session.streams ?? 1) - 1;
      session.lastSeen = this.#now();
    };
  }

  values(): IterableIterator<Session<T>> {
    return this.#sessions.values();
  }

  /** Closes a session now (to make room for a new one). */
  evict(session: Session<T>): void {
    this.#sessions.delete(session.id);
    void session.server.close().catch(() => {});
  }

  /** Forgets a session that closed itself (DELETE, transport closed). */
  remove(id: string): void {
    this.#sessions.delete(id);
  }

  sweep(): void {
    for (const session of this.#sessions.values()) if (this.#expired(session)) this.#expire(session);
  }

  /** Closes every session (shutdown) and stops the sweeper. */
  async closeAll(): Promise<void> {
    clearInterval(this.#timer);
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(sessions.map((s) => s.server.close().catch(() => {})));
  }

  #expired(session: Session<T>): boolean {
    return session.active === 0 && this.#now() - session.lastSeen >= this.options.idleMs;
  }

  #expire(session: Session<T>): void {
    this.#sessions.delete(session.id);
    this.options.onExpired?.(session as Session<unknown>);
    void session.server.close().catch(() => {});
  }
}
