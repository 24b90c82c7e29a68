import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { SANDBOX_PARTSSOURCE_CREDENTIALS } from '../src/sandbox/index.js';
import { expectCorrelationId, type Structured } from './support/harness.js';
import { CLI, cleanEnv, runCli } from './support/cli.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

describe('CLI', () => {
  it('--help and --version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('customer-api-mcp sandbox [--port N]');
    const version = await runCli(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('exits 2 naming the missing variables of a partly configured service, never echoing a secret', async () => {
    const result = await runCli([], cleanEnv({ PARTSSOURCE_CLIENT_ID: 'my-client', PARTSSOURCE_CLIENT_SECRET: 'S3cret-value-do-not-print' }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PARTSSOURCE_API_KEY');
    expect(result.stderr).not.toContain('S3cret-value-do-not-print');
    expect(result.stdout).toBe('');
  });

  it('exits 2 for a malformed base URL', async () => {
    const result = await runCli([], cleanEnv({ PARTSSOURCE_BASE_URL: 'not a url' }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PARTSSOURCE_BASE_URL');
  });

  it('rejects an unknown flag with exit code 2', async () => {
    const result = await runCli(['--frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('frobnicate');
  });

  it('`sandbox --port 0` serves the sandbox and prints its URLs and demo credentials', async () => {
    const child = spawn(process.execPath, [CLI, 'sandbox', '--port', '0'], { env: cleanEnv() });
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (d) => {
          text += d;
          if (text.includes('Ctrl+C')) resolve(text);
        });
        child.on('exit', () => reject(new Error('sandbox exited')));
      });
      const tokenUrl = /PARTSSOURCE_TOKEN_URL=(\S+)/.exec(output)?.[1];
      const baseUrl = /PARTSSOURCE_BASE_URL=(\S+)/.exec(output)?.[1];
      expect(output).toContain(SANDBOX_PARTSSOURCE_CREDENTIALS.acme.clientId);
      const acme = SANDBOX_PARTSSOURCE_CREDENTIALS.acme;
      const token = (await (
        await fetch(tokenUrl!, {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'client_credentials', client_id: acme.clientId, client_secret: acme.clientSecret }),
        })
      ).json()) as { access_token: string };
      const lookup = await fetch(`${baseUrl}/users/lookup?userId=12345`, {
        headers: { authorization: `Bearer ${token.access_token}`, 'x-api-key': acme.apiKey },
      });
      expect(lookup.status).toBe(200);
      expect(((await lookup.json()) as Structured).data.contactId).toBe(12345);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('stdio server (built CLI)', () => {
  it('starts in sandbox mode without credentials, says so on stderr, and runs the whole workflow', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI], env: cleanEnv(), stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (d) => (stderr += d));
    const client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      // Sandbox mode configures both upstreams; admin tools stay off without --enable-admin.
      for (const name of ['create_order', 'get_order', 'get_part_detail', 'lookup_user', 'search_manufacturers', 'search_orders', 'search_parts', 'search_users', 'lookup_customer', 'list_invoices', 'check_health']) {
        expect(names).toContain(name);
      }
      expect(names).not.toContain('refresh_customer_data');
      const call = async (name: string, args: Record<string, unknown>) => {
        const result = await client.callTool({ name, arguments: args });
        expectCorrelationId(result as never);
        expect(result.isError, JSON.stringify(result)).toBeFalsy();
        return result.structuredContent as Structured;
      };
      const { user } = await call('lookup_user', { userId: 12345 });
      const parts = await call('search_parts', { keyword: 'probe', limit: 3 });
      const productId = parts.items[0].productId;
      const { part } = await call('get_part_detail', { productId, requesterId: user.contactId });
      const option = part.options.find((o: Structured) => !o.requiredFields?.length);
      const created = await call('create_order', {
        requesterId: user.contactId,
        facilityId: user.companies[0].facilities[0].id,
        shippingAddressId: user.shippingAddresses[0].id,
        billingAddressId: user.billingAddresses[0].id,
        shippingMethod: 'TWODAY',
        items: [{ priceOptionId: option.priceOptionId, productId, quantity: 1, price: option.price }],
      });
      const { order } = await call('get_order', { orderId: created.order.orderId });
      expect(order).toMatchObject({ orderId: created.order.orderId, status: 'Pending' });
      expect(stderr).toMatch(/sandbox mode/);
      expect(stderr).not.toContain(SANDBOX_PARTSSOURCE_CREDENTIALS.acme.clientSecret);
      expect(stderr).not.toContain(SANDBOX_PARTSSOURCE_CREDENTIALS.acme.apiKey);
    } finally {
      await client.close();
    }
  });

  it('writes nothing but JSON-RPC to stdout, even at debug log level', async () => {
    const child = spawn(process.execPath, [CLI, '--sandbox'], { env: cleanEnv({ LOG_LEVEL: 'trace' }) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    const waitFor = (id: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no response ${id}; stderr: ${stderr}`)), 10_000);
        const check = () => {
          // Only complete lines: a large response (tools/list) arrives in several chunks.
          const ids = stdout
            .slice(0, stdout.lastIndexOf('\n') + 1)
            .split('\n')
            .filter((line) => line.trim())
            .map((line) => (JSON.parse(line) as { id?: number }).id);
          if (ids.includes(id)) {
            clearTimeout(timer);
            child.stdout.off('data', check);
            resolve();
          }
        };
        child.stdout.on('data', check);
        check();
      });
    try {
      send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
      await waitFor(1);
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
      send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'lookup_user', arguments: { userId: 12345 } } });
      send({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'get_order', arguments: { orderId: 99999999 } } });
      send({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'lookup_user', arguments: { userId: 'nope' } } });
      await Promise.all([waitFor(2), waitFor(3), waitFor(4), waitFor(5)]);
    } finally {
      child.stdin.end();
      await new Promise((resolve) => child.on('close', resolve));
    }
    const lines = stdout.split('\n').filter((line) => line.length > 0);
    expect(lines).toHaveLength(5); // one response per request, nothing else
    for (const line of lines) {
      const message = JSON.parse(line) as { jsonrpc: string };
      expect(message.jsonrpc).toBe('2.0');
    }
    // The logs did happen, on stderr.
    expect(stderr).toContain('"level":');
  });
});
