import { CREDENTIAL_VARIABLES, loadConfig, loadHttpConfig, loadToolOptions } from '../../src/config.js';

/**
 * The environment variables the configuration code really reads, recorded by running it over a Proxy (not by
 * grepping the source): what a stdio server reads (upstreams, endpoints, timeouts, logging, tool options) and what
 * HTTP mode reads on top. Every credential is set, so the live path, which reads the most, is taken.
 */
export function variablesRead(): { stdio: Set<string>; http: Set<string> } {
  const record = (load: (env: NodeJS.ProcessEnv) => unknown) => {
    const read = new Set<string>();
    const values: Record<string, string> = {};
    for (const name of Object.values(CREDENTIAL_VARIABLES).flat()) values[name] = `value-of-${name}`;
    const env = new Proxy(values, {
      get(target, key) {
        if (typeof key === 'string') read.add(key);
        return Reflect.get(target, key);
      },
      has(target, key) {
        if (typeof key === 'string') read.add(key);
        return Reflect.has(target, key);
      },
    });
    load(env);
    return read;
  };
  const stdio = new Set([...record((env) => loadConfig(env)), ...record((env) => loadToolOptions(env))]);
  const http = new Set([...stdio, ...record((env) => loadHttpConfig(env))]);
  return { stdio, http };
}

/** Variables whose values are secrets: a client or registry must store and show them as such. */
export const SECRET_VARIABLES = ['PARTSSOURCE_CLIENT_SECRET', 'PARTSSOURCE_API_KEY', 'AUGUR_TOKEN', 'MCP_HTTP_API_KEY'];
