import { request as httpRequest, type IncomingMessage } from 'node:http';

export interface SseEvent {
  id?: string;
  event?: string;
  retry?: number;
  data: string;
}

export interface SseStream {
  status: number;
  headers: IncomingMessage['headers'];
  /** The next event; rejects if the stream ends first or nothing comes within `timeoutMs`. */
  next(timeoutMs?: number): Promise<SseEvent>;
  /** Drops the connection (as a network failure would). */
  drop(): void;
}

/**
 * A raw HTTP request whose answer is read as Server-Sent Events one at a time, so a test can stop (drop the
 * connection) after any event. Comments (`: keepalive`) are skipped.
 */
export function sseRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const events: SseEvent[] = [];
      const waiters: Array<() => void> = [];
      let ended = false;
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = parseEvent(block);
          if (event) events.push(event);
        }
        waiters.splice(0).forEach((wake) => wake());
      });
      const finish = () => {
        ended = true;
        waiters.splice(0).forEach((wake) => wake());
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        async next(timeoutMs = 20_000) {
          const deadline = Date.now() + timeoutMs;
          while (events.length === 0) {
            if (ended) throw new Error(`the stream ended before the next event (unparsed: ${JSON.stringify(buffer)})`);
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
            await new Promise<void>((wake) => {
              const timer = setTimeout(wake, left);
              waiters.push(() => {
                clearTimeout(timer);
                wake();
              });
            });
          }
          return events.shift()!;
        },
        drop: () => {
          req.destroy();
          res.destroy();
        },
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET') reject(error);
    });
    req.end(options.body);
  });
}

function parseEvent(block: string): SseEvent | undefined {
  const event: SseEvent = { data: '' };
  const data: string[] = [];
  let fields = 0;
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    fields += 1;
    if (name === 'id') event.id = value;
    else if (name === 'event') event.event = value;
    else if (name === 'retry') event.retry = Number(value);
    else if (name === 'data') data.push(value);
  }
  if (fields === 0) return undefined;
  event.data = data.join('\n');
  return event;
}
