import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../src/http/server.js';
import { SANDBOX_API_KEYS, sandboxTenants } from '../src/http/tenants.js';
import { silentLogger } from '../src/logger.js';
import { startSandbox } from '../src/sandbox/index.js';
import { ALL_TOOLS } from '../src/tools/index.js';
import { startAuthProxy } from './conformance/auth-proxy.js';
import { node22Path } from './conformance/node22.js';
import {
  BASELINE_NEXT_FILE,
  baselineFile,
  baselineScenarios,
  runConformance,
  RUNNER_NEXT,
  STATELESS_ONLY_FAILURES,
  type Check,
  type ConformanceRun,
} from './conformance/runner.js';
import { startDroppingProxy, testReconnectionTool } from './conformance/sse-polling.js';
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
    'dns-rebinding-protection',
  ],
  stateless: ['server-initialize', 'ping', 'logging-set-level', 'tools-list', 'prompts-list', 'dns-rebinding-protection'],
};

/** The same for the 0.2 runner: its active suite adds server-session-lifecycle, and passes the version check. */
const APPLICABLE_NEXT = {
  stateful: [...APPLICABLE.stateful, 'server-session-lifecycle', 'server-sse-multiple-streams'],
  stateless: [...APPLICABLE.stateless, 'server-session-lifecycle'],
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
        expect(baseline).toHaveLength(24);
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
        } else {
          // 0.1.16 sends MCP-Protocol-Version 2025-03-26 on a 2025-11-25 session: refused by the version check.
          const streams = checksOf(run, 'server-sse-multiple-streams');
          expect(JSON.stringify(streams)).toMatch(/400|does not match the version this session negotiated/);
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

describe('the newest conformance runner (0.2.0-alpha.12, npm alias conformance-next) against --http --sandbox', { timeout: 600_000 }, () => {
  let node22: string;
  let outRoot: string;
  beforeAll(async () => {
    node22 = await node22Path();
    outRoot = mkdtempSync(join(tmpdir(), 'mcp-conformance-next-'));
  }, 660_000);
  afterAll(() => {
    killAllChildren();
    if (outRoot) rmSync(outRoot, { recursive: true, force: true });
  });

  for (const mode of ['stateful', 'stateless'] as const) {
    it(`${mode}: spec 2025-11-25 active suite, every applicable scenario passes, every failure is in baseline-next.yml (rc 0)`, async () => {
      const server = await spawnHttpCli(['--sandbox', '--port', '0', ...(mode === 'stateless' ? ['--stateless'] : [])], cleanEnv());
      const proxy = await startAuthProxy(server.url, 'sandbox-acme');
      try {
        const run = await runConformance(node22, proxy.url, baselineFile(mode, outRoot, BASELINE_NEXT_FILE), join(outRoot, mode), 240_000, {
          runner: RUNNER_NEXT,
          args: ['--spec-version', '2025-11-25'],
        });
        console.log(`conformance-next ${mode}: ${run.totalLine}`);
        expect(run.code, run.output.slice(-3000)).toBe(0);
        expect(run.output).toContain('Baseline check passed: all failures are expected.');
        const baseline = baselineScenarios(mode, BASELINE_NEXT_FILE);
        expect(baseline).toHaveLength(mode === 'stateful' ? 23 : 24);
        expect([...run.scenarios.keys()].sort()).toEqual([...APPLICABLE_NEXT[mode], ...baseline].sort());
        for (const scenario of APPLICABLE_NEXT[mode]) {
          // INFO: e.g. stateless server-session-lifecycle says "no session id; lifecycle does not apply".
          for (const check of checksOf(run, scenario)) expect(['SUCCESS', 'INFO'], `${scenario}/${check.id}: ${check.status} ${check.errorMessage ?? ''}`).toContain(check.status);
        }
        // Every message the server sent is valid against the 2025-11-25 schema (the runner's wire check).
        for (const [scenario, checks] of run.scenarios) {
          const wire = checks.find((c) => c.id === 'wire-schema-valid');
          if (wire) expect(`${scenario}: ${wire.status} ${JSON.stringify(wire.details).slice(0, 300)}`).toMatch(/^[\w-]+: SUCCESS/);
        }
        if (mode === 'stateful') {
          const lifecycle = checksOf(run, 'server-session-lifecycle');
          expect(lifecycle.map((c) => `${c.id}: ${c.status}`)).toEqual([
            'server-session-initialized-accepted: SUCCESS',
            'server-session-delete-accepted: SUCCESS',
            'server-session-terminated-returns-404: SUCCESS',
          ]);
        }
      } finally {
        await proxy.close();
        server.kill();
      }
    });
  }

  it('server-sse-polling (SEP-1699, pending suite) passes without a warning: priming event first, retry 1000, resume with Last-Event-ID after a drop', async () => {
    const sandbox = await startSandbox();
    // The product's tools plus the scenario's fixture tool, in this test's server only.
    const server = await startHttpServer({
      tenants: sandboxTenants(sandbox),
      log: silentLogger(),
      port: 0,
      mcp: { tools: [...ALL_TOOLS, testReconnectionTool] },
    });
    const proxy = await startDroppingProxy(server.url, SANDBOX_API_KEYS.acme);
    try {
      const empty = join(outRoot, 'no-failures.yml');
      writeFileSync(empty, 'server: []\n');
      const run = await runConformance(node22, proxy.url, empty, join(outRoot, 'sse-polling'), 120_000, {
        runner: RUNNER_NEXT,
        args: ['--scenario', 'server-sse-polling', '--spec-version', '2025-11-25'],
      });
      const checks = checksOf(run, 'server-sse-polling');
      expect(run.code, run.output.slice(-3000)).toBe(0);
      expect(proxy.dropped()).toBe(1);
      expect(checks.filter((c) => c.status === 'WARNING' || c.status === 'FAILURE')).toEqual([]);
      expect(byId(checks, 'server-sse-priming-event')).toMatchObject({ status: 'SUCCESS', details: { hasPrimingEvent: true, primingEventIsFirst: true } });
      expect(byId(checks, 'server-sse-retry-field')).toMatchObject({ status: 'SUCCESS', details: { hasRetryField: true, retryValue: 1000 } });
      expect(byId(checks, 'server-sse-disconnect-resume')).toMatchObject({ status: 'SUCCESS', details: { receivedToolResponse: true } });
    } finally {
      await proxy.close();
      await server.close();
      await sandbox.close();
    }
  });
});
