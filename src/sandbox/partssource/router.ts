import type { RouteDefinition } from './route-definition.js';
import { ROUTES } from './routes.js';

const COMPILED = ROUTES.map((route) => ({
  route,
  names: [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
  // Routing is case-insensitive, as ASP.NET Core routes are.
  regex: new RegExp(`^${route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '([^/]+)')}$`, 'i'),
}));

export type RouteMatch =
  | { kind: 'route'; route: RouteDefinition; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'none' };

/** First matching row wins, so static paths (/orders/search) are listed before parameterised ones. */
export function matchRoute(method: string, path: string): RouteMatch {
  const byPath = COMPILED.map((c) => ({ c, m: c.regex.exec(path) })).filter((x) => x.m);
  if (byPath.length === 0) return { kind: 'none' };
  const hit = byPath.find((x) => x.c.route.method === method.toUpperCase());
  if (!hit) return { kind: 'method-not-allowed', allow: [...new Set(byPath.map((x) => x.c.route.method))] };
  const params = Object.fromEntries(hit.c.names.map((name, i) => [name, hit.m![i + 1]!]));
  return { kind: 'route', route: hit.c.route, params };
}
