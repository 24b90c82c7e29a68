import { optionEntries } from './options.js';

/** The variables of the option table that are set. Empty or blank counts as unset, for every variable. */
export type Environment = ReadonlyMap<string, string>;

/** Reads every variable of the option table, once; nothing else reads process.env for configuration. */
export function readEnvironment(env: NodeJS.ProcessEnv): Environment {
  const set = new Map<string, string>();
  for (const [, spec] of optionEntries()) {
    if (spec.env === undefined) continue;
    const value = env[spec.env];
    if (value !== undefined && value.trim() !== '') set.set(spec.env, value);
  }
  return set;
}
