import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS } from '../src/sandbox/index.js';
import { cleanEnv, runCli } from './support/cli.js';
import { SECRET_VARIABLES, variablesRead } from './support/env-reads.js';
import { claudeMcpAddServers, clientSnippets, jsonServers, type ServerEntry } from './support/readme-clients.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string };
const snippets = clientSnippets();
const jsonClients = ['Claude Desktop', 'Cursor'].map((client) => {
  const block = snippets.find((b) => b.client === client && b.lang === 'json');
  if (!block) throw new Error(`README has no ${client} JSON block under "Connecting a client"`);
  return { client, servers: jsonServers(block.body) };
});
const claudeCode = claudeMcpAddServers(snippets.filter((b) => b.client === 'Claude Code' && b.lang === 'sh').map((b) => b.body).join('\n'));
const allEntries: [string, ServerEntry][] = [
  ...jsonClients.flatMap(({ client, servers }) => Object.entries(servers).map(([name, s]) => [`${client} ${name}`, s] as [string, ServerEntry])),
  ...Object.entries(claudeCode).map(([name, s]) => [`Claude Code ${name}`, s] as [string, ServerEntry]),
];

/** The README's client snippets are copied verbatim by users: each must start this server, as configured. */
describe('README client configurations', () => {
  it('has a live and a sandbox entry for Claude Desktop, Claude Code and Cursor', () => {
    for (const servers of [...jsonClients.map((c) => c.servers), claudeCode]) {
      const entries = Object.values(servers);
      expect(entries.some((s) => Object.keys(s.env).length > 0)).toBe(true);
      expect(entries.some((s) => Object.keys(s.env).length === 0 && s.args.includes('--sandbox'))).toBe(true);
    }
    expect(allEntries.length).toBeGreaterThanOrEqual(6);
  });

  it('starts the package with `npx -y customer-api-mcp`', () => {
    for (const [label, s] of allEntries) {
      expect(s.command, label).toBe('npx');
      expect(s.args.slice(0, 2), label).toEqual(['-y', pkg.name]);
    }
  });

  it('names only variables the stdio server reads, with placeholders for the secrets', () => {
    const { stdio } = variablesRead();
    const demoSecrets = [
      ...Object.values(SANDBOX_PARTSSOURCE_CREDENTIALS).flatMap((c) => [c.clientSecret, c.apiKey]),
      ...Object.values(SANDBOX_AUGUR_SITES).map((s) => s.token),
    ];
    for (const [label, s] of allEntries) {
      for (const [name, value] of Object.entries(s.env)) {
        expect(stdio, `${label}: ${name}`).toContain(name);
        if (SECRET_VARIABLES.includes(name)) expect(value, `${label}: ${name}`).toMatch(/^your-[a-z-]+$/);
        expect(demoSecrets).not.toContain(value);
      }
    }
  });

  it('Claude Code lines parse into the same servers as the Claude Desktop configuration', () => {
    const desktop = jsonClients.find((c) => c.client === 'Claude Desktop')!.servers;
    expect(Object.keys(claudeCode).sort()).toEqual(Object.keys(desktop).sort());
    for (const [name, entry] of Object.entries(claudeCode)) expect(entry, name).toEqual(desktop[name]);
  });

  it('every entry is a configuration the server accepts, offering the tools it should', async () => {
    for (const [label, s] of allEntries) {
      // The built CLI with the entry's arguments (after `-y customer-api-mcp`) and environment, asked what it offers.
      const result = await runCli([...s.args.slice(2), '--list-tools'], cleanEnv(s.env));
      expect(result.code, `${label}: ${result.stderr}`).toBe(0);
      const rows = [...result.stdout.matchAll(/^(\w+)\s+([\w.]+)\s+(read|write|destructive|admin)$/gm)].map(([, tool, toolset, kind]) => ({ tool, toolset: toolset!, kind }));
      expect(rows.length, label).toBeGreaterThan(1);
      if (s.args.includes('--read-only')) expect(rows.filter((r) => r.kind !== 'read'), label).toEqual([]);
      const upstreams = new Set(rows.map((r) => r.toolset.split('.')[0]).filter((u) => u !== 'health'));
      const configured = ['partssource', 'augur'].filter((u) => Object.keys(s.env).some((n) => n.startsWith(`${u.toUpperCase()}_`)));
      // Both upstreams in sandbox mode, otherwise exactly the configured ones.
      expect([...upstreams].sort(), label).toEqual(configured.length > 0 ? configured.sort() : ['augur', 'partssource']);
      const toolsets = s.env.MCP_TOOLSETS?.split(',');
      if (toolsets) for (const r of rows) expect([...toolsets, 'health'], `${label}: ${r.tool}`).toContain(r.toolset);
    }
  });
});
