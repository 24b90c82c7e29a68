import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.js';

/** A real pino logger (the product's, with its redaction and line cap) whose lines are kept for assertions. */
export function captureLogs(level: 'trace' | 'debug' = 'trace'): { lines: string[]; log: Logger } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, log: createLogger(level, stream) };
}
