import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openAuditTrail, type AuditTrail } from '../src/audit/audit-trail.js';
import { PartsSourceClient } from '../src/clients/partssource.js';
import { startHttpServer } from '../src/http/server.js';
import { SANDBOX_API_KEYS, sandboxTenants } from '../src/http/tenants.js';
import { createLogger } from '../src/logger.js';
import { SANDBOX_AUGUR_FIXTURES } from '../src/sandbox/augur/index.js';
import { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { connectCustom, orderArgs, sandboxClients, type Custom } from './support/custom.js';
import { CLI, cleanEnv } from './support/cli.js';
import { connectHttp } from './support/http.js';
import type { Structured } from './support/harness.js';
import { startHostileUpstream, type HostileUpstream } from './support/hostile-upstream.js';
import { commitThenHold, isOrderPost } from './support/hostile-modes/orders.js';

/**
 * Issue 18, item 3: the audit trail of writes. Real sandbox, real SDK Client (with elicitation, so every write is
 * confirmed by a scripted human), a real file. Each test reads the records its calls appended: exactly one per
 * write attempt, none for a read, never a secret or a free-text argument.
 */

const acme = SANDBOX_PARTSSOURCE_CREDENTIALS.acme;
const customerId = SANDBOX_AUGUR_FIXTURES.acme.customerId;
const SHA256 = /^sha256:[0-9a-f]{64}$/;

let sandbox: Sandbox;
let hostile: HostileUpstream;
let dir: string;
let auditPath: string;
let trail: AuditTrail;
let h: Custom;
let baseOrder: Structured;
/** The log stream's lines (JSON), as pino wrote them. */
const logLines: Structured[] = [];
let answer: ElicitResult = { action: 'accept', content: { confirm: true } };
const asked: string[] = [];
let seen = 0;
const open: Custom[] = [];

/** A server over the given clients, auditing to `audit`, whose client confirms through elicitation (`answer`). */
async function auditedServer(clients: Parameters<typeof connectCustom>[0]['clients'], audit: AuditTrail, extra: { toolTimeoutMs?: number } = {}): Promise<Custom> {
  const log = createLogger('info', { write: (line: string) => void logLines.push(JSON.parse(line)) });
  // connectCustom's own logger is silent; this one lets the test read the log stream.
  const options = { clients, audit, caller: { tenant: 'acme' }, log, ...extra } as Parameters<typeof connectCustom>[0];
  const server = await connectCustom(options, { capabilities: { elicitation: {} } }, (client) =>
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push((request.params as { message: string }).message);
      return answer;
    }),
  );
  open.push(server);
  return server;
}

/** The records appended since the last look. */
function newRecords(): Structured[] {
  const lines = readFileSync(auditPath, 'utf8').split('\n').filter((line) => line.length > 0);
  const fresh = lines.slice(seen).map((line) => JSON.parse(line) as Structured);
  seen = lines.length;
  return fresh;
}

const orderPosts = () => sandbox.requests.filter((r) => r.api === 'partssource' && r.method === 'POST' && r.path === '/customer/orders');
const augurWrites = () => sandbox.requests.filter((r) => r.api === 'augur' && r.method !== 'GET');
const withPo = (): Structured => ({ ...baseOrder, poNumber: `PO-AUDIT-${randomUUID().slice(0, 8)}` });

