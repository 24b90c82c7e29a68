import { boundMessage } from './errors.js';

/**
 * Reads whatever an upstream sent with a failure: the PartsSource envelope, RFC 7807 problem details, the Augur
 * envelope, a bare `{message}`, an OAuth `{error, error_description}`, an HTML gateway page or nothing at all.
 */
export interface ErrorBodyFacts {
  messages: string[];
  correlationId?: string;
}

export function readErrorBody(text: string, contentType: string | null): ErrorBodyFacts {
  const trimmed = text.trim();
  if (!trimmed) return { messages: [] };
  if (contentType?.includes('html') || /^<(!doctype|html)/i.test(trimmed)) {
    const title = /<title>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
    return { messages: [boundMessage(`the upstream returned an HTML page${title ? ` (“${title}”)` : ''}, likely a gateway error`)] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return { messages: [boundMessage(trimmed)] };
  }
  if (typeof parsed !== 'object' || parsed === null) return { messages: [boundMessage(String(parsed))] };
  const body = parsed as Record<string, unknown>;
  const messages: string[] = [];
  // Bounded and cleaned as they are read (UpstreamError keeps 5): a 5 MB message or a million errors stay small,
  // and whoever cuts a message further (an error's summary) cannot cut a secret in half.
  const push = (value: unknown) => {
    if (typeof value !== 'string' || messages.length >= MAX_COLLECTED) return;
    const message = boundMessage(value.trim());
    if (message && !messages.includes(message)) messages.push(message);
  };
  push(body.detail); // problem details
  if (Array.isArray(body.errors)) body.errors.slice(0, MAX_COLLECTED).forEach((e) => push(typeof e === 'string' ? e : stringify(e)));
  else if (body.errors && typeof body.errors === 'object') {
    for (const [field, value] of Object.entries(body.errors).slice(0, MAX_COLLECTED)) {
      push(`${field}: ${Array.isArray(value) ? value.slice(0, MAX_COLLECTED).join(', ') : String(value)}`);
    }
  }
  push(body.message); // bare {message}, Augur envelope
  if (typeof body.error === 'string') push(body.error_description ? `${body.error}: ${String(body.error_description)}` : body.error);
  if (messages.length === 0) push(body.title);
  const correlationId = typeof body.correlationId === 'string' && body.correlationId ? body.correlationId : undefined;
  return { messages, correlationId };
}

/** Messages read from one body; more are dropped unread (UpstreamError keeps MAX_UPSTREAM_MESSAGES). */
const MAX_COLLECTED = 20;

/** An error entry that is not a string, as JSON; one nested too deep to stringify is named, not thrown. */
function stringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '(an error entry that could not be read)';
  }
}
