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

/** @modelcontextprotocol/inspector-cli, pinned in devDependencies. */
const INSPECTOR = createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector-cli/build/cli.js');
// inspector-cli 1.0.3 reads its own package.json as "../package.json" relative to the *cwd* (a bug), so it must run
// from a folder whose parent has a package.json: test/, under the project root.
const INSPECTOR_CWD = fileURLToPath(new URL('.', import.meta.url));

/** Runs the Inspector CLI against `node dist/cli.js --sandbox` over stdio and parses the JSON it prints. */
function inspect(home: string, args: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [INSPECTOR, '--cli', process.execPath, CLI, '--sandbox', ...args],
      { cwd: INSPECTOR_CWD, env: cleanEnv({ HOME: home }), timeout: 30_000 },
      (error, stdout, stderr) => {
        // rc 0 also for an isError result: the JSON says what happened.
        if (error) return reject(new Error(`inspector-cli failed (${error.code}): ${stderr}`));
        try {
          resolve(JSON.parse(stdout));
        } catch {
          reject(new Error(`inspector-cli printed no JSON: ${stdout.slice(0, 500)} ${stderr.slice(0, 500)}`));
        }
      },
    );
  });
}

describe('MCP Inspector CLI (@modelcontextprotocol/inspector-cli) against dist/cli.js --sandbox over stdio', { timeout: 60_000 }, () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'mcp-inspector-home-')); // it keeps no state in the real home
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('tools/list lists the tools with their schemas', async () => {
    const { tools } = (await inspect(home, ['--method', 'tools/list'])) as { tools: Tool[] };
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['search_parts', 'lookup_user', 'list_invoices', 'create_order', 'check_health']));
    expect(names).not.toContain('refresh_customer_data'); // admin tools are off by default
    expect(new Set(names).size).toBe(names.length);
    const lookupUser = tools.find((tool) => tool.name === 'lookup_user')!;
    expect(Object.keys(lookupUser.inputSchema.properties ?? {}).sort()).toEqual(['userId', 'username']);
    expect(lookupUser.annotations?.readOnlyHint).toBe(true);
  });

  it('tools/call lookup_user returns the sandbox user 12345 with a correlationId', async () => {
    const result = (await inspect(home, ['--method', 'tools/call', '--tool-name', 'lookup_user', '--tool-arg', 'userId=12345'])) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expectCorrelationId(result);
    const { user } = result.structuredContent as Structured;
    expect(user).toMatchObject({ contactId: 12345, userName: 'jdoe', firstName: 'Jane', lastName: 'Doe' });
    expect(user.companies[0]).toMatchObject({ id: 1001 });
    expect(user.shippingAddresses.map((address: Structured) => address.id)).toEqual([2001, 4001]);
    expect(user.billingAddresses[0]).toMatchObject({ id: 3001 });
  });

  it('tools/call with bad arguments is an isError result with invalid_argument and a correlationId', async () => {
    const result = (await inspect(home, ['--method', 'tools/call', '--tool-name', 'search_users', '--tool-arg', 'limit=500'])) as CallToolResult;
    expect(result.isError).toBe(true);
    const id = expectCorrelationId(result);
    const { error, correlationId } = result.structuredContent as Structured;
    expect(correlationId).toBe(id);
    expect(error).toMatchObject({ code: 'invalid_argument', retryable: false });
    expect(error.message).toMatch(/limit/);
    expect(error.message).toContain('Nothing was sent upstream');
  });
});
