/**
 * A request path as a route template, so that spans and metric labels do not carry customer or order ids:
 * every segment with a digit in it, or that is long, becomes `{id}` (`/orders/100234` → `/orders/{id}`).
 * A heuristic: the clients send encoded paths, not their routes.
 */
export function routeTemplate(path: string): string {
  const bare = path.split('?')[0] ?? '';
  if (bare === '' || bare === '/') return '/';
  return bare
    .split('/')
    .map((segment) => (segment === '' ? segment : /\d/.test(segment) || segment.length > 32 || segment.includes('%') ? '{id}' : segment))
    .join('/');
}
