import { randomUUID } from 'node:crypto';
import type { SandboxRequest, SandboxResponse } from '../types.js';
import { SCOPES, tenantOfApiKey } from './credentials.js';
import type { RateLimiter, RateDecision } from './rate-limit.js';
import { rateHeaders } from './rate-limit.js';
import { gatewayForbidden, problem, type ResponseContext } from './responses.js';
import { matchRoute } from './router.js';
import type { SandboxState } from './state.js';
import type { TokenService } from './tokens.js';

export interface ApiDeps {
  tokens: TokenService;
  limiter: RateLimiter;
  state: SandboxState;
  orderProcessingDelayMs: number;
}

/**
 * One Customer API call, checks in the order a gateway + service would apply them: API key (403 bare body),
 * bearer token (401), token tenant vs key tenant (403), scope (403), rate limit (429), then the route (or 404).
 * `subPath` is the path below the API base, e.g. `/orders/10001`.
 */
export async function handleApiRequest(req: SandboxRequest, subPath: string, deps: ApiDeps): Promise<SandboxResponse> {
  const given = header(req, 'x-correlation-id')?.trim();
  const correlationId = given && given.length <= 128 ? given : randomUUID();
  const res: ResponseContext = {
    correlationId,
    instance: subPath,
    timestamp: new Date(deps.state.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  let rate: RateDecision = deps.limiter.peekAnonymous();
  const finish = (response: SandboxResponse): SandboxResponse => ({
    ...response,
    headers: { ...response.headers, ...rateHeaders(rate), 'x-correlation-id': correlationId },
  });

  const match = matchRoute(req.method, subPath);
  if (match.kind === 'route' && match.route.scope === 'none') {
    // Unauthenticated routes (sandbox health) read no tenant data; the tenant field is a placeholder.
    return finish(await match.route.handler({ req, params: match.params, tenant: 'acme', clientId: '', res, state: deps.state, orderProcessingDelayMs: 0 }));
  }

  const apiKey = header(req, 'x-api-key');
  const keyTenant = apiKey ? tenantOfApiKey(apiKey) : undefined;
  if (!keyTenant) return finish(gatewayForbidden());

  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '')?.[1];
  if (!bearer) {
    return finish(
      problem(res, 'unauthorized', 'Authentication is required: send Authorization: Bearer <access token> from the token endpoint.', undefined, {
        'www-authenticate': 'Bearer',
      }),
    );
  }
  const check = deps.tokens.verify(bearer);
  if (!check.ok) {
    return finish(
      problem(res, 'unauthorized', check.reason, undefined, {
        'www-authenticate': `Bearer error="invalid_token", error_description="${check.reason}"`,
      }),
    );
  }
  const token = check.token;
  if (token.tenant !== keyTenant) {
    return finish(problem(res, 'forbidden', 'The access token and the x-api-key belong to different organizations.'));
  }
  if (match.kind === 'route') {
    const needed = match.route.scope === 'write' ? [SCOPES.write] : [SCOPES.read, SCOPES.write];
    if (!token.scopes.some((s) => needed.includes(s))) {
      return finish(
        problem(
          res,
          'forbidden',
          `${match.route.method} ${match.route.path} requires the scope ${needed.join(' or ')}; the token grants: ${token.scopes.join(' ') || '(none)'}.`,
        ),
      );
    }
  }

  rate = deps.limiter.take(token.clientId);
  if (!rate.allowed) {
    return finish(problem(res, 'rate-limited', `Rate limit of ${rate.limit} requests per second exceeded for this API client; retry after ${rate.retryAfterSeconds} s.`));
  }

  if (match.kind === 'none') return finish(problem(res, 'not-found', `No Customer API resource at ${subPath}.`));
  if (match.kind === 'method-not-allowed') {
    return finish(problem(res, 'method-not-allowed', `${req.method} is not supported on ${subPath}; use ${match.allow.join(', ')}.`, undefined, { allow: match.allow.join(', ') }));
  }
  return finish(
    await match.route.handler({
      req,
      params: match.params,
      tenant: token.tenant,
      clientId: token.clientId,
      res,
      state: deps.state,
      orderProcessingDelayMs: deps.orderProcessingDelayMs,
    }),
  );
}

function header(req: SandboxRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
