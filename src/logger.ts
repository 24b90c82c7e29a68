import { pino, type DestinationStream, type Logger } from 'pino';
import { cleanText } from './text-safety.js';

export type { Logger } from 'pino';

/**
 * Logs go to stderr: in stdio mode stdout carries JSON-RPC and nothing else.
 * Header names that can carry secrets are redacted wherever they appear in a log object; and every line, whatever
 * it carries, loses format characters and every credential the process knows (src/text-safety.ts), and is bounded.
 */
export function createLogger(
  level: string,
  destination: DestinationStream = pino.destination({ fd: 2, sync: true }),
): Logger {
  return pino(
    {
      name: 'customer-api-mcp',
      level,
      redact: {
        paths: [
          '*.authorization',
          '*.Authorization',
          '*["x-api-key"]',
          '*.clientSecret',
          '*.client_secret',
          '*.access_token',
          '*.token',
        ],
        censor: '[redacted]',
      },
      hooks: { streamWrite: safeLine },
    },
    destination,
  );
}

/** Longest log line written; upstream text is bounded where it enters, so only a bug could reach this. */
export const MAX_LOG_LINE_CHARS = 16_384;

/** A line cleaned, and a line that is too long replaced by a short one that says so (still one JSON object). */
function safeLine(line: string): string {
  const clean = cleanText(line);
  if (clean.length <= MAX_LOG_LINE_CHARS) return clean;
  const level = /"level":(\d+)/.exec(clean.slice(0, 200))?.[1] ?? '40';
  return `${JSON.stringify({ level: Number(level), time: Date.now(), name: 'customer-api-mcp', msg: `a log line of ${clean.length} characters was cut`, head: clean.slice(0, 1_000) })}\n`;
}

/** A logger that drops everything (tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
