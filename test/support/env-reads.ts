import { readEnvironment } from '../../src/config/environment.js';
import { OPTIONS } from '../../src/config/options.js';

/**
 * The environment variables the configuration really reads, recorded by running the one reader over a Proxy
 * (not by grepping the source), split by the modes the option table gives them: what a stdio server reads and
 * what HTTP mode reads.
 */
export function variablesRead(): { stdio: Set<string>; http: Set<string>; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const env = new Proxy({} as Record<string, string>, {
    get(target, key) {
      if (typeof key === 'string') counts.set(key, (counts.get(key) ?? 0) + 1);
      return Reflect.get(target, key);
    },
  });
  readEnvironment(env);
  const readIn = (mode: 'stdio' | 'http') =>
    new Set(Object.values(OPTIONS).flatMap((spec) => ('env' in spec && counts.has(spec.env) && (spec.modes as readonly string[]).includes(mode) ? [spec.env] : [])));
  return { stdio: readIn('stdio'), http: readIn('http'), counts };
}

/** Variables whose values are secrets, written by hand: a client or registry must store and show them as such. */
export const SECRET_VARIABLES = ['PARTSSOURCE_CLIENT_SECRET', 'PARTSSOURCE_API_KEY', 'AUGUR_TOKEN', 'MCP_HTTP_API_KEY', 'REDIS_URL', 'STATE_ENCRYPTION_KEY'];
