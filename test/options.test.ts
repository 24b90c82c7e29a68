import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { readEnvironment } from '../src/config/environment.js';
import { FALSE_WORDS, TRUE_WORDS } from '../src/config/option-values.js';
import { optionEntries } from '../src/config/options.js';
import { CLI, cleanEnv, runCli } from './support/cli.js';
import { variablesRead } from './support/env-reads.js';

/** A configuration error: exit 2, nothing on stdout, exactly one line on stderr (no help text, no stack). */
async function refused(args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await runCli(args, cleanEnv(env));
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n').filter(Boolean);
  expect(lines, result.stderr).toHaveLength(1);
  return lines[0]!;
}

/** The tools a stdio server started with this environment lists (through the SDK's stdio client). */
async function listedTools(env: Record<string, string>): Promise<{ names: string[]; readOnly: boolean[]; stderr: string }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI], env: cleanEnv(env), stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d) => (stderr += d));
  const client = new Client({ name: 'options-test', version: '1.0.0' });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    return { names: tools.map((t) => t.name), readOnly: tools.map((t) => t.annotations?.readOnlyHint === true), stderr };
  } finally {
    await client.close();
  }
}

describe('command-line errors: one line, exit 2', { timeout: 60_000 }, () => {
  it('an unknown option names the nearest known one and points at --help', async () => {
    expect(await refused(['--toolset', 'augur'])).toBe('customer-api-mcp: unknown option --toolset (did you mean --toolsets?); see customer-api-mcp --help');
    expect(await refused(['--max-concurency', '4', '--http'])).toContain('unknown option --max-concurency (did you mean --max-concurrency?)');
    expect(await refused(['--frobnicate'])).toBe('customer-api-mcp: unknown option --frobnicate; see customer-api-mcp --help');
  });

  it('an option that does not apply to the chosen mode names the option and the mode', async () => {
    expect(await refused(['--port', '3000'])).toBe(
      'customer-api-mcp: --port needs --http or the sandbox command (it does not apply to stdio mode); see customer-api-mcp --help',
    );
    expect(await refused(['sandbox', '--toolsets', 'augur'])).toBe(
      'customer-api-mcp: --toolsets does not apply to the sandbox command (only to stdio mode and --http); see customer-api-mcp --help',
    );
    expect(await refused(['sandbox', '--http'])).toBe('customer-api-mcp: --http does not apply to the sandbox command; see customer-api-mcp --help');
    expect(await refused(['new-key', '--read-only'])).toContain('--read-only does not apply to the new-key command');
  });

  it('a value out of range, a missing value and a value given to a boolean flag are named', async () => {
    expect(await refused(['--http', '--port', '-1'])).toBe('customer-api-mcp: --port must be an integer from 0 to 65535, got "-1"');
    expect(await refused(['sandbox', '--port', '70000'])).toBe('customer-api-mcp: --port must be an integer from 0 to 65535, got "70000"');
    expect(await refused(['--http', '--tenants'])).toContain('--tenants needs a value (--tenants FILE)');
    expect(await refused(['--read-only=no'])).toContain('--read-only takes no value');
    expect(await refused(['serve'])).toContain('unknown command "serve"');
  });

  it('sandbox --host on an address this machine does not have: one line naming it, no stack trace', async () => {
    expect(await refused(['sandbox', '--host', '10.255.255.1'])).toBe('customer-api-mcp: cannot listen on 10.255.255.1:0: EADDRNOTAVAIL');
  });
});

describe('the rules for booleans and empty variables (README, Configuration)', { timeout: 60_000 }, () => {
  it('MCP_READ_ONLY=on offers no write tool', async () => {
    const all = await listedTools({ LOG_LEVEL: 'silent' });
    const readOnly = await listedTools({ LOG_LEVEL: 'silent', MCP_READ_ONLY: 'on' });
    expect(all.names).toContain('create_order');
    expect(readOnly.names).not.toContain('create_order');
    expect(readOnly.readOnly.every(Boolean)).toBe(true);
    expect(readOnly.names.length).toBeGreaterThan(5);
    expect(readOnly.names.length).toBeLessThan(all.names.length);
  });

  it('MCP_READ_ONLY=maybe exits 2 listing exactly the accepted words', async () => {
    const line = await refused([], { MCP_READ_ONLY: 'maybe' });
    expect(line).toBe(`customer-api-mcp: MCP_READ_ONLY must be one of ${TRUE_WORDS.join(', ')} (true) or ${FALSE_WORDS.join(', ')} (false), got "maybe"`);
    expect([...TRUE_WORDS, ...FALSE_WORDS]).toEqual(['1', 'true', 'yes', 'on', '0', 'false', 'no', 'off']);
    // Case does not matter, for every boolean variable.
    const stateless = await runCli(['--list-tools'], cleanEnv({ MCP_ENABLE_ADMIN: 'YES' }));
    expect(stateless.stdout).toContain('refresh_customer_data');
  });

  it('LOG_LEVEL= starts with the default level (info); MCP_TOOLSETS= and MCP_TOOLSETS=" " mean all toolsets', async () => {
    const started = await listedTools({ LOG_LEVEL: '' });
    expect(started.names).toContain('create_order');
    expect(started.stderr).toMatch(/"level":30,.*customer-api-mcp ready on stdio/); // info is logged
    expect(started.stderr).not.toContain('"level":20'); // debug is not
    const all = await runCli(['--list-tools']);
    for (const value of ['', ' ']) {
      const listed = await runCli(['--list-tools'], cleanEnv({ MCP_TOOLSETS: value, HTTP_TIMEOUT_MS: value }));
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout, JSON.stringify(value)).toBe(all.stdout);
    }
  });
});

describe('the option table', () => {
  it('is read once: each of its variables is read exactly once, and no other variable', () => {
    const { counts } = variablesRead();
    const variables = optionEntries().flatMap(([, spec]) => (spec.env ? [spec.env] : []));
    expect([...counts.keys()].sort()).toEqual([...variables].sort());
    for (const name of variables) expect(counts.get(name), name).toBe(1);
    expect(readEnvironment({ LOG_LEVEL: ' ', MCP_TOOLS: 'get_order' })).toEqual(new Map([['MCP_TOOLS', 'get_order']]));
  });

  it('names each flag and variable once', () => {
    const flags = optionEntries().flatMap(([, spec]) => (spec.flag ? [spec.flag] : []));
    const variables = optionEntries().flatMap(([, spec]) => (spec.env ? [spec.env] : []));
    expect(new Set(flags).size).toBe(flags.length);
    expect(new Set(variables).size).toBe(variables.length);
  });
});
