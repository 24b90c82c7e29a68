import { readFileSync } from 'node:fs';

/** How a client starts the server: what the README's client snippets boil down to. */
export interface ServerEntry {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface SnippetBlock {
  /** The bold label before the block, e.g. `Claude Desktop`. */
  client: string;
  lang: string;
  body: string;
}

/** The placeholder the README's client snippets use for the absolute path of the clone's dist/cli.js. */
export const README_CLI_PATH = '/absolute/path/to/customer-api-mcp/dist/cli.js';

const readme = () => readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The fenced blocks of the README's "Connecting a client" section, each with the client it is for. */
export function clientSnippets(text: string = readme()): SnippetBlock[] {
  const start = text.indexOf('\n## Connecting a client\n');
  if (start < 0) throw new Error('README has no "## Connecting a client" section');
  const next = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, next < 0 ? undefined : next);
  const blocks: SnippetBlock[] = [];
  let client = '';
  const lines = section.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const label = /^\*\*([^*]+)\*\*/.exec(lines[i]!);
    if (label) client = label[1]!;
    const fence = /^```(\w+)$/.exec(lines[i]!);
    if (!fence) continue;
    const end = lines.indexOf('```', i + 1);
    blocks.push({ client, lang: fence[1]!, body: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** The `mcpServers` entries of a JSON client configuration (Claude Desktop, Cursor). */
export function jsonServers(body: string): Record<string, ServerEntry> {
  const parsed = JSON.parse(body) as { mcpServers: Record<string, { command: string; args?: string[]; env?: Record<string, string> }> };
  return Object.fromEntries(
    Object.entries(parsed.mcpServers).map(([name, s]) => [name, { command: s.command, args: s.args ?? [], env: s.env ?? {} }]),
  );
}

/** Shell words of one command line: whitespace-separated, with '…' and "…" quoting. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/**
 * The `claude mcp add NAME [--env K=V]... [--scope S] [--transport stdio] -- COMMAND ARGS...` lines of a shell
 * block (backslash continuations joined, comments skipped), as the server entries Claude Code stores.
 */
export function claudeMcpAddServers(body: string): Record<string, ServerEntry> {
  const servers: Record<string, ServerEntry> = {};
  const commands = body
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('claude mcp add '));
  for (const line of commands) {
    const words = shellWords(line).slice(3);
    const dashes = words.indexOf('--');
    if (dashes < 0) throw new Error(`no -- before the command in: ${line}`);
    const options = words.slice(0, dashes);
    const [command, ...args] = words.slice(dashes + 1);
    const env: Record<string, string> = {};
    let name: string | undefined;
    for (let i = 0; i < options.length; i++) {
      const word = options[i]!;
      if (word === '--env' || word === '-e') {
        const [key, ...value] = options[++i]!.split('=');
        env[key!] = value.join('=');
      } else if (['--scope', '-s', '--transport', '-t'].includes(word)) {
        i++;
      } else if (word.startsWith('-')) {
        throw new Error(`unknown claude mcp add option ${word} in: ${line}`);
      } else if (name === undefined) {
        name = word;
      } else {
        throw new Error(`two server names in: ${line}`);
      }
    }
    if (!name || !command) throw new Error(`cannot parse: ${line}`);
    servers[name] = { command, args, env };
  }
  return servers;
}
