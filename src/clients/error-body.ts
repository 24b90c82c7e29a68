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
    return { messages: [`the upstream returned an HTML page${title ? ` (“${title}”)` : ''}, likely a gateway error`] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return { messages: [truncate(trimmed)] };
  }
  if (typeof parsed !== 'object' || parsed === null) return { messages: [truncate(String(parsed))] };
  const body = parsed as Record<string, unknown>;
  const messages: string[] = [];
  const push = (value: unknown) => {
    if (typeof value === 'string' && value.trim() && !messages.includes(value.trim())) messages.push(value.trim());
  };
  push(body.detail); // problem details
  if (Array.isArray(body.errors)) body.errors.forEach((e) => push(typeof e === 'string' ? e : JSON.stringify(e)));
  else if (body.errors && typeof body.errors === 'object') {
    for (const [field, value] of Object.entries(body.errors)) push(`${field}: ${Array.isArray(value) ? value.join(', ') : String(value)}`);
  }
  push(body.message); // bare {message}, Augur envelope
  if (typeof body.error === 'string') push(body.error_description ? `${body.error}: ${String(body.error_description)}` : body.error);
  if (messages.length === 0) push(body.title);
  const correlationId = typeof body.correlationId === 'string' && body.correlationId ? body.correlationId : undefined;
  return { messages, correlationId };
}

function truncate(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
