import { ConfigError } from './config-error.js';
import type { OptionSpec } from './options.js';

/** The one rule for booleans, flags and variables alike (case-insensitive). */
export const TRUE_WORDS = ['1', 'true', 'yes', 'on'] as const;
export const FALSE_WORDS = ['0', 'false', 'no', 'off'] as const;

/** `a, b or c` */
export const listWords = (items: readonly string[], conjunction = 'or'): string =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;

/**
 * Parses one value given for an option. `label` is where it came from (`--port` or `MCP_HTTP_PORT`); errors name
 * it and, unless the option is a secret, the value.
 */
export function parseOptionValue(spec: OptionSpec, raw: string, label: string): unknown {
  const fail = (expected: string): never => {
    throw new ConfigError(`${label} must be ${expected}${spec.secret ? '' : `, got ${JSON.stringify(raw)}`}`);
  };
  const text = spec.secret ? raw : raw.trim();
  switch (spec.type) {
    case 'boolean': {
      const word = text.toLowerCase();
      if ((TRUE_WORDS as readonly string[]).includes(word)) return true;
      if ((FALSE_WORDS as readonly string[]).includes(word)) return false;
      return fail(`one of ${TRUE_WORDS.join(', ')} (true) or ${FALSE_WORDS.join(', ')} (false)`);
    }
    case 'integer': {
      const value = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
      if ((spec.zero && value === 0) || (value >= spec.min && value <= spec.max)) return value;
      return fail(`${spec.zero ? `0 (${spec.zero}) or ` : ''}an integer from ${spec.min} to ${spec.max}`);
    }
    case 'list':
      return text.split(',').map((item) => item.trim()).filter(Boolean);
    case 'enum': {
      const word = text.toLowerCase();
      return spec.choices.includes(word) ? word : fail(listWords(spec.choices));
    }
    case 'url': {
      const schemes = spec.protocols.map((p) => `${p}//`);
      if (!spec.protocols.includes(protocolOf(text) ?? '')) fail(`${schemes[0]!.startsWith('http') ? 'an' : 'a'} ${listWords(schemes)} URL`);
      return text;
    }
    case 'text':
      if ((spec.minLength !== undefined && text.length < spec.minLength) || (spec.noSpaces && /\s/.test(text))) {
        fail(`at least ${spec.minLength} characters${spec.noSpaces ? ' without spaces' : ''}`);
      }
      return text;
  }
}

function protocolOf(text: string): string | undefined {
  try {
    return new URL(text).protocol;
  } catch {
    return undefined;
  }
}

/** The accepted values, for --help and the README: `1024 to 1048576`, `auto, always or never`. */
export function describeRange(spec: OptionSpec): string | undefined {
  if (spec.type === 'integer') return `${spec.zero ? `0 (${spec.zero}) or ` : ''}${spec.min} to ${spec.max}`;
  if (spec.type === 'enum') return listWords(spec.choices);
  if (spec.type === 'url') return spec.protocols.map((p) => `${p}//`).join(' or ');
  if (spec.type === 'text' && spec.minLength) return `at least ${spec.minLength} characters${spec.noSpaces ? ', no spaces' : ''}`;
  if (spec.type === 'boolean' && spec.env) return `${TRUE_WORDS.join('/')} or ${FALSE_WORDS.join('/')}`;
  return undefined;
}
