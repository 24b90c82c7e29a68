import { HTTPError, TimeoutError } from 'ky';
import { attemptEnd, callFailure, type CallScope } from './call-scope.js';
import { displayUrl, isUnresolvableHost } from './dns.js';
import { readErrorBody } from './error-body.js';
import { oversizeDetail, redirectDetail, type UpstreamError } from './errors.js';
import { BodyStreamError, BodyTimeoutError, BodyTooLargeError, readBodyText } from './read-body.js';
import { networkReason, retryAfterSeconds } from './retry-policy.js';

/**
 * Every way a call can fail, normalised into one UpstreamError: an error status (with the upstream's message read
 * from the start of its body), a redirect that was not followed, a body over the cap or late, no answer at all.
 */
export async function normaliseFailure(error: unknown, scope: CallScope): Promise<UpstreamError> {
  if (error instanceof HTTPError) return errorAnswer(error.response, scope);
  if (error instanceof BodyTooLargeError) {
    return callFailure(scope, 'invalid_response', [], { detail: oversizeDetail(error.maxBytes, error.declaredBytes, scope.settings.oversizeAdvice) });
  }
  if (error instanceof BodyTimeoutError) return callFailure(scope, 'timeout', [`the response body did not arrive within ${Math.round(error.timeoutMs)} ms`]);
  if (error instanceof BodyStreamError) return callFailure(scope, 'network', [error.message]);
  if (error instanceof TimeoutError) return callFailure(scope, 'timeout', [`no answer within ${Math.round(scope.attemptTimeoutMs)} ms`]);
  const name = (error as Error)?.name;
  if (name === 'TimeoutError') return callFailure(scope, 'timeout', ["the tool call's deadline passed while waiting for the upstream"]);
  if (name === 'AbortError') return callFailure(scope, 'timeout', ['the tool call was cancelled']);
  if (isUnresolvableHost(error)) return callFailure(scope, 'unresolvable', [networkReason(error)], { url: displayUrl(scope.settings.url) });
  return callFailure(scope, 'network', [networkReason(error)]);
}

/** A non-2xx answer: a redirect is refused unread; otherwise only the start of the body is read, for its message. */
async function errorAnswer(response: Response, scope: CallScope): Promise<UpstreamError> {
  const { status } = response;
  if (status >= 300 && status < 400) {
    void response.body?.cancel().catch(() => {});
    return callFailure(scope, 'invalid_response', [], { status, detail: redirectDetail(status, scope.settings.urlName) });
  }
  const read = { maxBytes: scope.settings.maxErrorBodyBytes, deadline: attemptEnd(scope), truncate: true, ...(scope.signal ? { signal: scope.signal } : {}) };
  const text = await readBodyText(response, read).then(
    (body) => body.text,
    () => '',
  );
  const facts = readErrorBody(text, response.headers.get('content-type'));
  const retryAfter = retryAfterSeconds(response.headers);
  return callFailure(scope, 'http', facts.messages, {
    status,
    correlationId: facts.correlationId ?? response.headers.get('x-correlation-id') ?? scope.request.correlationId,
    ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
  });
}

/** A 2xx body as JSON (undefined when empty); a body that is not JSON is an answer we could not read. */
export function parseJsonBody(text: string, response: Response, scope: CallScope): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    const found = readErrorBody(text, response.headers.get('content-type')).messages[0];
    throw callFailure(scope, 'invalid_response', [`the body is not JSON${found ? ` (${found.slice(0, 120)})` : ''}`], { status: response.status });
  }
}

/** The upstream's correlation id (body or header), when it sent one. */
export function upstreamCorrelationId(body: unknown, headers: Headers): string | undefined {
  if (body && typeof body === 'object' && 'correlationId' in body) {
    const id = (body as { correlationId: unknown }).correlationId;
    if (typeof id === 'string' && id) return id;
  }
  return headers.get('x-correlation-id') ?? undefined;
}
