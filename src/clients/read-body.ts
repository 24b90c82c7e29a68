import { abortReason } from '../deadline.js';

/**
 * Reads an upstream response body as a stream, under a byte cap and a deadline of its own. `response.text()`
 * would buffer whatever the upstream sends (an endless body grows the process without bound) and waits as long
 * as the upstream dribbles bytes; here the read stops at the cap or the deadline, and the body is cancelled,
 * which closes the connection: nothing past the cap is kept.
 */

/** The default cap of a successful response body (UPSTREAM_MAX_RESPONSE_BYTES / --max-response-bytes). */
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
/** Error bodies (and the token endpoint's answers) only carry a message: a short read is enough. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** The body was (or declared itself) larger than the cap; it was not read past it. */
export class BodyTooLargeError extends Error {
  constructor(
    readonly maxBytes: number,
    readonly declaredBytes?: number,
  ) {
    super(`the response body is larger than ${maxBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** The body did not arrive whole before the deadline. */
export class BodyTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the response body did not arrive within ${timeoutMs} ms`);
    this.name = 'BodyTimeoutError';
  }
}

/** The connection broke while the body was arriving. */
export class BodyStreamError extends Error {
  constructor(cause: unknown) {
    super('the connection closed while reading the response', { cause });
    this.name = 'BodyStreamError';
  }
}

export interface ReadBodyOptions {
  maxBytes: number;
  /** Epoch ms by which the whole body must have arrived. */
  deadline?: number;
  /** Cancels the read (the tool call's own signal); the error thrown is the signal's reason. */
  signal?: AbortSignal;
  /** With `truncate`, a body over the cap is cut there and returned (`truncated: true`) instead of failing. */
  truncate?: boolean;
}

export interface BodyText {
  text: string;
  truncated: boolean;
}

/**
 * The body as UTF-8 text. Throws BodyTooLargeError past the cap (unless `truncate`), BodyTimeoutError past the
 * deadline, the signal's reason when it aborts, or BodyStreamError when the connection breaks.
 */
export async function readBodyText(response: Response, options: ReadBodyOptions): Promise<BodyText> {
  const { maxBytes } = options;
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (!options.truncate && Number.isFinite(declared) && declared > maxBytes) {
    void response.body?.cancel().catch(() => {});
    throw new BodyTooLargeError(maxBytes, declared);
  }
  if (!response.body) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  let failure: Error | undefined;
  // Cancelling the reader ends a pending read() at once (done: true) and closes the connection.
  const stop = (error: Error | undefined) => {
    failure ??= error;
    void reader.cancel(error).catch(() => {});
  };
  const startedAt = Date.now();
  const timeoutMs = options.deadline === undefined ? undefined : Math.max(0, options.deadline - startedAt);
  // Held here and cleared below: a timer the garbage collector cannot take away (unlike AbortSignal.timeout).
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => stop(new BodyTimeoutError(timeoutMs)), timeoutMs);
  const onAbort = () => stop(abortReason(options.signal!));
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    while (failure === undefined) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > maxBytes) {
        if (options.truncate) {
          chunks.push(value.subarray(0, maxBytes - size));
          size = maxBytes;
          truncated = true;
          stop(undefined);
          break;
        }
        stop(new BodyTooLargeError(maxBytes, Number.isFinite(declared) ? declared : undefined));
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } catch (error) {
    failure ??= new BodyStreamError(error);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (failure) throw failure;
  return { text: new TextDecoder().decode(Buffer.concat(chunks, size)), truncated };
}
