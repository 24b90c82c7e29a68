import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpServerHandle } from '../src/http/server.js';
import { SANDBOX_API_KEYS, sandboxTenants } from '../src/http/tenants.js';
import { silentLogger } from '../src/logger.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { ALL_TOOLS } from '../src/tools/index.js';
import { applySelection, kindOf, offeredTools, toolsetNames, toolsetOf, unknownNames } from '../src/mcp/tool-selection.js';
import { CLI, cleanEnv, runCli } from './support/cli.js';
import { MCP_HEADERS, initializeBody, killAllChildren, rawRequest, spawnHttpCli } from './support/http.js';

const WRITE_TOOLS = ALL_TOOLS.filter((t) => !t.annotations.readOnlyHint).map((t) => t.name);
const PARTSSOURCE_TOOLS = ALL_TOOLS.filter((t) => t.upstream === 'partssource').map((t) => t.name);
const BOTH = { upstreams: { partssource: true, augur: true } };
/** A toolset's tools from the registry (not a hand-kept copy): adding a tool to it changes no test. */
const toolsOf = (toolset: string, keep: (tool: (typeof ALL_TOOLS)[number]) => boolean = () => true) =>
  ALL_TOOLS.filter((t) => toolsetOf(t) === toolset && keep(t)).map((t) => t.name);
/** What `--toolsets augur.tags --read-only` offers: the tag reads, and check_health. */
const READ_TAG_TOOLS = ['check_health', ...toolsOf('augur.tags', (t) => kindOf(t) === 'read')].sort();
const names = (selection: Parameters<typeof applySelection>[1], enableAdmin = false) =>
  offeredTools(ALL_TOOLS, { ...BOTH, enableAdmin, selections: [selection] }).map((t) => t.name);

describe('toolsets: one place decides which tools are offered', () => {
  it('names toolsets upstream.resource; the resource alone is unique; the brief\'s resources exist', () => {
    const sets = new Set(ALL_TOOLS.map(toolsetOf));
    for (const name of ['partssource.catalog', 'partssource.orders', 'partssource.users', 'augur.customers', 'augur.documents', 'augur.contacts', 'augur.addresses', 'augur.tags', 'health']) {
      expect(sets, name).toContain(name);
    }
    const byResource = new Map<string, Set<string>>();
    for (const set of sets) {
      const resource = set.split('.').at(-1)!;
      byResource.set(resource, new Set([...(byResource.get(resource) ?? []), set]));
    }
    for (const [resource, owners] of byResource) expect(owners.size, resource).toBe(1);
    expect(toolsetOf(ALL_TOOLS.find((t) => t.name === 'list_invoices')!)).toBe('augur.documents');
    expect(toolsetOf(ALL_TOOLS.find((t) => t.name === 'list_freight_codes')!)).toBe('augur.addresses');
    expect([...toolsetNames().keys()]).toEqual(expect.arrayContaining(['all', 'partssource', 'augur', 'catalog', 'augur.tags']));
  });

  it('--toolsets, --tools, --exclude-tools and --read-only combine; check_health stays', () => {
    expect(READ_TAG_TOOLS).toEqual(expect.arrayContaining(['check_health', 'get_customer_tag', 'list_customer_tags']));
    expect(names({ toolsets: ['augur'] }).filter((n) => PARTSSOURCE_TOOLS.includes(n))).toEqual([]);
    expect(names({ toolsets: ['augur'] })).toContain('check_health');
    expect(names({ toolsets: ['partssource.catalog'] }).sort()).toEqual(['check_health', ...toolsOf('partssource.catalog')].sort());
    expect(toolsOf('partssource.catalog')).toEqual(expect.arrayContaining(['get_part_detail', 'search_manufacturers', 'search_parts']));
    expect(names({ toolsets: ['catalog'] })).toEqual(names({ toolsets: ['partssource.catalog'] }));
    expect(names({ toolsets: ['augur.tags'], tools: ['get_order'] })).toContain('get_order');
    expect(names({ tools: ['get_order'] }).sort()).toEqual(['check_health', 'get_order']);
    expect(names({ excludeTools: ['create_order'] })).not.toContain('create_order');
    expect(names({ readOnly: true }).filter((n) => WRITE_TOOLS.includes(n))).toEqual([]);
    expect(names({ readOnly: true, tools: ['create_order'] })).not.toContain('create_order');
    expect(names({}, false)).not.toContain('refresh_customer_data');
    expect(names({}, true)).toContain('refresh_customer_data');
    expect(names({ readOnly: true }, true)).not.toContain('refresh_customer_data');
  });

  it('narrowing only removes: a later selection cannot add back what an earlier one dropped', () => {
    const server = { toolsets: ['augur'] };
    const tenant = { tools: ['create_order', 'get_customer'] };
    const offered = offeredTools(ALL_TOOLS, { ...BOTH, selections: [server, tenant] }).map((t) => t.name).sort();
    expect(offered).toEqual(['check_health', 'get_customer']);
    const session = { readOnly: true };
    const all = offeredTools(ALL_TOOLS, { ...BOTH, selections: [{}, undefined, session] }).map((t) => t.name);
    expect(all.filter((n) => WRITE_TOOLS.includes(n))).toEqual([]);
  });

  it('unknown names are reported by name', () => {
    expect(unknownNames({ toolsets: ['augur', 'billing'], tools: ['get_order', 'nope'], excludeTools: ['zap'] })).toEqual([
      'toolset "billing"',
      'tool "nope"',
      'tool "zap"',
    ]);
    expect(kindOf(ALL_TOOLS.find((t) => t.name === 'delete_customer_tag')!)).toBe('destructive');
  });
});

