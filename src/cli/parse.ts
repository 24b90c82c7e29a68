import { parseArgs } from 'node:util';
import { ConfigError } from '../config/config-error.js';
import { listWords } from '../config/option-values.js';
import { MODE_LABELS, OPTIONS, optionEntries, type Mode, type OptionKey, type OptionSpec } from '../config/options.js';
import type { FlagValues } from '../config/resolve.js';

/** What the command line asks for. */
export interface CommandLine {
  mode: Mode;
  flags: FlagValues;
}

const COMMANDS: Record<string, Mode> = { sandbox: 'sandbox', 'new-key': 'new-key' };
const BY_FLAG = new Map(optionEntries().flatMap(([key, spec]) => (spec.flag ? [[spec.flag, { key, spec }] as const] : [])));
const BY_SHORT = new Map(optionEntries().flatMap(([key, spec]) => (spec.short ? [[spec.short, { key, spec }] as const] : [])));

/** A mistake on the command line: one line, and where to look. */
const usageError = (message: string) => new ConfigError(`${message}; see customer-api-mcp --help`);

/**
 * Parses the arguments against the option table. Refused (ConfigError, exit 2): an unknown option (with the
 * nearest known one), an option without its value, a value given to a boolean flag, an unknown command, and an
 * option that does not apply to the chosen mode.
 */
export function parseCommandLine(argv: string[]): CommandLine {
  const { tokens } = parseArgs({ args: argv, options: PARSER_OPTIONS, allowPositionals: true, strict: false, tokens: true });
  const flags: FlagValues = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const known = (token.rawName.startsWith('--') ? BY_FLAG : BY_SHORT).get(token.name);
    if (!known) throw usageError(`unknown option ${token.rawName}${suggestion(token.name)}`);
    flags[known.key] = optionValue(known.spec, token.rawName, token.value);
  }
  const mode = modeOf(positionals, flags);
  for (const key of Object.keys(flags) as OptionKey[]) {
    const spec: OptionSpec = OPTIONS[key];
    if (!spec.modes.includes(mode)) throw usageError(notApplicable(`--${spec.flag}`, spec, mode));
  }
  return { mode, flags };
}

const PARSER_OPTIONS = Object.fromEntries(
  optionEntries().flatMap(([, spec]) =>
    spec.flag ? [[spec.flag, { type: spec.type === 'boolean' ? 'boolean' : 'string', ...(spec.short ? { short: spec.short } : {}) }]] : [],
  ),
) as Record<string, { type: 'boolean' | 'string'; short?: string }>;

function optionValue(spec: OptionSpec, rawName: string, value: string | undefined): string | boolean {
  if (spec.type === 'boolean') {
    if (value !== undefined) throw usageError(`${rawName} takes no value (got ${JSON.stringify(value)})`);
    return true;
  }
  // A value that is another option (`--tenants --http`) means the value was forgotten; `--port -1` is a value.
  if (value === undefined || value.trim() === '' || value.startsWith('--')) throw usageError(`${rawName} needs a value (${rawName} ${spec.valueName ?? 'VALUE'})`);
  return value;
}

function modeOf(positionals: string[], flags: FlagValues): Mode {
  const [command, extra] = positionals;
  if (command !== undefined && !(command in COMMANDS)) throw usageError(`unknown command ${JSON.stringify(command)} (commands: sandbox, new-key)`);
  if (extra !== undefined) throw usageError(`unexpected argument ${JSON.stringify(extra)}`);
  if (command !== undefined) return COMMANDS[command]!;
  return flags.http ? 'http' : 'stdio';
}

/** `--port needs --http or the sandbox command; it does not apply to stdio mode` */
function notApplicable(flag: string, spec: OptionSpec, mode: Mode): string {
  const where = spec.modes.map((m) => MODE_LABELS[m]).filter((label) => label !== flag);
  if (mode === 'stdio' && where.length > 0 && spec.modes.includes('http')) return `${flag} needs ${listWords(where)} (it does not apply to stdio mode)`;
  const only = where.length > 0 ? ` (only to ${listWords(where, 'and')})` : '';
  return `${flag} does not apply to ${MODE_LABELS[mode]}${only}`;
}

/** ` (did you mean --toolsets?)` for a name one or two edits from a known flag, or a prefix of one. */
function suggestion(name: string): string {
  let best: { flag: string; distance: number } | undefined;
  for (const flag of BY_FLAG.keys()) {
    const distance = flag.startsWith(name) && name.length >= 3 ? 1 : editDistance(name, flag);
    if (distance <= 2 && (!best || distance < best.distance)) best = { flag, distance };
  }
  return best ? ` (did you mean --${best.flag}?)` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
