import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ErrorCode,
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type MessageExtraInfo,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { InFlight } from '../in-flight.js';

/** After the grace, how long cancelled calls get to write their own error result before we answer for them. */
export const CANCEL_SETTLE_MS = 2_000;

export interface DrainOutcome {
  /** Requests unanswered when the drain began. */
  inFlight: number;
  /** Still running when the grace passed, so cancelled (each then wrote its own error result, if it could). */
  cancelled: number;
  /** Answered by us with a JSON-RPC error because even the cancelled call did not answer in time. */
  unanswered: number;
}

/**
 * Wraps the stdio transport to know which client requests are still unanswered. On shutdown the server's own
 * close would abort them and drop their results (the SDK aborts every in-flight handler on close), so an order
 * placed upstream would never be reported; instead the drain refuses new requests, waits for the ones in flight
 * (up to the grace), cancels the rest through `cancel` so their tools end with an error result, and only then
 * lets the caller close.
 */
export class DrainingTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;

  readonly #inner: Transport;
  /** Unanswered requests, each with its way out of the in-flight count (the same count HTTP mode drains). */
  readonly #pending = new Map<RequestId, () => void>();
  readonly #inFlight = new InFlight();
  /** Requests we answered for after the cancel: a late result of theirs is not sent (one response per request). */
  readonly #answeredForThem = new Set<RequestId>();
  #draining = false;

  constructor(inner: Transport) {
    this.#inner = inner;
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  async start(): Promise<void> {
    this.#inner.onmessage = (message, extra) => {
      if (isJSONRPCRequest(message)) {
        if (this.#draining) {
          this.#inner
            .send({
              jsonrpc: '2.0',
              id: message.id,
              error: { code: ErrorCode.ConnectionClosed, message: 'The server is shutting down and takes no new requests; nothing was done. Send it to a new server process.' },
            })
            .catch((error: Error) => this.onerror?.(error));
          return;
        }
        if (!this.#pending.has(message.id)) this.#pending.set(message.id, this.#inFlight.enter());
      }
      this.onmessage?.(message, extra);
    };
    this.#inner.onerror = (error) => this.onerror?.(error);
    this.#inner.onclose = () => this.onclose?.();
    await this.#inner.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const response = isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message) ? message : undefined;
    if (response?.id !== undefined && this.#answeredForThem.has(response.id)) return;
    await this.#inner.send(message, options);
    // Counted as answered once the response is written, so a drained transport has nothing left to write.
    if (response?.id !== undefined) this.#answered(response.id);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  /**
   * Stops taking requests (later ones get a JSON-RPC error at once), waits up to `graceMs` for the ones in flight,
   * then calls `cancel` and waits CANCEL_SETTLE_MS more; whatever is still unanswered gets a JSON-RPC error.
   */
  async drain(graceMs: number, cancel: () => void): Promise<DrainOutcome> {
    this.#draining = true;
    const inFlight = this.#pending.size;
    if (await this.#inFlight.drained(graceMs)) return { inFlight, cancelled: 0, unanswered: 0 };
    const cancelled = this.#pending.size;
    cancel();
    if (await this.#inFlight.drained(CANCEL_SETTLE_MS)) return { inFlight, cancelled, unanswered: 0 };
    const ids = [...this.#pending.keys()];
    for (const id of ids) {
      this.#answered(id);
      this.#answeredForThem.add(id);
      await this.#inner.send({
        jsonrpc: '2.0',
        id,
        error: {
          code: ErrorCode.RequestTimeout,
          message: `The server shut down before this request finished (shutdown grace ${graceMs} ms); its outcome is unknown. A create_order called again with the same idempotencyKey returns the order if it was placed.`,
        },
      }).catch((error: Error) => this.onerror?.(error));
    }
    return { inFlight, cancelled, unanswered: ids.length };
  }

  #answered(id: RequestId): void {
    this.#pending.get(id)?.();
    this.#pending.delete(id);
  }
}
