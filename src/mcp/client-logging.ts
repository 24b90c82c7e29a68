import { LoggingLevelSchema, type LoggingLevel, type LoggingMessageNotification } from '@modelcontextprotocol/sdk/types.js';
import type { CallObserver, UpstreamEvent } from '../clients/events.js';
import type { Logger } from '../logger.js';

/**
 * The MCP client's log for one tool call: what happened on the way to the upstream (retries, Retry-After waits,
 * the circuit breaker, a token refresh) goes to stderr through pino and, at or above the client's threshold, to
 * the client as `notifications/message`, each carrying the call's correlationId.
 */

/**
 * Threshold until the client calls `logging/setLevel` (and always in stateless HTTP, where no session remembers
 * a level): warnings say why a call was slow or is about to fail; anything chattier would fill the agent's context.
 */
export const DEFAULT_CLIENT_LOG_LEVEL: LoggingLevel = 'warning';

/** The spec's levels are the RFC 5424 severities, listed least severe first. */
const SEVERITY = new Map(LoggingLevelSchema.options.map((level, index) => [level, index]));

export function isAtLeast(level: LoggingLevel, threshold: LoggingLevel): boolean {
  return SEVERITY.get(level)! >= SEVERITY.get(threshold)!;
}

/** pino has no notice, critical, alert or emergency: each goes to the nearest pino level. */
export const PINO_LEVEL = {
  debug: 'debug',
  info: 'info',
  notice: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'fatal',
  alert: 'fatal',
  emergency: 'fatal',
} as const satisfies Record<LoggingLevel, string>;

const SERVICE = { partssource: 'PartsSource', augur: 'Augur' } as const;

export type ClientLogMessage = LoggingMessageNotification['params'] & {
  data: { event: UpstreamEvent['type']; message: string; correlationId: string };
};

/** Warnings explain a slow or failed call; the per-request answer is detail. */
function levelOf(event: UpstreamEvent): LoggingLevel {
  return event.type === 'response' ? 'debug' : 'warning';
}

/** One event as a log message: level, logger = the upstream, data = a sentence and the plain facts. */
export function toLogMessage(event: UpstreamEvent, correlationId: string): ClientLogMessage {
  const { type, upstream, ...facts } = event;
  const request = `${event.method} ${event.path}`;
  const service = SERVICE[upstream];
  const level = levelOf(event);
  let message: string;
  switch (event.type) {
    case 'retry':
      message = event.retryAfter
        ? `${request}: ${event.reason}; waiting ${event.delayMs} ms as its Retry-After asks, then attempt ${event.attempt} of ${event.maxAttempts}`
        : `${request}: ${event.reason}; retrying in ${event.delayMs} ms (attempt ${event.attempt} of ${event.maxAttempts})`;
      break;
    case 'circuit_opened':
      message = `${service} failed ${event.failures} calls in a row: its circuit is open, calls fail fast for ${Math.round(event.coolDownMs / 1000)} s`;
      break;
    case 'circuit_open':
      message = `${request} not sent: the ${service} circuit is open after ${event.failures} failed calls in a row (failing fast for ${Math.ceil(event.retryAfterMs / 1000)} s more)`;
      break;
    case 'token_refresh':
      message = `${request}: ${service} refused the access token (HTTP ${event.status}); fetching a new one and retrying once`;
      break;
    case 'response':
      message = `${request}: HTTP ${event.status} in ${event.ms} ms (${event.attempts} attempt${event.attempts === 1 ? '' : 's'})`;
      break;
  }
  return { level, logger: upstream, data: { event: type, message, correlationId, ...facts } };
}

export interface CallLog {
  /** Give this to the clients with the call context. */
  observe: CallObserver;
  /** Resolves once every notification of the call has been handed to the transport (so they precede the result). */
  flush(): Promise<void>;
}

/**
 * The log of one tool call. `send` is the request's own `extra.sendNotification`: it travels with the request
 * (on its SSE stream over HTTP, so stateless mode works too) and bypasses the SDK's level filter, so the threshold
 * is applied here.
 */
export function createCallLog(options: {
  correlationId: string;
  /** The call's pino logger (it already carries the tool and the correlationId). */
  log: Logger;
  threshold: () => LoggingLevel;
  send: (notification: LoggingMessageNotification) => Promise<void>;
}): CallLog {
  const pending: Array<Promise<void>> = [];
  return {
    observe(event) {
      const eventLevel = levelOf(event);
      const pinoLevel = PINO_LEVEL[eventLevel];
      const notify = isAtLeast(eventLevel, options.threshold());
      if (!notify && !options.log.isLevelEnabled(pinoLevel)) return; // a debug line nobody reads: not even built
      const { level, logger, data } = toLogMessage(event, options.correlationId);
      const { correlationId: _, message, ...facts } = data;
      options.log[pinoLevel]({ ...facts, upstream: logger }, message);
      if (!notify) return;
      pending.push(options.send({ method: 'notifications/message', params: { level, logger, data } }).catch(() => {}));
    },
    async flush() {
      await Promise.all(pending);
    },
  };
}
