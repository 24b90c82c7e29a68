import { ConfigError } from '../config/config-error.js';

/** SIGINT and SIGTERM both stop the process the same way. */
export function onStopSignals(stop: (reason: string) => void): void {
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Closes what was opened before a failure, ignoring errors of the closing itself. */
export async function closeQuietly(...resources: Array<{ close(): Promise<unknown> } | undefined>): Promise<void> {
  for (const resource of resources) await resource?.close().catch(() => {});
}

/** An address that cannot be bound is a configuration error (exit 2, one line), not a crash. */
export function listenFailure(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') return new ConfigError(`cannot listen on ${host}:${port}: ${code}`);
  return error;
}