beforeAll(async () => {
  sandbox = await startSandbox();
  hostile = await startHostileUpstream(sandbox.origin);
  dir = mkdtempSync(join(tmpdir(), 'audit-test-'));
  auditPath = join(dir, 'audit.jsonl');
  trail = await openAuditTrail(auditPath, createLogger('silent'));
  h = await auditedServer(sandboxClients(sandbox), trail);
  baseOrder = await orderArgs(h);
});
beforeEach(() => {
  answer = { action: 'accept', content: { confirm: true } };
  asked.length = 0;
  logLines.length = 0;
  sandbox.clearRequests();
  sandbox.faults.clear();
  hostile.setModes();
  hostile.clear();
});
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  await trail?.close();
  await hostile?.close();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the audit trail of writes', () => {
  it('reads leave no record; the file is created owner-only', async () => {
    newRecords();
    await h.call('lookup_user', { userId: 12345 });
    await h.call('list_customer_tags', { customerId });
    expect(newRecords()).toEqual([]);
    expect(logLines.filter((line) => line.audit)).toEqual([]);
    expect(statSync(auditPath).mode & 0o777).toBe(0o600);
  });

  it('an order placed, then replayed with the same key: one record each, same digest and orderId', async () => {
    newRecords();
    const key = randomUUID();
    const args: Structured = { ...withPo(), idempotencyKey: key };
    const placed = await h.call('create_order', args);
    expect(placed.isError).toBeFalsy();
    const replayed = await h.call('create_order', args);
    expect(replayed.structuredContent.replayed).toBe(true);
    const orderId = placed.structuredContent.order.orderId as number;

    const [first, second, ...more] = newRecords();
    expect(more).toEqual([]);
    expect(first).toMatchObject({
      tenant: 'acme',
      caller: 'acme',
      tool: 'create_order',
      target: { requesterId: args.requesterId, facilityId: args.facilityId, shippingAddressId: args.shippingAddressId, billingAddressId: args.billingAddressId },
      idempotencyKey: key,
      outcome: 'placed',
      upstreamIds: { orderId },
      correlationId: placed.structuredContent.correlationId,
    });
    expect(Object.keys(first!.target).sort()).toEqual(['billingAddressId', 'facilityId', 'requesterId', 'shippingAddressId']);
    expect(first!.argumentsDigest).toMatch(SHA256);
    expect(Number.isNaN(Date.parse(first!.time))).toBe(false);
    expect(first!.traceId).toBeUndefined(); // no tracing on main yet
    expect(second).toMatchObject({ outcome: 'replayed', idempotencyKey: key, upstreamIds: { orderId }, argumentsDigest: first!.argumentsDigest, correlationId: replayed.structuredContent.correlationId });
    // Free text is not kept: the PO number is in the digest only.
    expect(JSON.stringify([first, second])).not.toContain(args.poNumber);

    // The log stream carries the same records at info, one line each.
    const logged = logLines.filter((line) => line.audit);
    expect(logged.map((line) => line.level)).toEqual([30, 30]);
    expect(logged.map((line) => line.audit)).toEqual([first, second]);
  });

  it('declined at confirmation: one record `declined`, nothing sent', async () => {
    newRecords();
    answer = { action: 'decline' };
    const result = await h.call('create_order', withPo());
    expect(result.structuredContent.error.code).toBe('not_confirmed');
    expect(orderPosts()).toHaveLength(0);
    const records = newRecords();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ tool: 'create_order', outcome: 'declined', errorCode: 'not_confirmed', correlationId: result.structuredContent.correlationId });
    expect(records[0]!.upstreamIds).toBeUndefined();
  });

  it('refused by the upstream (403): one record `refused` with the status', async () => {
    newRecords();
    sandbox.faults.add({ api: 'partssource', method: 'POST', path: '^/customer/orders$', status: 403, times: 1 });
    const result = await h.call('create_order', withPo());
    expect(result.structuredContent.error.code).toBe('forbidden_tenant');
    const records = newRecords();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: 'refused', errorCode: 'forbidden_tenant', upstreamStatus: 403, idempotencyKey: result.structuredContent.idempotencyKey });
  });

  it('timed out after the upstream committed: one record `unknown` with the key to retry with', async () => {
    const partssource = new PartsSourceClient({
      baseUrl: `${hostile.origin}/partssource/customer`,
      tokenUrl: `${hostile.origin}/partssource/oauth2/token`,
      clientId: acme.clientId,
      clientSecret: acme.clientSecret,
      apiKey: acme.apiKey,
      timeoutMs: 2_000,
    });
    const s = await auditedServer({ partssource }, trail, { toolTimeoutMs: 6_000 });
    expect((await s.call('lookup_user', { userId: 12345 })).isError).toBeFalsy();
    newRecords();
    const hold = commitThenHold();
    hostile.setModes(hold);
    try {
      const result = await s.call('create_order', withPo());
      expect(result.structuredContent.error.code).toBe('timeout');
      expect(hostile.requests.filter(isOrderPost).length).toBeGreaterThan(0);
      const records = newRecords();
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ tool: 'create_order', outcome: 'unknown', errorCode: 'timeout', idempotencyKey: result.structuredContent.idempotencyKey });
    } finally {
      hold.release();
    }
  });

  it('an Augur write (add_customer_tag): `done`, the customer as target, the new tag uid, not its text', async () => {
    newRecords();
    const tag = `audit-${randomUUID().slice(0, 8)}`;
    const result = await h.call('add_customer_tag', { customerId, tag });
    expect(result.isError).toBeFalsy();
    const records = newRecords();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      tenant: 'acme',
      tool: 'add_customer_tag',
      target: { customerId },
      outcome: 'done',
      upstreamIds: { customerTagsUid: result.structuredContent.tag.customerTagsUid },
    });
    expect(records[0]!.idempotencyKey).toBeUndefined();
    expect(JSON.stringify(records[0])).not.toContain(tag);
  });

  it('a write refused by our own checks is one record too (`refused`, invalid_argument); nobody is asked', async () => {
    newRecords();
    const result = await h.call('add_customer_tag', { customerId, tag: '' });
    expect(result.structuredContent.error.code).toBe('invalid_argument');
    expect(asked).toHaveLength(0);
    const records = newRecords();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ tool: 'add_customer_tag', outcome: 'refused', errorCode: 'invalid_argument', target: { customerId } });
    expect(records[0]!.argumentsDigest).toBeUndefined(); // only validated arguments are digested
  });

  it('no credential of either upstream is anywhere in the file', () => {
    const text = readFileSync(auditPath, 'utf8');
    expect(text.length).toBeGreaterThan(0);
    const site = SANDBOX_AUGUR_SITES.acme!;
    for (const secret of [acme.clientSecret, acme.apiKey, site.token]) expect(text).not.toContain(secret);
    for (const line of text.trim().split('\n')) {
      expect(Object.keys(JSON.parse(line)).every((key) => ['time', 'tenant', 'caller', 'tool', 'target', 'argumentsDigest', 'idempotencyKey', 'outcome', 'errorCode', 'upstreamStatus', 'upstreamIds', 'correlationId', 'traceId'].includes(key))).toBe(true);
    }
  });
});

