import type { SandboxModule, SandboxRequest, SandboxResponse } from '../types.js';
import { authenticate, signToken, type AugurClaims } from './auth.js';
import { parseBody } from './body.js';
import type { SiteContext } from './context.js';
import { ApiError, errorResponse, okResponse } from './envelope.js';
import { buildFixtures, type AugurSiteFixtures } from './fixtures.js';
import type { SiteStore } from './model.js';
import { createRouter, validatePathParams } from './router.js';
import { ROUTES } from './routes.js';
import { seedSite } from './seed.js';
import { findSite } from './sites.js';

/**
 * Embedded simulator of the Augur customers service (contract: shared/api/augur-decisions.md and
 * augur-reference.md). Two sites with deterministic seed data; every answer is the 8-key envelope.
 */
export type { AugurSiteFixtures } from './fixtures.js';
export { ROUTES } from './routes.js';
export type { QueryParamSpec, RouteDef } from './route-definition.js';

export interface AugurSandboxOptions {
  /** ms clock for token expiry checks (and "today" defaults), default Date.now. */
  now?: () => number;
}

export interface AugurSandbox extends SandboxModule {
  /** Mint a token for a site (tests: other-site, expired via a negative lifetime). */
  issueToken(siteId: string, lifetimeSeconds?: number): string;
}

export { SANDBOX_AUGUR_SITES } from '../credentials.js';

let fixtures: { acme: AugurSiteFixtures; globex: AugurSiteFixtures } | undefined;
/** Seed ids the tests and the demo rely on; computed on first use (it seeds both sites). */
export const SANDBOX_AUGUR_FIXTURES: { readonly acme: AugurSiteFixtures; readonly globex: AugurSiteFixtures } = {
  get acme() {
    return (fixtures ??= buildFixtures()).acme;
  },
  get globex() {
    return (fixtures ??= buildFixtures()).globex;
  },
};

export function createAugurSandbox(options: AugurSandboxOptions = {}): AugurSandbox {
  const now = options.now ?? Date.now;
  // A site's data is seeded on its first request, not at start (seeding both is most of a `--sandbox` start's own
  // work); the seed is deterministic, so the data is the same whenever it is built.
  const stores = new Map<string, SiteStore>();
  const storeOf = (siteId: string): SiteStore | undefined => {
    const seeded = stores.get(siteId);
    if (seeded) return seeded;
    const def = findSite(siteId);
    if (!def) return undefined;
    const store = seedSite(def);
    stores.set(siteId, store);
    return store;
  };
  const router = createRouter(ROUTES);

  function dispatch(req: SandboxRequest): SandboxResponse {
    const method = req.method.toUpperCase();
    const params = Object.fromEntries(req.query);
    try {
      const match = router.match(method, req.path);
      if (!match) throw new ApiError(404, `No route for ${method} ${req.path}`);
      const { route } = match;
      const nowMs = now();
      if (route.auth === 'none') return okResponse(route.handler({ query: req.query, nowMs }), params);

      // Order of checks: site header (400), token (401), token/site binding and unknown site (403), path ids (400).
      const siteHeader = req.headers['x-site-id'];
      const siteId = (Array.isArray(siteHeader) ? siteHeader[0] : siteHeader)?.trim();
      if (!siteId) throw new ApiError(400, 'Missing x-site-id header', { 'x-site-id': 'x-site-id header is required' });
      let claims: AugurClaims | null = null;
      if (route.auth === 'bearer') claims = authenticate(req.headers, siteId, nowMs);
      const store = storeOf(siteId);
      if (!store) throw new ApiError(403, `Unknown site '${siteId}'`);
      const ctx: SiteContext = {
        query: req.query,
        nowMs,
        store,
        claims,
        params: validatePathParams(match.raw),
        body: route.method === 'GET' ? {} : parseBody(req.rawBody),
      };
      return okResponse(route.handler(ctx), params);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error, params);
      return errorResponse(new ApiError(500, `Augur sandbox error: ${(error as Error).message}`), params);
    }
  }

  return {
    async handle(req: SandboxRequest): Promise<SandboxResponse> {
      return dispatch(req);
    },
    issueToken(siteId: string, lifetimeSeconds = 3600): string {
      const def = findSite(siteId);
      const iat = Math.floor(now() / 1000);
      const claims: AugurClaims = {
        siteId,
        userId: def?.identity.userId ?? 9999,
        username: def?.identity.username ?? 'sandbox-user',
        name: def?.identity.name ?? 'Sandbox User',
        email: def?.identity.email ?? 'user@sandbox.example',
        tokenType: 'user',
        scope: 'customers',
        iat,
        exp: iat + lifetimeSeconds,
      };
      return signToken(claims);
    },
  };
}
