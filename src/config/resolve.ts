import type { Environment } from './environment.js';
import { parseOptionValue } from './option-values.js';
import { OPTIONS, type Mode, type OptionKey, type OptionSpec, type Settings } from './options.js';

/** Values from the command line as the parser gives them: `true` for a boolean flag, else the text. */
export type FlagValues = Partial<Record<OptionKey, string | boolean>>;

/** Each option's value: its flag when given, else its variable (where the mode reads it), else its default. */
export function resolveSettings<K extends OptionKey>(keys: readonly K[], mode: Mode, flags: FlagValues, env: Environment): Settings<K> {
  const settings = {} as Record<K, unknown>;
  for (const key of keys) settings[key] = resolveOne(OPTIONS[key], mode, flags[key], env);
  return settings as Settings<K>;
}

function resolveOne(spec: OptionSpec, mode: Mode, flag: string | boolean | undefined, env: Environment): unknown {
  const variable = spec.env !== undefined && spec.perMode?.[mode]?.env !== false ? spec.env : undefined;
  if (flag === true) return true;
  if (typeof flag === 'string') return parseOptionValue(spec, flag, `--${spec.flag}`);
  const fromEnv = variable === undefined ? undefined : env.get(variable);
  if (fromEnv !== undefined) return parseOptionValue(spec, fromEnv, variable!);
  return spec.perMode?.[mode]?.default ?? ('default' in spec ? spec.default : undefined);
}

