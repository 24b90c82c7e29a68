import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Logs go to stderr: in stdio mode stdout carries JSON-RPC and nothing else.
 * Header names that can carry secrets are redacted wherever they appear in a log object.
 */
export function createLogger(
  level: string = process.env.LOG_LEVEL ?? 'info',
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
    },
    destination,
  );
}

/** A logger that drops everything (tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
