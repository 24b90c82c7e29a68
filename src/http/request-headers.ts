import type { IncomingMessage } from 'node:http';
import { isJsonContentType } from '@modelcontextprotocol/sdk/shared/mediaType.js';

/** A request header's value (the first, when it was sent more than once). */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Sets a request header as the SDK's transport will read it: it looks at `req.headers` for some names and at
 * `req.rawHeaders` for others (its Node-to-Fetch adapter), so both are changed.
 */
export function setRequestHeader(req: IncomingMessage, name: string, value: string): void {
  req.headers[name] = value;
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) if (raw[i]!.toLowerCase() === name) raw.splice(i, 2);
  raw.push(name, value);
}

const JSON_RANGES = ['application/json', 'application/*', '*/*'];
const SSE_RANGES = ['text/event-stream', 'text/*', '*/*'];

/**
 * The Accept check of Streamable HTTP with media ranges read as HTTP defines them (the SDK looks for the literal
 * strings, so `*∕*` got 406): POST must accept JSON and SSE, GET SSE. A request that passes is handed on with the
 * literal types the SDK looks for; otherwise the reason for 406 (or 415 for a POST body that is not JSON).
 */
export function refuseAccept(req: IncomingMessage): string | undefined {
  const ranges = acceptedRanges(req.headers.accept);
  const json = JSON_RANGES.some((range) => ranges.has(range));
  const sse = SSE_RANGES.some((range) => ranges.has(range));
  if (req.method === 'POST') {
    if (!json || !sse) return 'Not Acceptable: the Accept header must allow both application/json and text/event-stream';
    if (!isJsonContentType(req.headers['content-type'])) return UNSUPPORTED_MEDIA_TYPE;
    setRequestHeader(req, 'accept', 'application/json, text/event-stream');
  } else if (req.method === 'GET') {
    if (!sse) return 'Not Acceptable: the Accept header must allow text/event-stream';
    setRequestHeader(req, 'accept', 'text/event-stream');
  }
  return undefined;
}

/** Checked with Accept so that the SDK's own 415 (with `"id": null`) is never reached; answered with status 415. */
export const UNSUPPORTED_MEDIA_TYPE = 'Unsupported Media Type: the body must be sent as Content-Type: application/json';

/** The media ranges of an Accept header, lower-cased, without parameters, leaving out those with q=0. */
function acceptedRanges(header: string | undefined): Set<string> {
  const ranges = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [range, ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (!range) continue;
    const q = params.find((param) => param.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) continue;
    ranges.add(range);
  }
  return ranges;
}
