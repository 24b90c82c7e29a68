import { cleanText } from '../text-safety.js';

export type Upstream = 'partssource' | 'augur';

/** An upstream's words are bounded where they enter: a 5 MB message must not become a 5 MB result or log line. */
export const MAX_UPSTREAM_MESSAGES = 5;
export const MAX_UPSTREAM_MESSAGE_CHARS = 500;

/** At most 5 messages (see boundMessage); "(and N more messages)" says when there were more. */
export function boundUpstreamMessages(messages: readonly string[]): string[] {
  const kept = messages.slice(0, MAX_UPSTREAM_MESSAGES).map((message) => boundMessage(message));
  const more = messages.length - kept.length;
  if (more > 0) kept[kept.length - 1] += ` (and ${more} more message${more === 1 ? '' : 's'})`;
  return kept;
}

/** Longer than any credential: what is kept of a message before it is cleaned, so no secret is cut in half. */
const SECRET_MARGIN = 4_096;

/**
 * One upstream message as it may be shown: cleaned (format characters, known secrets: src/text-safety.ts) before it
 * is cut, so that a cut never leaves half a secret, and at most 500 characters (a cut one ends in "…").
 */
export function boundMessage(text: string, max = MAX_UPSTREAM_MESSAGE_CHARS): string {
  return truncateText(cleanText(text.slice(0, max + SECRET_MARGIN)), max);
}

/** `text` cut to at most `max` characters, the last being "…" (never splitting a surrogate pair). */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text[max - 2] ?? '') ? max - 2 : max - 1;
  return `${text.slice(0, end)}…`;
}

/** Why a call to an upstream failed, in terms a tool can turn into advice for the agent. */
export type UpstreamErrorKind =
  | 'http' // the upstream answered with a non-2xx status (or a 2xx envelope with success: false)
  | 'network' // no answer: connection refused/reset, a temporary DNS failure
  | 'unresolvable' // the configured URL's host does not resolve (ENOTFOUND): a configuration error, never retried
  | 'timeout' // no answer in time
  | 'invalid_response' // an answer we could not read (malformed JSON, wrong shape)
  | 'auth' // the token endpoint refused or failed
  | 'circuit_open'; // not sent: the upstream failed repeatedly and is given a cool-down

export interface UpstreamErrorInfo {
  upstream: Upstream;
  kind: UpstreamErrorKind;
  /** HTTP status, when the upstream answered. */
  status?: number;
  /** Messages the upstream gave (envelope errors, problem detail, bare message): bounded, cleaned, never a secret. */
  upstreamMessages: string[];
  /**
   * For `invalid_response`: what was wrong with the answer, in our words, when it is not worth retrying as is
   * (a redirect, a body over the cap). Completes "<service> ...", e.g. "answered with a redirect (HTTP 302)".
   */
  detail?: string;
  /** The upstream's correlation id when it sent one, else the one we sent. */
  correlationId: string;
  /** Seconds the upstream asked us to wait (429 / 503 Retry-After). */
  retryAfterSeconds?: number;
  /** The configured URL that was called (scheme, host and path only), when the fault may be in it. */
  url?: string;
  /**
   * Where the operator configures this client's credentials (e.g. the environment variable names, or a tenant's
   * fields in the tenants file), so that a refusal names what to fix.
   */
  credentialsLabel?: string;
  method: string;
  /** Path relative to the API base, without the query string (never carries a secret). */
  path: string;
}

/** The one error type every client throws: status, upstream message and correlation id in one place. */
export class UpstreamError extends Error {
  readonly info: UpstreamErrorInfo;

  constructor(info: UpstreamErrorInfo, message?: string) {
    const bounded = { ...info, upstreamMessages: boundUpstreamMessages(info.upstreamMessages) };
    super(message ?? describe(bounded));
    this.name = 'UpstreamError';
    this.info = bounded;
  }

  get status(): number | undefined {
    return this.info.status;
  }

  get correlationId(): string {
    return this.info.correlationId;
  }
}

function describe(info: UpstreamErrorInfo): string {
  const where = `${info.method} ${info.path}`;
  const what = info.upstreamMessages.length ? `: ${info.upstreamMessages.join('; ')}` : '';
  switch (info.kind) {
    case 'http':
      return `${info.upstream} answered ${info.status ?? '?'} to ${where}${what}`;
    case 'network':
      return `${info.upstream} could not be reached for ${where}${what}`;
    case 'unresolvable':
      return `${info.upstream} host of ${info.url ?? 'the configured URL'} does not resolve (${where})`;
    case 'timeout':
      return `${info.upstream} did not answer ${where} in time`;
    case 'invalid_response':
      if (info.detail) return `${info.upstream} ${info.detail} (${where})`;
      return `${info.upstream} sent a response to ${where} that could not be read${what}`;
    case 'auth':
      return `${info.upstream} authentication failed${what}`;
    case 'circuit_open':
      return `${info.upstream} calls are paused after repeated failures (circuit open)`;
  }
}

/** The error with the client's credentials label attached when the credentials are what it refused (a 401). */
export function labelCredentials(error: unknown, credentialsLabel: string | undefined): unknown {
  if (!credentialsLabel || !(error instanceof UpstreamError) || error.info.status !== 401 || error.info.credentialsLabel) return error;
  return new UpstreamError({ ...error.info, credentialsLabel }, error.message);
}

/** The `detail` of a redirect we refused to follow (nothing was sent to its Location). */
export function redirectDetail(status: number, configured: string): string {
  return (
    `answered with a redirect (HTTP ${status}), which is not followed: nothing was sent to its Location. ` +
    `The configured ${configured} is probably wrong or outdated; an operator must check it (retrying will not help)`
  );
}

/** The `detail` of a body cut at the cap (the request was aborted there). */
export function oversizeDetail(maxBytes: number, declaredBytes: number | undefined, advice: string): string {
  const declared = declaredBytes !== undefined ? ` (it declared ${declaredBytes} bytes)` : '';
  return `sent a response larger than the ${maxBytes}-byte cap${declared}; it was not read past the cap. ${advice}`;
}
