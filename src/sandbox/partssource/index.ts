import { randomUUID } from 'node:crypto';
import type { SandboxModule, SandboxRequest, SandboxResponse } from '../types.js';
import { handleApiRequest } from './api.js';
import { RateLimiter } from './rate-limit.js';
import { problem } from './responses.js';
import { SandboxState } from './state.js';
import { handleTokenRequest } from './token-endpoint.js';
import { TokenService } from './tokens.js';

export { SANDBOX_PARTSSOURCE_CREDENTIALS, SCOPES as PARTSSOURCE_SCOPES } from './credentials.js';
export { SANDBOX_PARTSSOURCE_FIXTURES } from './seed.js';
export { ROUTES as PARTSSOURCE_ROUTES } from './routes.js';
export type { RouteDefinition as PartsSourceRouteDefinition } from './route-definition.js';

export interface PartsSourceSandboxOptions {
  /** Access token lifetime, default 3600 (tests use 1). */
  tokenLifetimeSeconds?: number;
  /** Token bucket per client id; default 1000 per second, burst 2000. */
  rateLimit?: { perSecond: number; burst: number };
  /** Default 0; lets a test send the same Idempotency-Key while the first request is in flight (409). */
  orderProcessingDelayMs?: number;
  /** Business clock in ms (price option 30-day expiry, order dates, idempotency TTL); default Date.now. */
  now?: () => number;
}

export interface PartsSourceSandbox extends SandboxModule {
  /** Every issued token becomes invalid (the next API call answers 401). */
  revokeAllTokens(): void;
  /** Calls to the token endpoint, successful and failed. */
  tokenRequestCount(): number;
}

const API_BASE = '/customer';

/**
 * The embedded PartsSource Customer API: `/oauth2/token` (the Cognito token endpoint) and the API under
 * `/customer` (alias `/customer/api`), as the contract in shared/api/partssource-decisions.md describes it.
 */
export function createPartsSourceSandbox(options: PartsSourceSandboxOptions = {}): PartsSourceSandbox {
  const tokens = new TokenService(options.tokenLifetimeSeconds ?? 3600);
  const limiter = new RateLimiter(options.rateLimit?.perSecond ?? 1000, options.rateLimit?.burst ?? 2000);
  const state = new SandboxState(options.now ?? Date.now);
  const deps = { tokens, limiter, state, orderProcessingDelayMs: options.orderProcessingDelayMs ?? 0 };
  let tokenRequests = 0;

  return {
    revokeAllTokens: () => tokens.revokeAll(),
    tokenRequestCount: () => tokenRequests,
    async handle(req: SandboxRequest): Promise<SandboxResponse> {
      const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
      if (path.toLowerCase() === '/oauth2/token') {
        tokenRequests++;
        return handleTokenRequest(req, tokens);
      }
      const lower = path.toLowerCase();
      if (lower === API_BASE || lower.startsWith(`${API_BASE}/`)) {
        let sub = path.slice(API_BASE.length) || '/';
        // The docs show both /customer/users/... and /customer/api/...: serve both.
        if (/^\/api(\/|$)/i.test(sub)) sub = sub.slice(4) || '/';
        return handleApiRequest(req, sub, deps);
      }
      const now = new Date(state.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
      return problem(
        { correlationId: String(req.headers['x-correlation-id'] ?? '') || randomUUID(), instance: path, timestamp: now },
        'not-found',
        `Nothing at ${path}: the token endpoint is /oauth2/token and the Customer API lives under /customer.`,
      );
    },
  };
}
