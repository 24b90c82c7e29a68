export type Upstream = 'partssource' | 'augur';

/** Why a call to an upstream failed, in terms a tool can turn into advice for the agent. */
export type UpstreamErrorKind =
  | 'http' // the upstream answered with a non-2xx status (or a 2xx envelope with success: false)
  | 'network' // no answer: connection refused/reset, DNS
  | 'timeout' // no answer in time
  | 'invalid_response' // an answer we could not read (malformed JSON, wrong shape)
  | 'auth' // the token endpoint refused or failed
  | 'circuit_open'; // not sent: the upstream failed repeatedly and is given a cool-down

export interface UpstreamErrorInfo {
  upstream: Upstream;
  kind: UpstreamErrorKind;
  /** HTTP status, when the upstream answered. */
  status?: number;
  /** Messages the upstream gave (envelope errors, problem detail, bare message), never a secret. */
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
  method: string;
  /** Path relative to the API base, without the query string (never carries a secret). */
  path: string;
}

/** The one error type every client throws: status, upstream message and correlation id in one place. */
export class UpstreamError extends Error {
  readonly info: UpstreamErrorInfo;

  constructor(info: UpstreamErrorInfo, message?: string) {
    super(message ?? describe(info));
    this.name = 'UpstreamError';
    this.info = info;
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
