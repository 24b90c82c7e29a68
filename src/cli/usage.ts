import { describeRange, listWords } from '../config/option-values.js';
import { MODE_LABELS, optionEntries, type OptionSpec } from '../config/options.js';
import { VERSION } from '../version.js';

const COLUMN = 30;
const WIDTH = 116;

/** `--help`, generated from the option table: the commands, then every option grouped by the modes it applies to. */
export function usage(): string {
  const groups = new Map<string, OptionSpec[]>();
  for (const [, spec] of optionEntries()) {
    const title = `Applies to ${listWords(spec.modes.map((mode) => MODE_LABELS[mode]), 'and')}:`;
    groups.set(title, [...(groups.get(title) ?? []), spec]);
  }
  const sections = [...groups].map(([title, specs]) => [title, ...specs.flatMap(describeOption)].join('\n'));
  return `customer-api-mcp ${VERSION}
MCP server for the PartsSource Customer API and the Augur customers service.

Usage:
  customer-api-mcp [options]               serve MCP over stdio (the embedded sandbox when no credential is set)
  customer-api-mcp --http [options]        serve MCP over Streamable HTTP at /mcp (+ /healthz, /readyz)
  customer-api-mcp sandbox [--port N] [--host H] [--faults FILE]
                                           run the embedded sandbox alone (prints URLs, demo credentials)
  customer-api-mcp new-key                 print a new random API key and its SHA-256 for the tenants file
  customer-api-mcp --help | --version

Each option is a flag, an environment variable, or both (the flag wins). An empty variable counts as unset.
Booleans: 1, true, yes, on / 0, false, no, off.

${sections.join('\n\n')}

See README.md for the full table.
`;
}

/** One option: its flag or variable, the help line, then its variable, default and range in brackets. */
function describeOption(spec: OptionSpec): string[] {
  const name = spec.flag ? `--${spec.flag}${spec.short ? `, -${spec.short}` : ''}${spec.valueName ? ` ${spec.valueName}` : ''}` : spec.env!;
  const facts = [
    ...(spec.flag && spec.env ? [`${spec.env}${spec.perMode?.sandbox?.env === false ? ' (not read by the sandbox command)' : ''}`] : []),
    ...(defaultText(spec) ? [`default ${defaultText(spec)}`] : []),
    ...(describeRange(spec) && spec.type !== 'boolean' ? [describeRange(spec)!] : []),
    ...(spec.secret ? ['secret'] : []),
  ];
  const text = `${spec.help}${facts.length > 0 ? ` [${facts.join('; ')}]` : ''}`;
  const lines = wrap(text, WIDTH - COLUMN);
  const first = `  ${name}`.padEnd(COLUMN - 1);
  return [
    first.length >= COLUMN ? `${first}\n${' '.repeat(COLUMN)}${lines[0]}` : `${first} ${lines[0]}`,
    ...lines.slice(1).map((line) => `${' '.repeat(COLUMN)}${line}`),
  ];
}

/** The default as shown to people; none for booleans (off) and options without one. */
export function defaultText(spec: OptionSpec): string | undefined {
  if (spec.type === 'boolean' || !('default' in spec) || spec.default === undefined) return undefined;
  const sandbox = spec.perMode?.sandbox?.default;
  return sandbox === undefined ? String(spec.default) : `${spec.default} (sandbox command: ${sandbox})`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}
