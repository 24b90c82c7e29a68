import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { SANDBOX_PARTSSOURCE_CREDENTIALS } from '../src/sandbox/index.js';
import { ALL_TOOLS } from '../src/tools/index.js';
import { expectCorrelationId, walkSearchToOrder, type Structured } from './support/harness.js';
import { CLI, cleanEnv, runCli } from './support/cli.js';
import { optionEntries } from '../src/config/options.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

describe('CLI', () => {
  it('--help and --version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('customer-api-mcp sandbox [--port N] [--host H]');
    const version = await runCli(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('--help is generated from the option table: it names every flag and variable, and only those', async () => {
    const help = (await runCli(['--help'])).stdout;
    for (const [, spec] of optionEntries()) {
      if (spec.flag) expect(help, spec.flag).toMatch(new RegExp(`^  --${spec.flag}\\b`, 'm'));
      if (spec.env) expect(help, spec.env).toContain(spec.env);
    }
    const flags = new Set(optionEntries().flatMap(([, spec]) => (spec.flag ? [spec.flag] : [])));
    for (const [, flag] of help.matchAll(/^  --([a-z-]+)/gm)) expect(flags, flag).toContain(flag);
    const variables = new Set(optionEntries().flatMap(([, spec]) => (spec.env ? [spec.env] : [])));
    for (const name of help.match(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g)!) expect(variables, name).toContain(name);
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
      for (const name of ALL_TOOLS.filter((t) => !t.admin).map((t) => t.name)) {
        expect(names).toContain(name);
      }
      expect(names).not.toContain('refresh_customer_data');
      const call = async (name: string, args: Record<string, unknown>) => {
        const result = await client.callTool({ name, arguments: args });
        expectCorrelationId(result as never);
        expect(result.isError, JSON.stringify(result)).toBeFalsy();
        return result.structuredContent as Structured;
      };
      const { created, fetched } = await walkSearchToOrder(call, { shippingMethod: 'TWODAY', searchLimit: 3 });
      expect(fetched.order).toMatchObject({ orderId: created.order.orderId, status: 'Pending' });
      expect(stderr).toMatch(/sandbox mode/);
      expect(stderr).not.toContain(SANDBOX_PARTSSOURCE_CREDENTIALS.acme.clientSecret);
      expect(stderr).not.toContain(SANDBOX_PARTSSOURCE_CREDENTIALS.acme.apiKey);
    } finally {
      await client.close();
    }
  });

  it('writes nothing but JSON-RPC to stdout, even at debug log level', async () => {
    const { lines, stderr } = await rawStdioSession([CLI, '--sandbox'], cleanEnv({ LOG_LEVEL: 'trace' }), [
      ['tools/list', {}],
      ['tools/call', { name: 'lookup_user', arguments: { userId: 12345 } }],
      ['tools/call', { name: 'get_order', arguments: { orderId: 99999999 } }],
      ['tools/call', { name: 'lookup_user', arguments: { userId: 'nope' } }],
    ]);
    expect(lines).toHaveLength(5); // one response per request, nothing else
    // The logs did happen, on stderr.
    expect(stderr).toContain('"level":');
  });

  it('keeps stdout pure JSON-RPC under injected faults while log notifications flow, and every failure is an isError result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faults-'));
    const file = join(dir, 'faults.json');
    writeFileSync(
      file,
      JSON.stringify({
        faults: [
          { api: 'partssource', path: '^/customer/users/lookup$', status: 503, retryAfterSeconds: 0, times: 2 },
          { api: 'partssource', path: '^/customer/orders/\\d+$', status: 502, body: 'html' },
          { api: 'partssource', path: '^/customer/manufacturers/search$', status: 200, body: 'malformed-json' },
          { api: 'augur', path: '^/customer/lookup$', reset: true, times: 1 },
          { api: 'augur', path: '^/customer/\\d+/doc$', status: 429, retryAfterSeconds: 120 },
        ],
      }),
    );
    const { lines, byId, stderr } = await rawStdioSession([CLI, '--sandbox', '--faults', file], cleanEnv({ LOG_LEVEL: 'trace' }), [
      ['tools/call', { name: 'lookup_user', arguments: { userId: 12345 } }],
      ['tools/call', { name: 'get_order', arguments: { orderId: 10001 } }],
      ['tools/call', { name: 'search_manufacturers', arguments: { q: 'name~"phil"' } }],
      ['tools/call', { name: 'lookup_customer', arguments: { q: 'Riverside' } }],
      ['tools/call', { name: 'get_customer', arguments: { customerId: 10002 } }],
    ]);
    // One response per request, plus the retry warnings sent to the client as notifications/message.
    const messages = lines.map((line) => JSON.parse(line) as Structured);
    expect(messages.filter((m) => m.id !== undefined)).toHaveLength(6);
    const notifications = messages.filter((m) => m.id === undefined);
    expect(notifications.map((n) => [n.method, n.params.level, n.params.data.event])).toEqual(
      Array(6).fill(['notifications/message', 'warning', 'retry']),
    );
    const result = (id: number) => (byId.get(id) as unknown as { result: { isError?: boolean; structuredContent: Structured } }).result;
    const warningsOf = (id: number) => notifications.filter((n) => n.params.data.correlationId === result(id).structuredContent.correlationId);
    expect(warningsOf(2).map((n) => n.params.data.reason)).toEqual(['HTTP 503', 'HTTP 503']); // two 503s, two retries
    expect(warningsOf(3).map((n) => n.params.data.attempt)).toEqual([2, 3, 4]); // every 502 retried until the limit
    expect(warningsOf(5)).toHaveLength(1); // the reset
    expect(warningsOf(5)[0]!.params.logger).toBe('augur');
    // stderr got the same warnings.
    const logged = stderr.split('\n').filter((line) => line.includes('"event":"retry"'));
    expect(logged).toHaveLength(6);
    expect(result(2).isError).toBeFalsy(); // retried past two 503s
    expect(result(3).structuredContent.error.code).toBe('upstream_unavailable');
    expect(result(4).structuredContent.error.code).toBe('upstream_invalid_response');
    expect(result(5).isError).toBeFalsy(); // retried after the reset
    expect(result(6).structuredContent.error).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 120 });
    for (let id = 2; id <= 6; id++) expect(typeof result(id).structuredContent.correlationId).toBe('string');
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a malformed faults file, and faults outside the sandbox', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faults-'));
    const file = join(dir, 'faults.json');
    writeFileSync(file, JSON.stringify({ faults: [{ api: 'partssource', status: 42 }] }));
    const bad = await runCli(['sandbox', '--faults', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('faults.0.status');
    writeFileSync(file, JSON.stringify({ faults: [] }));
    const live = await runCli(['--faults', file], cleanEnv({ AUGUR_TOKEN: 't', AUGUR_SITE_ID: 's' }));
    expect(live.code).toBe(2);
    expect(live.stderr).toContain('sandbox only');
    rmSync(dir, { recursive: true, force: true });
  });
});