describe('an audit file that cannot be written stops the write', () => {
  it('missing directory: audit_unavailable, nothing asked or sent, reads still work; once it exists, writes resume', async () => {
    const missing = join(dir, 'not-yet', 'audit.jsonl');
    const broken = await openAuditTrail(missing, createLogger('silent'));
    const s = await auditedServer(sandboxClients(sandbox), broken);
    expect((await s.call('lookup_user', { userId: 12345 })).isError).toBeFalsy();
    sandbox.clearRequests();

    for (const [tool, args] of [
      ['create_order', withPo()],
      ['add_customer_tag', { customerId, tag: 'never-sent' }],
    ] as const) {
      const result = await s.call(tool, args);
      expect(result.isError).toBe(true);
      expect(result.structuredContent.error.code).toBe('audit_unavailable');
      expect(result.structuredContent.error.message).toContain(`${tool} was not performed and nothing was sent`);
      expect(result.structuredContent.error.message).toContain('MCP_AUDIT_LOG');
    }
    expect(orderPosts()).toHaveLength(0);
    expect(augurWrites()).toHaveLength(0);
    expect(asked).toHaveLength(0);
    // The refusal is on the log stream (the file could not take it).
    expect(logLines.filter((line) => line.audit?.errorCode === 'audit_unavailable')).toHaveLength(2);

    mkdirSync(join(dir, 'not-yet'));
    const tagged = await s.call('add_customer_tag', { customerId, tag: `audit-${randomUUID().slice(0, 8)}` });
    expect(tagged.isError).toBeFalsy();
    const records = readFileSync(missing, 'utf8').trim().split('\n');
    expect(records).toHaveLength(1);
    expect(JSON.parse(records[0]!)).toMatchObject({ tool: 'add_customer_tag', outcome: 'done' });
    await broken.close();
  });

  it('a directory as the path fails for root too: audit_unavailable', async () => {
    const broken = await openAuditTrail(dir, createLogger('silent'));
    const s = await auditedServer(sandboxClients(sandbox), broken);
    const result = await s.call('add_customer_tag', { customerId, tag: 'never-sent' });
    expect(result.structuredContent.error.code).toBe('audit_unavailable');
    expect(augurWrites()).toHaveLength(0);
    await broken.close();
  });
});

describe('the built CLI (stdio, sandbox mode)', () => {
  it('MCP_AUDIT_LOG: one record per write with caller acme, the same record on stderr at info, none for reads', async () => {
    const path = join(dir, 'stdio-audit.jsonl');
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, '--sandbox'], env: cleanEnv({ MCP_AUDIT_LOG: path }), stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (d) => (stderr += d));
    const client = new Client({ name: 'audit-stdio-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      expect((await client.callTool({ name: 'list_customer_tags', arguments: { customerId } })).isError).toBeFalsy();
      const added = await client.callTool({ name: 'add_customer_tag', arguments: { customerId, tag: 'stdio-audit' } });
      expect(added.isError, JSON.stringify(added)).toBeFalsy();
      const tagUid = (added.structuredContent as Structured).tag.customerTagsUid;
      const lines = readFileSync(path, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(1);
      const record = JSON.parse(lines[0]!);
      expect(record).toMatchObject({ tenant: 'acme', caller: 'acme', tool: 'add_customer_tag', target: { customerId }, outcome: 'done', upstreamIds: { customerTagsUid: tagUid } });
      const logged = stderr.split('\n').filter((line) => line.includes('"audit"')).map((line) => JSON.parse(line));
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ level: 30, audit: record });
    } finally {
      await client.close();
    }
  });
});

describe('Streamable HTTP (stateless, two tenants, one file)', () => {
  it("each record names the tenant of the call's API key", async () => {
    const path = join(dir, 'http-audit.jsonl');
    const audit = await openAuditTrail(path, createLogger('silent'));
    const server = await startHttpServer({ tenants: sandboxTenants(sandbox), log: createLogger('silent'), port: 0, stateless: true, mcp: { audit } });
    try {
      for (const tenant of ['acme', 'globex'] as const) {
        const client = await connectHttp(server.url, SANDBOX_API_KEYS[tenant]);
        const id = SANDBOX_AUGUR_FIXTURES[tenant].customerId;
        const added = await client.call('add_customer_tag', { customerId: id, tag: `http-${tenant}` });
        expect(added.isError, JSON.stringify(added.structuredContent)).toBeFalsy();
        await client.close();
      }
      const records = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Structured);
      expect(records.map((r) => [r.tenant, r.caller, r.target.customerId, r.outcome])).toEqual([
        ['acme', 'acme', SANDBOX_AUGUR_FIXTURES.acme.customerId, 'done'],
        ['globex', 'globex', SANDBOX_AUGUR_FIXTURES.globex.customerId, 'done'],
      ]);
    } finally {
      await server.close();
      await audit.close();
    }
  });
});
