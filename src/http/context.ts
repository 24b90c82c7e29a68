import type { IncomingMessage } from 'node:http';
import type { InFlight } from '../in-flight.js';
import type { Logger } from '../logger.js';
import type { ServerOptions } from '../server.js';
import type { Telemetry } from '../telemetry/types.js';
import type { AuthFailures } from './auth-failures.js';
import type { OAuthRuntime } from './oauth/runtime.js';
import type { Readiness } from './readiness.js';
import type { StatelessServerPool } from './server-pool.js';
import type { SessionCap } from './session-cap.js';
import type { SessionTable } from './sessions.js';
import type { HttpTenant, TenantDirectory } from './tenant-directory.js';

/** What every McpServer of every tenant is built with (admin tools, tool deadline, ...). */
export type McpOptions = Omit<ServerOptions, 'clients' | 'log'>;

/** What the request handlers of one HTTP server share: its settings, tenants, sessions and counters. */
export interface HttpContext {
  log: Logger;
  /** No sessions: a new McpServer and transport per POST. */
  stateless: boolean;
  maxBodyBytes: number;
  mcp: McpOptions;
  directory: TenantDirectory;
  /** Why a request's Host or Origin is refused, or undefined when it is accepted. */
  guard: (req: IncomingMessage) => string | undefined;
  readiness: () => Promise<Readiness>;
  /** MCP POSTs in flight, which shutdown waits for. */
  inFlight: InFlight;
  sessions: SessionTable<HttpTenant>;
  sessionCap: SessionCap<HttpTenant>;
  /** Idle stateless servers by tenant and selection (stateless mode). */
  serverPool: StatelessServerPool<HttpTenant>;
  authFailures: AuthFailures;
  /** Traces and metrics (README "Observability"); absent when not configured. */
  telemetry?: Telemetry;
  /** The key of /metrics (MCP_METRICS_KEY); absent: no /metrics. A secret. */
  metricsKey?: string;
  /** Resource-server mode (OAuth access tokens), when an issuer is configured. */
  oauth?: OAuthRuntime;
  /** True once shutdown began: every request gets 503. */
  closing(): boolean;
}
