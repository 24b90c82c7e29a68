import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode, LoggingLevelSchema, McpError, SetLevelRequestSchema, type LoggingLevel } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { DEFAULT_CLIENT_LOG_LEVEL } from './client-logging.js';
import { lenient, strictParams } from './request-params.js';

/** logging/setLevel with any level string, so that an unknown one gets a helpful InvalidParams error. */
const AnyLevelRequestSchema = SetLevelRequestSchema.extend({ params: SetLevelRequestSchema.shape.params.extend({ level: z.string() }) });

/**
 * Installs logging/setLevel and returns the client's threshold as it stands. The level lives as long as this server:
 * one stdio connection or one HTTP session (a stateless request builds a server of its own, so there the default
 * applies). Our handler instead of the SDK's, which keeps the level for sendLoggingMessage only and accepts an
 * unknown level silently.
 */
export function installLoggingLevel(server: Server): () => LoggingLevel {
  let clientLogLevel: LoggingLevel = DEFAULT_CLIENT_LOG_LEVEL;
  server.setRequestHandler(lenient(AnyLevelRequestSchema), (raw) => {
    const request = strictParams(AnyLevelRequestSchema, raw);
    const level = LoggingLevelSchema.safeParse(request.params.level);
    if (!level.success) {
      throw new McpError(ErrorCode.InvalidParams, `Unknown log level ${JSON.stringify(request.params.level)}; use one of ${LoggingLevelSchema.options.join(', ')}`);
    }
    clientLogLevel = level.data;
    return {};
  });
  return () => clientLogLevel;
}
