import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthProxy } from './conformance/auth-proxy.js';
import { node22Path } from './conformance/node22.js';
import {
  baselineFile,
  baselineScenarios,
  runConformance,
  STATELESS_ONLY_FAILURES,
  type Check,
  type ConformanceRun,
} from './conformance/runner.js';
import { cleanEnv } from './support/cli.js';
import { killAllChildren, spawnHttpCli } from './support/http.js';

/** The active-suite scenarios that apply to this server: each must pass, check by check. */
const APPLICABLE = {
  stateful: [
    'server-initialize',
    'ping',
    'logging-set-level',
    'tools-list',
    'prompts-list',
    'server-sse-multiple-streams',
    'dns-rebinding-protection',
  ],
  stateless: ['server-initialize', 'ping', 'logging-set-level', 'tools-list', 'prompts-list', 'dns-rebinding-protection'],
};

const checksOf = (run: ConformanceRun, scenario: string): Check[] => {
  const checks = run.scenarios.get(scenario);
  expect(checks, `no checks.json for ${scenario}`).toBeDefined();
  return checks!;
};

const byId = (checks: Check[], id: string): Check => {
  const check = checks.find((c) => c.id === id);
  expect(check, `check ${id}`).toBeDefined();
  return check!;
};

// The first run downloads Node 22 (~185 MB) into npx's cache; later runs take a few seconds.
describe('MCP conformance suite (@modelcontextprotocol/conformance) against --http --sandbox', { timeout: 600_000 }, () => {
  let node22: string;
  let outRoot: string;
  beforeAll(async () => {
    node22 = await node22Path();
    outRoot = mkdtempSync(join(tmpdir(), 'mcp-conformance-'));
  }, 660_000);
  afterAll(() => {
    killAllChildren();
    if (outRoot) rmSync(outRoot, { recursive: true, force: true });
  });

  for (const mode of ['stateful', 'stateless'] as const) {
    it(`${mode}: every applicable scenario passes and every other failure is in the baseline (rc 0)`, async () => {
      const server = await spawnHttpCli(['--sandbox', '--port', '0', ...(mode === 'stateless' ? ['--stateless'] : [])], cleanEnv());
      // The runner cannot send headers; the proxy adds the sandbox key (see auth-proxy.ts).
      const proxy = await startAuthProxy(server.url, 'sandbox-acme');
      try {
        const outDir = join(outRoot, mode);
        const run = await runConformance(node22, proxy.url, baselineFile(mode, outRoot), outDir);
        console.log(`conformance ${mode}: ${run.totalLine}`);

        expect(run.code, run.output.slice(-3000)).toBe(0);
        expect(run.output).toContain('Baseline check passed: all failures are expected.');
        expect(proxy.forwarded()).toBeGreaterThan(30);

        const baseline = baselineScenarios(mode);
        expect(baseline).toHaveLength(mode === 'stateful' ? 23 : 24);
        expect([...run.scenarios.keys()].sort()).toEqual([...APPLICABLE[mode], ...baseline].sort());

        for (const scenario of APPLICABLE[mode]) {
          const checks = checksOf(run, scenario);
          expect(checks.length, scenario).toBeGreaterThan(0);
          for (const check of checks) expect(`${scenario}/${check.id}: ${check.status} ${check.errorMessage ?? ''}`).toBe(`${scenario}/${check.id}: SUCCESS `);
        }
        for (const scenario of baseline) {
          const failed = checksOf(run, scenario).some((c) => c.status === 'FAILURE' || c.status === 'WARNING');
          expect(failed, `${scenario} should fail`).toBe(true);
        }
        if (mode === 'stateless') {
          for (const scenario of STATELESS_ONLY_FAILURES) {
            expect(checksOf(run, scenario)[0]?.details).toMatchObject({ message: expect.stringContaining('did not provide session ID') });
          }
        }

        // The passes are about this server, not a lucky status code.
        const tools = byId(checksOf(run, 'tools-list'), 'tools-list').details as { tools: string[] };
        expect(tools.tools).toEqual(expect.arrayContaining(['lookup_user', 'search_parts', 'list_invoices', 'check_health']));
        const prompts = byId(checksOf(run, 'prompts-list'), 'prompts-list').details as { prompts: string[] };
        expect(prompts.prompts.sort()).toEqual(['customer_account_review', 'search_to_order']);
        // 403 from the server's Host check, not a 401 from a missing key (which would also be "a 4xx").
        const rebinding = checksOf(run, 'dns-rebinding-protection');
        expect(byId(rebinding, 'localhost-host-rebinding-rejected').details).toMatchObject({ statusCode: 403 });
        expect(byId(rebinding, 'localhost-host-valid-accepted').details).toMatchObject({ statusCode: 200 });

        // Not false passes: an unknown fixture tool is a JSON-RPC error here, so these two fail honestly.
        for (const scenario of ['tools-call-simple-text', 'tools-call-error']) {
          expect(checksOf(run, scenario)[0]?.errorMessage, scenario).toMatch(/-32602.*Unknown tool test_/);
        }
        // Capabilities the server does not declare.
        expect(checksOf(run, 'resources-list')[0]?.errorMessage).toContain('Method not found');
        expect(checksOf(run, 'completion-complete')[0]?.errorMessage).toContain('Method not found');
      } finally {
        await proxy.close();
        server.kill();
      }
    });
  }
});
