import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cleanEnv } from './support/cli.js';
import { expectCorrelationId, type Structured } from './support/harness.js';
import { killAllChildren, spawnHttpCli } from './support/http.js';

/** @modelcontextprotocol/inspector-cli, pinned in devDependencies. */
const INSPECTOR = createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector-cli/build/cli.js');
// inspector-cli 1.0.3 reads its own package.json as "../package.json" relative to the *cwd* (a bug), so it must run
// from a folder whose parent has a package.json: test/, under the project root.
const INSPECTOR_CWD = fileURLToPath(new URL('.', import.meta.url));

interface Inspected {
  code: number;
  json?: unknown;
  stdout: string;
  stderr: string;
}

/** Runs the Inspector CLI (`mcp-inspector-cli --cli ...`) and parses the JSON it prints. */
function inspect(home: string, args: string[]): Promise<Inspected> {
  return new Promise((resolve) => {
    execFile(process.execPath, [INSPECTOR, '--cli', ...args], { cwd: INSPECTOR_CWD, env: cleanEnv({ HOME: home }), timeout: 60_000 }, (error, stdout, stderr) => {
      // rc 0 also for an isError result: the JSON says what happened.
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, json, stdout, stderr });
    });
  });
}

const parsed = (result: Inspected) => {
  expect(result.code, result.stderr).toBe(0);
  expect(result.json, `no JSON: ${result.stdout.slice(0, 500)} ${result.stderr.slice(0, 500)}`).toBeDefined();
  return result.json;
};

/**
 * Each Inspector call spawns two Node processes (its launcher and its client), so the calls are few and run at once:
 * one over stdio (the README's `... node dist/cli.js --sandbox` form), the others over HTTP against one shared
 * `--http --sandbox` server (the README's `--transport http --header "Authorization: Bearer ..."` form).
 */
describe('MCP Inspector CLI (@modelcontextprotocol/inspector-cli) against dist/cli.js, over stdio and HTTP', { timeout: 120_000 }, () => {
  let home: string;
  let calls: Record<'toolsList' | 'lookupUser' | 'badArgument' | 'noKey', Promise<Inspected>>;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'mcp-inspector-home-')); // it keeps no state in the real home
    const server = await spawnHttpCli(['--sandbox', '--port', '0'], cleanEnv());
    const http = (key?: string) => [server.url, '--transport', 'http', ...(key ? ['--header', `Authorization: Bearer ${key}`] : [])];
    calls = {
      toolsList: inspect(home, [process.execPath, CLI, '--sandbox', '--method', 'tools/list']),
      lookupUser: inspect(home, [...http('sandbox-acme'), '--method', 'tools/call', '--tool-name', 'lookup_user', '--tool-arg', 'userId=12345']),
      badArgument: inspect(home, [...http('sandbox-acme'), '--method', 'tools/call', '--tool-name', 'search_users', '--tool-arg', 'limit=500']),
      noKey: inspect(home, [...http(), '--method', 'tools/list']),
    };
    await Promise.all(Object.values(calls));
  }, 120_000);
  afterAll(() => {
    killAllChildren();
    rmSync(home, { recursive: true, force: true });
  });

  it('stdio: tools/list lists the tools with their schemas', async () => {
    const { tools } = parsed(await calls.toolsList) as { tools: Tool[] };
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['search_parts', 'lookup_user', 'list_invoices', 'create_order', 'check_health']));
    expect(names).not.toContain('refresh_customer_data'); // admin tools are off by default
    expect(new Set(names).size).toBe(names.length);
    const lookupUser = tools.find((tool) => tool.name === 'lookup_user')!;
    expect(Object.keys(lookupUser.inputSchema.properties ?? {}).sort()).toEqual(['userId', 'username']);
    expect(lookupUser.annotations?.readOnlyHint).toBe(true);
  });

  it('HTTP with the Authorization header: tools/call lookup_user returns the sandbox user 12345 with a correlationId', async () => {
    const result = parsed(await calls.lookupUser) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expectCorrelationId(result);
    const { user } = result.structuredContent as Structured;
    expect(user).toMatchObject({ contactId: 12345, userName: 'jdoe', firstName: 'Jane', lastName: 'Doe' });
    expect(user.companies[0]).toMatchObject({ id: 1001 });
    expect(user.shippingAddresses.map((address: Structured) => address.id)).toEqual([2001, 4001]);
    expect(user.billingAddresses[0]).toMatchObject({ id: 3001 });
  });

  it('HTTP: bad arguments are an isError result with invalid_argument and a correlationId', async () => {
    const result = parsed(await calls.badArgument) as CallToolResult;
    expect(result.isError).toBe(true);
    const id = expectCorrelationId(result);
    const { error, correlationId } = result.structuredContent as Structured;
    expect(correlationId).toBe(id);
    expect(error).toMatchObject({ code: 'invalid_argument', retryable: false });
    expect(error.message).toMatch(/limit/);
    expect(error.message).toContain('Nothing was sent upstream');
  });

  it('HTTP without the Authorization header fails (401), and the v1 deprecation notice goes to stderr only', async () => {
    const result = await calls.noKey;
    expect(result.code).not.toBe(0);
    expect(result.json).toBeUndefined();
    expect(`${result.stdout}${result.stderr}`).toMatch(/401|Unauthorized/i);
    for (const call of Object.values(calls)) {
      const { stdout, stderr } = await call;
      expect(stderr).toContain('v1 is deprecated');
      expect(stdout).not.toContain('deprecated');
    }
  });
});
