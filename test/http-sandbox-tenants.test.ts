import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from './support/cli.js';
import { MCP_HEADERS, connectHttp, killAllChildren, ok, rawRequest, spawnHttpCli, type HttpClient } from './support/http.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLE = join(ROOT, 'examples', 'tenants.sandbox.json');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** Runs `customer-api-mcp new-key` and reads its KEY= and SHA256= lines. */
async function newKey(): Promise<{ key: string; sha256: string; stdout: string }> {
  const result = await runCli(['new-key']);
  expect(result.code, result.stderr).toBe(0);
  const key = /^KEY=(\S+)$/m.exec(result.stdout)?.[1];
  const sha256 = /^SHA256=([0-9a-f]{64})$/m.exec(result.stdout)?.[1];
  expect(key, result.stdout).toBeDefined();
  expect(sha256, result.stdout).toBeDefined();
  return { key: key!, sha256: sha256!, stdout: result.stdout };
}

describe('customer-api-mcp new-key and weak keys', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-weak-keys-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, body: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
    return path;
  };

  it('prints a new random key (32 bytes, base64url), its SHA-256 and the line to paste', async () => {
    const [a, b] = [await newKey(), await newKey()];
    expect(a.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.key, 'base64url')).toHaveLength(32);
    expect(a.sha256).toBe(hex(a.key));
    expect(a.stdout).toContain(`"keys": [{ "sha256": "${a.sha256}" }]`);
    expect(b.key).not.toBe(a.key);
  });

  it("refuses the README example's key digest, the digest of well-known keys, and names the tenant (exit 2)", async () => {
    // The README's tenants example, copied as is: its placeholder is not a digest, so nothing can match it.
    const example = /The tenants file \(JSON[\s\S]*?```json\n([\s\S]*?)\n```/.exec(README)?.[1];
    expect(example, 'README tenants example').toBeDefined();
    expect(example).toContain('<sha256 printed by customer-api-mcp new-key>');
    const copied = await runCli(['--http', '--port', '0', '--tenants', write('readme.json', example!)]);
    expect(copied.code).toBe(2);
    expect(copied.stderr).toMatch(/tenants\[0\]\.keys\[1\]\.sha256: must be the 64 hex digits .*customer-api-mcp new-key/);

    for (const weak of ['test', 'password', 'secret', 'changeme', 'admin', '123456', 'sandbox-acme']) {
      const file = write(`weak-${weak}.json`, {
        tenants: [
          { name: 'fine', keys: [{ sha256: hex('a-long-random-key-0123456789') }], augur: { token: 't', siteId: 's' } },
          { name: 'careless', keys: [{ sha256: hex('k-0123456789abcdef') }, { sha256: hex(weak).toUpperCase() }], augur: { token: 't', siteId: 's' } },
        ],
      });
      const result = await runCli(['--http', '--port', '0', '--tenants', file]);
      expect(result.code, weak).toBe(2);
      expect(result.stderr, weak).toContain('tenants[1].keys[1] (tenant "careless") is a well-known weak key');
      expect(result.stderr, weak).toContain('customer-api-mcp new-key');
    }
  });

  it('refuses "sandbox" tenants without --sandbox, and credential tenants with --sandbox (exit 2)', async () => {
    const keys = [{ sha256: hex('k-0123456789abcdef') }];
    const sandboxTenant = write('sandbox-tenant.json', { tenants: [{ name: 'a', keys, sandbox: 'acme' }] });
    const without = await runCli(['--http', '--port', '0', '--tenants', sandboxTenant]);
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('tenants[0].sandbox (tenant "a") names a sandbox tenant: start the server with --sandbox');

    const live = write('live-tenant.json', { tenants: [{ name: 'b', keys, augur: { token: 't', siteId: 's' } }] });
    const withSandbox = await runCli(['--http', '--sandbox', '--port', '0', '--tenants', live]);
    expect(withSandbox.code).toBe(2);
    expect(withSandbox.stderr).toContain('tenants[0] (tenant "b"): with --sandbox every tenant uses the embedded sandbox');

    const both = write('both.json', { tenants: [{ name: 'c', keys, sandbox: 'acme', augur: { token: 't', siteId: 's' } }] });
    expect((await runCli(['--http', '--sandbox', '--port', '0', '--tenants', both])).stderr).toContain('leave out "partssource" and "augur"');
    const unknown = write('unknown.json', { tenants: [{ name: 'd', keys, sandbox: 'initech' }] });
    expect((await runCli(['--http', '--sandbox', '--port', '0', '--tenants', unknown])).stderr).toContain('tenants[0].sandbox: must be "acme" or "globex"');
  });
});

describe("--http --sandbox --tenants examples/tenants.sandbox.json (the README's multi-tenant example)", { timeout: 90_000 }, () => {
  const clients: HttpClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => {})));
    killAllChildren();
  });

  it('two tenants with keys from new-key, each on its own sandbox tenant, isolated', async () => {
    // The README runs exactly this file with these flags.
    expect(README).toContain('--http --sandbox --stateless --tenants examples/tenants.sandbox.json');
    const acmeKey = (await newKey()).key;
    const globexKey = (await newKey()).key;
    const server = await spawnHttpCli(
      ['--sandbox', '--stateless', '--port', '0', '--tenants', EXAMPLE],
      cleanEnv({ ACME_MCP_KEY: acmeKey, GLOBEX_MCP_KEY: globexKey }),
    );
    expect(server.stderr()).toContain('(stateless, 2 tenants)');

    // What the README's curl line sends: one tools/call, no session in stateless mode.
    const curl = (key: string, name: string, args: Record<string, unknown>) =>
      rawRequest(server.url, {
        method: 'POST',
        headers: { ...MCP_HEADERS, authorization: `Bearer ${key}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
      });
    const acmeAnswer = await curl(acmeKey, 'lookup_user', { userId: 12345 });
    expect(acmeAnswer.status).toBe(200);
    expect(acmeAnswer.text).toContain('"userName":"jdoe"');
    const globexAnswer = await curl(globexKey, 'lookup_user', { userId: 12345 });
    expect(globexAnswer.status).toBe(200);
    expect(globexAnswer.text).toContain('forbidden_tenant');
    expect((await curl('not-a-key-0123456789', 'lookup_user', { userId: 12345 })).status).toBe(401);

    const acme = await connectHttp(server.url, acmeKey);
    const globex = await connectHttp(server.url, globexKey);
    clients.push(acme, globex);
    expect(ok(await globex.call('lookup_user', { userId: 22222 })).user.contactId).toBe(22222);
    expect((await acme.call('lookup_user', { userId: 22222 })).structuredContent.error.code).toBe('forbidden_tenant');
    // Augur: each key reaches its own site's customers only.
    expect(ok(await acme.call('get_customer', { customerId: 10002 })).customer.customerName).toBe('Riverside General Hospital');
    expect(ok(await globex.call('get_customer', { customerId: 20002 })).customer.customerName).toBe('Springfield Memorial Hospital');
    expect((await globex.call('get_customer', { customerId: 10002 })).isError).toBe(true);
    // The file's "readOnly": true narrows globex; acme keeps the write tools.
    const acmeTools = (await acme.client.listTools()).tools.map((t) => t.name);
    const globexTools = (await globex.client.listTools()).tools.map((t) => t.name);
    expect(acmeTools).toContain('create_order');
    expect(globexTools).not.toContain('create_order');
    expect(globexTools).toContain('lookup_user');
  });
});
