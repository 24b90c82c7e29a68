import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { CLI, cleanEnv, runCli } from './support/cli.js';
import { SECRET_VARIABLES, variablesRead } from './support/env-reads.js';
import { expectCorrelationId, type Structured } from './support/harness.js';
import { README_CLI_PATH, claudeMcpAddServers, clientSnippets, jsonServers, type ServerEntry } from './support/readme-clients.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
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

  it('starts the clone\'s build with `node /absolute/path/to/customer-api-mcp/dist/cli.js`, never the unpublished `npx customer-api-mcp`', () => {
    for (const [label, s] of allEntries) {
      expect(s.command, label).toBe('node');
      expect(s.args[0], label).toBe(README_CLI_PATH);
    }
    expect(clientSnippets().map((b) => b.body).join('\n')).not.toMatch(/npx\b[^\n]*customer-api-mcp/);
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
      // The built CLI with the entry's arguments (after the path of dist/cli.js) and environment, asked what it offers.
      const result = await runCli([...s.args.slice(1), '--list-tools'], cleanEnv(s.env));
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

  describe('each entry, started as written (the real dist/cli.js in place of the placeholder path) through the SDK stdio client', () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox();
    });
    afterAll(() => sandbox.close());

    /** Connects the SDK's stdio client to the entry as a client would start it, with `extraEnv` added. */
    async function connect(entry: ServerEntry, extraEnv: Record<string, string> = {}) {
      const args = entry.args.map((arg) => (arg === README_CLI_PATH ? CLI : arg));
      const transport = new StdioClientTransport({ command: process.execPath, args, env: cleanEnv({ ...entry.env, ...extraEnv }), stderr: 'pipe' });
      transport.stderr?.on('data', () => {});
      const client = new Client({ name: 'readme-client-config', version: '1.0.0' });
      await client.connect(transport);
      return client;
    }

    it('the sandbox entries answer a tool call', { timeout: 60_000 }, async () => {
      const sandboxEntries = allEntries.filter(([, s]) => Object.keys(s.env).length === 0);
      expect(sandboxEntries.length).toBeGreaterThanOrEqual(3);
      for (const [label, entry] of sandboxEntries) {
        const client = await connect(entry);
        try {
          expect(client.getServerVersion(), label).toMatchObject({ name: pkg.name, version: pkg.version });
          const result = (await client.callTool({ name: 'lookup_user', arguments: { userId: 12345 } })) as CallToolResult;
          expect(result.isError, `${label}: ${JSON.stringify(result.structuredContent)}`).toBeFalsy();
          expect((result.structuredContent as Structured).user.userName, label).toBe('jdoe');
          expectCorrelationId(result);
        } finally {
          await client.close();
        }
      }
    });

    it("the entries with placeholder credentials send them upstream (here a local sandbox) and get 'unauthorized'", { timeout: 60_000 }, async () => {
      // Only the base URLs are added: the credentials are the snippet's own placeholders.
      const upstream = {
        PARTSSOURCE_BASE_URL: sandbox.partssource.baseUrl,
        PARTSSOURCE_TOKEN_URL: sandbox.partssource.tokenUrl,
        AUGUR_BASE_URL: sandbox.augur.baseUrl,
      };
      const liveEntries = allEntries.filter(([, s]) => Object.keys(s.env).length > 0);
      expect(liveEntries.length).toBeGreaterThanOrEqual(3);
      for (const [label, entry] of liveEntries) {
        sandbox.clearRequests();
        const client = await connect(entry, upstream);
        try {
          const partssource = 'PARTSSOURCE_CLIENT_ID' in entry.env;
          const call = partssource ? { name: 'lookup_user', arguments: { userId: 12345 } } : { name: 'get_customer', arguments: { customerId: 10002 } };
          const result = (await client.callTool(call)) as CallToolResult;
          expect(result.isError, label).toBe(true);
          expect((result.structuredContent as Structured).error.code, label).toBe('unauthorized');
          expectCorrelationId(result);
          const sent = sandbox.requests.filter((r) => r.api === (partssource ? 'partssource' : 'augur'));
          expect(sent.length, label).toBeGreaterThan(0);
          if (partssource) expect((sent[0]!.body as Record<string, string>).client_id, label).toBe(entry.env.PARTSSOURCE_CLIENT_ID);
          else expect(sent[0]!.headers['x-site-id'], label).toBe(entry.env.AUGUR_SITE_ID);
        } finally {
          await client.close();
        }
      }
    });
  });
});