async function stdioToolNames(args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, ...args], env: cleanEnv({ LOG_LEVEL: 'silent', ...env }), stderr: 'pipe' });
  const client = new Client({ name: 'toolsets-stdio', version: '1.0.0' });
  await client.connect(transport);
  try {
    return (await client.listTools()).tools.map((t) => t.name);
  } finally {
    await client.close();
  }
}

describe('the CLI over stdio', () => {
  it('--read-only lists no write tool', async () => {
    const listed = await stdioToolNames(['--sandbox', '--read-only']);
    expect(listed.length).toBeGreaterThan(20);
    expect(listed.filter((n) => WRITE_TOOLS.includes(n))).toEqual([]);
    expect(listed).toContain('get_order');
  });

  it('--toolsets augur lists no PartsSource tool; MCP_TOOLSETS and MCP_EXCLUDE_TOOLS do the same from the environment', async () => {
    const listed = await stdioToolNames(['--sandbox', '--toolsets', 'augur']);
    expect(listed.filter((n) => PARTSSOURCE_TOOLS.includes(n))).toEqual([]);
    expect(listed).toContain('list_invoices');
    const fromEnv = await stdioToolNames(['--sandbox'], { MCP_TOOLSETS: 'partssource.orders', MCP_EXCLUDE_TOOLS: 'search_orders', MCP_READ_ONLY: 'true' });
    expect(fromEnv.sort()).toEqual(['check_health', 'get_order']);
  });

  it('--list-tools prints name, toolset and kind, and exits 0', async () => {
    const all = await runCli(['--list-tools']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^tool\s+toolset\s+kind$/m);
    expect(all.stdout).toMatch(/^create_order\s+partssource\.orders\s+write$/m);
    expect(all.stdout).toMatch(/^delete_customer_tag\s+augur\.tags\s+destructive$/m);
    expect(all.stdout).toMatch(/^check_health\s+health\s+read$/m);
    expect(all.stdout).not.toContain('refresh_customer_data');
    expect(all.stdout).toContain(`${ALL_TOOLS.length - 1} tools`);
    const narrowed = await runCli(['--list-tools', '--toolsets', 'augur.tags', '--read-only', '--enable-admin']);
    expect(narrowed.code).toBe(0);
    expect(narrowed.stdout.trim().split('\n').slice(1, -1).map((line) => line.split(/\s+/)[0]).sort()).toEqual(READ_TAG_TOOLS);
  });

  it('unknown toolset or tool names exit 2 naming them', async () => {
    const bad = await runCli(['--list-tools', '--toolsets', 'augur,billing', '--exclude-tools', 'nope_tool']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('toolset "billing"');
    expect(bad.stderr).toContain('tool "nope_tool"');
    const env = await runCli(['--list-tools'], cleanEnv({ MCP_TOOLS: 'get_order,made_up' }));
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('tool "made_up"');
    const mode = await runCli(['--list-tools', '--confirm-writes', 'sometimes']);
    expect(mode.code).toBe(2);
    expect(mode.stderr).toContain('--confirm-writes');
    const cap = await runCli(['--list-tools', '--max-result-bytes', '12']);
    expect(cap.code).toBe(2);
  });
});

async function httpToolNames(url: string, key: string, headers: Record<string, string> = {}): Promise<string[]> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${key}`, ...headers } } });
  const client = new Client({ name: 'toolsets-http', version: '1.0.0' });
  client.onerror = () => {};
  await client.connect(transport);
  try {
    return (await client.listTools()).tools.map((t) => t.name);
  } finally {
    await client.close();
  }
}

describe('Streamable HTTP: server options, tenant and session narrowing', () => {
  let sandbox: Sandbox;
  let readOnly: HttpServerHandle;
  let narrowed: HttpServerHandle;
  beforeAll(async () => {
    sandbox = await startSandbox({ recordRequests: false });
    readOnly = await startHttpServer({ tenants: sandboxTenants(sandbox), log: silentLogger(), port: 0, mcp: { readOnly: true } });
    const [acme, globex] = sandboxTenants(sandbox);
    narrowed = await startHttpServer({
      tenants: [{ ...acme!, selection: { toolsets: ['augur'] } }, globex!],
      log: silentLogger(),
      port: 0,
      mcp: { excludeTools: ['delete_customer_tag'] },
    });
  });
  afterAll(async () => {
    await readOnly.close();
    await narrowed.close();
    await sandbox.close();
    killAllChildren();
  });

  it('readOnly on the server lists no write tool, and a session header cannot widen it', async () => {
    const listed = await httpToolNames(readOnly.url, SANDBOX_API_KEYS.acme, { 'x-mcp-tools': 'create_order' });
    expect(listed).not.toContain('create_order');
    expect(listed.filter((n) => WRITE_TOOLS.includes(n))).toEqual([]);
  });

  it('a tenant narrows; a session narrows further with X-MCP-Toolsets and X-MCP-Read-Only; neither widens', async () => {
    const acme = await httpToolNames(narrowed.url, SANDBOX_API_KEYS.acme);
    expect(acme.filter((n) => PARTSSOURCE_TOOLS.includes(n))).toEqual([]);
    expect(acme).not.toContain('delete_customer_tag');
    const globex = await httpToolNames(narrowed.url, SANDBOX_API_KEYS.globex);
    expect(globex).toContain('create_order');
    const session = await httpToolNames(narrowed.url, SANDBOX_API_KEYS.globex, { 'x-mcp-toolsets': 'augur.tags', 'x-mcp-read-only': 'true' });
    expect(session.sort()).toEqual(READ_TAG_TOOLS);
    const widen = await httpToolNames(narrowed.url, SANDBOX_API_KEYS.acme, { 'x-mcp-toolsets': 'partssource' });
    expect(widen).toEqual(['check_health']);
  });

  it('unknown names in the headers get 400 naming them', async () => {
    const res = await rawRequest(narrowed.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: `Bearer ${SANDBOX_API_KEYS.acme}`, 'x-mcp-toolsets': 'billing' },
      body: initializeBody(),
    });
    expect(res.status).toBe(400);
    expect(res.json().error.message).toContain('toolset "billing"');
  });

  it('the CLI with --http --read-only lists no write tool', async () => {
    const proc = await spawnHttpCli(['--port', '0', '--read-only'], cleanEnv({ LOG_LEVEL: 'silent' }));
    try {
      const listed = await httpToolNames(proc.url, SANDBOX_API_KEYS.acme);
      expect(listed.length).toBeGreaterThan(20);
      expect(listed.filter((n) => WRITE_TOOLS.includes(n))).toEqual([]);
    } finally {
      proc.kill();
    }
  });
});

describe('tenants file: a tenant narrows the tools', () => {
  const defaults = { partssourceBaseUrl: 'https://ps.example', partssourceTokenUrl: 'https://ps.example/token', augurBaseUrl: 'https://augur.example', timeoutMs: 5_000 };
  const tenant = (extra: Record<string, unknown>) => ({
    tenants: [{ name: 'acme', keys: [{ sha256: 'a'.repeat(64) }], augur: { token: 't', siteId: 's' }, ...extra }],
  });

  it('reads toolsets, tools, excludeTools and readOnly', async () => {
    const { resolveTenants } = await import('../src/http/tenants.js');
    const [spec] = resolveTenants(tenant({ toolsets: ['augur.tags'], readOnly: true }), {}, defaults);
    expect(spec!.selection).toEqual({ toolsets: ['augur.tags'], readOnly: true });
  });

  it('an unknown name is a configuration error naming the tenant and the name', async () => {
    const { resolveTenants } = await import('../src/http/tenants.js');
    expect(() => resolveTenants(tenant({ excludeTools: ['no_such_tool'] }), {}, defaults)).toThrow(/tenants\[0\].*tool "no_such_tool"/);
  });
});
