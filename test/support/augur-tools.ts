import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { AugurConfig } from '../../src/clients/augur.js';
import { SANDBOX_AUGUR_SITES, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { UpstreamClients } from '../../src/clients/types.js';
import type { AnyTool } from '../../src/tools/define.js';
import { augurClient as siteClient, connect as connectServer, failed, type Connected, type Result } from './augur.js';

/**
 * Shared set-up of the per-resource Augur tool tests (test/tools/augur/<resource>.test.ts): one sandbox and one
 * connected server per file, and a record of which tools answered successfully and which failed, so each file can
 * check that every tool of its resource did both.
 */

export const ACME = SANDBOX_AUGUR_SITES.acme!;
export const GLOBEX = SANDBOX_AUGUR_SITES.globex!;

export interface AugurToolSuite {
  /** Set in beforeAll. */
  sandbox: Sandbox;
  /** The acme site's server (admin tools on), set in beforeAll. */
  h: Connected;
  /** Requests the sandbox received for the Augur API. */
  augurRequests(): Sandbox['requests'];
  /** Another server on the same sandbox; its results count for the file's record too. */
  connect(clients: UpstreamClients, enableAdmin?: boolean): Promise<Connected>;
  augurClient(site?: { siteId: string; token: string }, extra?: Partial<AugurConfig>): ReturnType<typeof siteClient>;
  succeeded: Set<string>;
  failedTools: Set<string>;
}

export function useAugurToolSuite(): AugurToolSuite {
  const succeeded = new Set<string>();
  const failedTools = new Set<string>();
  const track = (name: string, result: Result) => (result.isError ? failedTools : succeeded).add(name);
  const suite: AugurToolSuite = {
    sandbox: undefined as unknown as Sandbox,
    h: undefined as unknown as Connected,
    augurRequests: () => suite.sandbox.requests.filter((r) => r.api === 'augur'),
    // No result byte cap here: these tests check the upstream's own pages (100 invoices with lines exceed the
    // default 50 000-byte budget, which test/budget.test.ts covers).
    connect: (clients, enableAdmin = true) => connectServer(clients, { enableAdmin, onResult: track, maxResultBytes: 0 }),
    augurClient: (site = ACME, extra = {}) => siteClient(suite.sandbox, site, extra),
    succeeded,
    failedTools,
  };
  beforeAll(async () => {
    suite.sandbox = await startSandbox();
    suite.h = await suite.connect({ augur: suite.augurClient() });
  });
  afterAll(async () => {
    await suite.h?.close();
    await suite.sandbox?.close();
  });
  afterEach(() => suite.sandbox.clearRequests());
  return suite;
}

/**
 * The two checks that close each resource file: every tool of the resource has answered successfully and has
 * failed at least once in the tests above (same file, run in order). Call it last in the describe.
 */
export function itAnsweredAndFailedEveryTool(suite: AugurToolSuite, tools: readonly AnyTool[], resource: string): void {
  const names = tools.map((t) => t.name).sort();
  it(`after every test: each ${resource} tool has answered successfully at least once`, () => {
    expect(names.filter((name) => !suite.succeeded.has(name))).toEqual([]);
  });
  it(`after every test: each ${resource} tool has failed at least once`, () => {
    expect(names.filter((name) => !suite.failedTools.has(name))).toEqual([]);
  });
}

export interface FailureCase {
  tool: string;
  args: Record<string, unknown>;
  code: string;
  /** What the sandbox must have received (exactly once), or null: refused before any request. */
  wire: null | { method: string; path: string; query?: Record<string, string>; body?: unknown; status: number };
  /**
   * Every request sent, when the tool sends more than the failing one: a create reads the matching rows first (to
   * tell its new record's id), a 404 that may mean "none" is checked against the parent record.
   */
  sequence?: string[];
  via?: Connected;
}

/** Arguments shared by the failure tables. */
export const FAILURE_ARGS = { none: 9_999_999, badOrder: 'no_such_column|ASC', page: { limit: '10', offset: '0' } } as const;

/**
 * Runs each failing call and checks the code, the correlationId and exactly what the service received; then that
 * every tool of `tools` failed here, and every one of them once on the wire (an upstream refusal).
 */
export async function expectEveryToolFails(suite: AugurToolSuite, cases: FailureCase[], tools: readonly AnyTool[]): Promise<void> {
  const { sandbox, h, augurRequests } = suite;
  const failedHere = new Set<string>();
  const upstreamFailedHere = new Set<string>();
  for (const { tool, args, code, wire, via, sequence } of cases) {
    const what = `${tool} ${JSON.stringify(args)}`;
    sandbox.clearRequests();
    const result = await (via ?? h).call(tool, args);
    const error = failed(result, code, what);
    failedHere.add(tool);
    expect(error.message.length, what).toBeGreaterThan(0);
    const sent = augurRequests();
    if (wire === null) {
      expect(sent, `${what}: nothing may be sent`).toHaveLength(0);
      expect(error.message, what).toContain(tool);
      expect(error.retryable, what).toBe(false);
      continue;
    }
    upstreamFailedHere.add(tool);
    // Exactly one request for the failing call: a 4xx is not retried, and a write is never retried.
    expect(sent.map((r) => `${r.method} ${r.path} ${r.status}`), what).toEqual(sequence ?? [`${wire.method} ${wire.path} ${wire.status}`]);
    const request = sent.find((r) => `${r.method} ${r.path}` === `${wire.method} ${wire.path}`)!;
    for (const other of sent) expect(other.headers['x-correlation-id'], what).toBe(request.headers['x-correlation-id']);
    if (wire.query) expect(request.query, what).toEqual(wire.query);
    if (wire.body !== undefined) expect(request.body, what).toEqual(wire.body);
    if (wire.method === 'DELETE') expect(request.body, what).toBeUndefined();
    expect(request.headers['x-site-id'], what).toBe(ACME.siteId);
    expect(request.headers.authorization, what).toBe(`Bearer ${via ? GLOBEX.token : ACME.token}`);
    // The correlationId the agent gets is the one the service saw.
    expect(request.headers['x-correlation-id'], what).toBe(result.structuredContent.correlationId);
    expect(error.upstreamStatus, what).toBe(wire.status);
    expect(error.upstreamMessages?.length, what).toBeGreaterThan(0);
    expect(error.retryable, what).toBe(false);
  }
  // Every tool failed in this test, and every one of them once on the wire (an upstream refusal).
  const names = tools.map((t) => t.name).sort();
  expect(names.filter((name) => !failedHere.has(name))).toEqual([]);
  expect(names.filter((name) => !upstreamFailedHere.has(name))).toEqual([]);
}

/** A server whose token belongs to another site, sent for the acme site: the service refuses it (403) first. */
export async function withForeignToken(suite: AugurToolSuite, body: (foreign: Connected) => Promise<void>): Promise<void> {
  const foreign = await suite.connect({ augur: suite.augurClient({ siteId: ACME.siteId, token: GLOBEX.token }) });
  try {
    await body(foreign);
  } finally {
    await foreign.close();
  }
}
