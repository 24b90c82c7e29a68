import { ApiError, badRequest } from './envelope.js';
import type { RouteDef } from './route-definition.js';

/**
 * Matches a raw request path against the route table. The service never decodes path segments (reference §3.5),
 * so `%31` is not `1`: segments are compared and validated exactly as received.
 */
export interface RouteMatch {
  route: RouteDef;
  /** Raw placeholder values, still strings. */
  raw: Record<string, string>;
}

interface Compiled {
  route: RouteDef;
  segments: string[];
  statics: number;
}

export function createRouter(routes: readonly RouteDef[]) {
  // More literal segments first, so `/customer/lookup` wins over any `{placeholder}` at the same depth.
  const compiled: Compiled[] = routes
    .map((route) => {
      const segments = route.path.split('/').slice(1);
      return { route, segments, statics: segments.filter((s) => !s.startsWith('{')).length };
    })
    .sort((a, b) => b.statics - a.statics);

  return {
    match(method: string, path: string): RouteMatch | undefined {
      const parts = path.split('/').slice(1);
      for (const entry of compiled) {
        if (entry.route.method !== method || entry.segments.length !== parts.length) continue;
        const raw: Record<string, string> = {};
        const ok = entry.segments.every((segment, index) => {
          const part = parts[index] ?? '';
          if (segment.startsWith('{')) {
            raw[segment.slice(1, -1)] = part;
            return part !== '';
          }
          return segment === part;
        });
        if (ok) return { route: entry.route, raw };
      }
      return undefined;
    },
  };
}

/**
 * Every customers placeholder is numeric (PathValidator: names ending in id/uid/no/num/number). Non-integers are
 * a 400; `customerId` below 1 is a 400 everywhere (reference §5 #13-14).
 */
export function validatePathParams(raw: Record<string, string>): Record<string, number> {
  const params: Record<string, number> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!/^-?\d+$/.test(value)) throw badRequest(name, `${name}: expected an integer`);
    params[name] = Number(value);
  }
  const customerId = params.customerId;
  if (customerId !== undefined && customerId < 1) {
    throw new ApiError(400, 'customerId is below 1', { customerId: 'customerId is below 1' });
  }
  return params;
}
