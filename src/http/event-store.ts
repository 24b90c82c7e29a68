import type { IncomingMessage } from 'node:http';
import type { EventStore } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { headerValue } from './request-headers.js';

/** How long a client waits before reconnecting a dropped stream: the `retry` field of every stream's first event. */
export const SSE_RETRY_MS = 1000;

export interface EventStoreLimits {
  /** Events kept per session; the oldest go first (default 1000). */
  maxEvents?: number;
  /** Bytes of JSON kept per session (default 1 MiB: with the 50 kB result cap, about 20 results of full size). */
  maxBytes?: number;
  /** An event older than this cannot be replayed (default 5 min). */
  ttlMs?: number;
  now?: () => number;
}

interface StoredEvent {
  id: string;
  streamId: string;
  message: JSONRPCMessage;
  bytes: number;
  at: number;
}

/**
 * One session's SSE events, so that a client whose stream dropped can reconnect with `Last-Event-ID` (GET) and get
 * what it missed, the result of its call included. In memory and per session on purpose: a session lives in one
 * process (its transport and McpServer are there; a fleet routes it there by Mcp-Session-Id), so a resume can only
 * be served by that process, and the events go with the session. Bounded by count, bytes and age.
 */
export class SessionEventStore implements EventStore {
  private readonly events: StoredEvent[] = [];
  private bytes = 0;
  private sequence = 0;
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(limits: EventStoreLimits = {}) {
    this.maxEvents = limits.maxEvents ?? 1000;
    this.maxBytes = limits.maxBytes ?? 1024 * 1024;
    this.ttlMs = limits.ttlMs ?? 5 * 60_000;
    this.now = limits.now ?? Date.now;
  }

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const id = `${++this.sequence}_${streamId}`;
    const bytes = JSON.stringify(message).length;
    this.events.push({ id, streamId, message, bytes, at: this.now() });
    this.bytes += bytes;
    this.evict();
    return id;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    this.evict();
    return this.events.find((event) => event.id === eventId)?.streamId;
  }

  async replayEventsAfter(lastEventId: string, { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> }): Promise<string> {
    this.evict();
    const index = this.events.findIndex((event) => event.id === lastEventId);
    if (index < 0) throw new Error(`unknown or expired event id ${lastEventId}`);
    const { streamId } = this.events[index]!;
    for (const event of this.events.slice(index + 1)) {
      // The priming event (an empty message) only hands the client an id; it is not a message to replay.
      if (event.streamId === streamId && Object.keys(event.message).length > 0) await send(event.id, event.message);
    }
    return streamId;
  }

  /** Whether `Last-Event-ID` names an event this store can still replay from. */
  has(eventId: string): boolean {
    this.evict();
    return this.events.some((event) => event.id === eventId);
  }

  get size(): { events: number; bytes: number } {
    return { events: this.events.length, bytes: this.bytes };
  }

  private evict(): void {
    const oldest = this.now() - this.ttlMs;
    while (
      this.events.length > 0 &&
      (this.events.length > this.maxEvents || this.bytes > this.maxBytes || this.events[0]!.at < oldest)
    ) {
      this.bytes -= this.events.shift()!.bytes;
    }
  }
}

/**
 * Transport options of a resumable session: its event store and the `retry` hint. With them the SDK starts every
 * POST stream with a priming event (an id and empty data) for clients of 2025-11-25 or later.
 */
export function resumableSession(limits?: EventStoreLimits): { eventStore: SessionEventStore; retryInterval: number } {
  return { eventStore: new SessionEventStore(limits), retryInterval: SSE_RETRY_MS };
}

/** A GET's `Last-Event-ID` that this session cannot resume from, as the reason for a 400 (the SDK's says "format"). */
export function refuseLastEventId(req: IncomingMessage, store: SessionEventStore | undefined): string | undefined {
  const lastEventId = headerValue(req, 'last-event-id');
  if (req.method !== 'GET' || !lastEventId) return undefined;
  if (store?.has(lastEventId)) return undefined;
  return `Bad Request: Last-Event-ID ${JSON.stringify(lastEventId.slice(0, 80))} is not an event of this session that can still be replayed (events are kept for 5 min, up to 1000 per session); send GET without it for a new stream`;
}