/**
 * Speaks raw JSON-RPC to a spawned stdio server: initialize, then the given requests (ids from 2). Resolves once
 * every response arrived and the process exited; checks on the way that every stdout line is JSON-RPC 2.0.
 */
async function rawStdioSession(args: string[], env: Record<string, string>, requests: Array<[string, object]>) {
  const child = spawn(process.execPath, args, { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
  // Only complete lines: a large response (tools/list) arrives in several chunks.
  const messages = () =>
    stdout
      .slice(0, stdout.lastIndexOf('\n') + 1)
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as { jsonrpc: string; id?: number });
  const waitFor = (ids: number[]) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no response to ${ids}; stderr: ${stderr.slice(-2000)}`)), 20_000);
      const check = () => {
        const seen = new Set(messages().map((m) => m.id));
        if (ids.every((id) => seen.has(id))) {
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
    await waitFor([1]);
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    requests.forEach(([method, params], i) => send({ jsonrpc: '2.0', id: i + 2, method, params }));
    await waitFor(requests.map((_, i) => i + 2));
  } finally {
    child.stdin.end();
    await new Promise((resolve) => child.on('close', resolve));
  }
  const lines = stdout.split('\n').filter((line) => line.length > 0);
  for (const line of lines) expect((JSON.parse(line) as { jsonrpc: string }).jsonrpc).toBe('2.0');
  return { lines, stderr, byId: new Map(messages().map((m) => [m.id, m])) };
}
