import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_PARTSSOURCE_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { CLI, cleanEnv } from './support/cli.js';
import type { Structured } from './support/harness.js';
import { startHostileUpstream, type HostileUpstream } from './support/hostile-upstream.js';
import { holdOrderPosts } from './support/hostile-modes/stdio-drain.js';

/**
 * Issue 14, item 8: on stdio, the end of stdin, SIGTERM and SIGINT let the calls in flight finish and write their
 * results before the process exits. The built CLI is spawned over real stdio (raw JSON-RPC lines), in live mode
 * against the sandbox behind the hostile upstream, which holds every order POST for a while (the upstream is slow
 * to place it). What counts: the create_order in flight reports its order and key on stdout, the sandbox holds
 * exactly one order, the exit code is 0, and stdout carries nothing but JSON-RPC.
 */

const acme = SANDBOX_PARTSSOURCE_CREDENTIALS.acme;
const ORDER = { requesterId: 12345, facilityId: 1001, shippingAddressId: 2001, billingAddressId: 3001, shippingMethod: 'GROUND' };

let sandbox: Sandbox;
let hostile: HostileUpstream;
const children = new Set<ChildProcessWithoutNullStreams>();

beforeAll(async () => {
  sandbox = await startSandbox();
  hostile = await startHostileUpstream(sandbox.origin);
});
afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
  hostile.setModes();
});
afterAll(async () => {
  await hostile?.close();
  await sandbox?.close();
});

interface Rpc {
  jsonrpc: string;
  id?: number;
  method?: string;
  result?: { isError?: boolean; structuredContent: Structured };
  error?: { code: number; message: string };
}

/** The built CLI over stdio, spoken to in raw JSON-RPC lines. */
function spawnStdio(args: string[] = []) {
  const env = cleanEnv({
    PARTSSOURCE_CLIENT_ID: acme.clientId,
    PARTSSOURCE_CLIENT_SECRET: acme.clientSecret,
    PARTSSOURCE_API_KEY: acme.apiKey,
    PARTSSOURCE_BASE_URL: `${hostile.origin}/partssource/customer`,
    PARTSSOURCE_TOKEN_URL: `${hostile.origin}/partssource/oauth2/token`,
    LOG_LEVEL: 'debug',
  });
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const messages = () =>
    stdout
      .slice(0, stdout.lastIndexOf('\n') + 1)
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as Rpc);
  const until = (what: string, done: () => boolean, timeoutMs = 30_000) =>
    new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const check = () => {
        if (done()) return resolve();
        if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}; stderr: ${stderr.slice(-3000)}`));
        setTimeout(check, 20);
      };
      check();
    });
  const response = async (id: number) => {
    await until(`the response to ${id}`, () => messages().some((m) => m.id === id));
    return messages().find((m) => m.id === id)!;
  };
  const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
  const call = (id: number, name: string, args: object) => send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
  return {
    child,
    send,
    call,
    response,
    until,
    exited,
    stderr: () => stderr,
    /** Every stdout line, each checked to be a JSON-RPC 2.0 message. */
    lines: () => {
      const lines = stdout.split('\n').filter((line) => line.length > 0);
      for (const line of lines) expect((JSON.parse(line) as Rpc).jsonrpc, line).toBe('2.0');
      return lines;
    },
    async initialize(capabilities: object = {}) {
      send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities, clientInfo: { name: 'raw', version: '1' } } });
      expect((await response(1)).result).toBeDefined();
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    },
  };
}

/** create_order arguments for CAT-100's plain price option, read through the tools (id 2). */
async function orderArgs(stdio: ReturnType<typeof spawnStdio>, poNumber: string, idempotencyKey?: string) {
  stdio.call(2, 'get_part_detail', { productId: 'CAT-100', requesterId: 12345 });
  const detail = await stdio.response(2);
  expect(detail.result?.isError, JSON.stringify(detail)).toBeFalsy();
  const option = detail.result!.structuredContent.part.options.find((o: Structured) => !o.requiredFields?.length);
  const item = { priceOptionId: option.priceOptionId, productId: 'CAT-100', quantity: 1, price: option.price };
  return { ...ORDER, poNumber, items: [item], ...(idempotencyKey ? { idempotencyKey } : {}) };
}

/** Orders the sandbox placed with this PO number (replays of a stored order not counted). */
const ordersPlaced = (poNumber: string) =>
  sandbox.requests.filter(
    (r) =>
      r.api === 'partssource' &&
      r.method === 'POST' &&
      r.path === '/customer/orders' &&
      r.status === 201 &&
      r.responseHeaders['idempotent-replayed'] !== 'true' &&
      (r.body as Structured | undefined)?.poNumber === poNumber,
  ).length;

describe('stdio drains on shutdown: the create_order in flight reports its order before the process exits', { timeout: 90_000 }, () => {
  const triggers = {
    'stdin closed': (stdio: ReturnType<typeof spawnStdio>) => stdio.child.stdin.end(),
    SIGTERM: (stdio: ReturnType<typeof spawnStdio>) => stdio.child.kill('SIGTERM'),
    SIGINT: (stdio: ReturnType<typeof spawnStdio>) => stdio.child.kill('SIGINT'),
  } as const;

  for (const [name, trigger] of Object.entries(triggers)) {
    it(`${name} while the order POST is held upstream → its result (order + key) on stdout, one order, exit 0`, async () => {
      const held = holdOrderPosts(1_500);
      hostile.setModes(held.mode);
      const stdio = spawnStdio();
      await stdio.initialize();
      const poNumber = `PO-DRAIN-${randomUUID().slice(0, 8)}`;
      stdio.call(3, 'create_order', await orderArgs(stdio, poNumber));
      await stdio.until('the order POST to reach the upstream', () => held.arrived === 1);
      trigger(stdio);
      if (name !== 'stdin closed') {
        // A request after the shutdown began is refused at once, with nothing done.
        await stdio.until('the shutdown to begin', () => stdio.stderr().includes('shutting down'));
        stdio.call(4, 'lookup_user', { userId: 12345 });
        const refused = await stdio.response(4);
        expect(refused.error?.code).toBe(-32000);
        expect(refused.error?.message).toMatch(/shutting down/);
      }
      const code = await stdio.exited;
      expect(code).toBe(0);
      expect(held.released).toBe(1);
      const placed = await stdio.response(3);
      expect(placed.result?.isError, JSON.stringify(placed)).toBeFalsy();
      expect(placed.result!.structuredContent.order).toMatchObject({ poNumber });
      expect(placed.result!.structuredContent.order.orderId).toBeGreaterThan(0);
      expect(placed.result!.structuredContent.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
      expect(ordersPlaced(poNumber)).toBe(1);
      // stdout: initialize, get_part_detail, create_order (+ the refusal), nothing else.
      expect(stdio.lines()).toHaveLength(name === 'stdin closed' ? 3 : 4);
      expect(stdio.stderr()).toMatch(/"msg":"stopped"/);
    });
  }

  it('a call that outlasts the grace is cancelled and answers timeout before the exit; the same key in a new process gets that order, placed once', async () => {
    const held = holdOrderPosts(8_000);
    hostile.setModes(held.mode);
    const stdio = spawnStdio(['--shutdown-grace-ms', '500']);
    await stdio.initialize();
    const poNumber = `PO-DRAIN-LATE-${randomUUID().slice(0, 8)}`;
    const idempotencyKey = randomUUID();
    const args = await orderArgs(stdio, poNumber, idempotencyKey);
    stdio.call(3, 'create_order', args);
    await stdio.until('the order POST to reach the upstream', () => held.arrived === 1);
    stdio.child.kill('SIGTERM');
    expect(await stdio.exited).toBe(0);
    // Exited without waiting for the upstream, yet the call's answer was written first.
    expect(held.released).toBe(0);
    const cancelled = await stdio.response(3);
    expect(cancelled.result?.isError).toBe(true);
    expect(cancelled.result!.structuredContent.error).toMatchObject({ code: 'timeout', retryable: true });
    expect(typeof cancelled.result!.structuredContent.correlationId).toBe('string');
    expect(stdio.lines()).toHaveLength(3);
    expect(stdio.stderr()).toMatch(/shutdown grace passed: cancelling/);

    // The upstream commits the held order late; the agent's retry with the same key returns it, placed once.
    await stdio.until('the held order to be placed', () => held.released === 1, 20_000);
    hostile.setModes();
    const retry = spawnStdio();
    await retry.initialize();
    retry.call(2, 'create_order', args);
    const replayed = await retry.response(2);
    expect(replayed.result?.isError, JSON.stringify(replayed)).toBeFalsy();
    expect(replayed.result!.structuredContent).toMatchObject({ idempotencyKey, replayed: true, order: { poNumber } });
    expect(ordersPlaced(poNumber)).toBe(1);
    retry.child.stdin.end();
    expect(await retry.exited).toBe(0);
  });

  it('a call that ignores the cancel (waiting for a human who never confirms) gets one JSON-RPC error -32001, nothing is sent upstream', async () => {
    const held = holdOrderPosts(8_000);
    hostile.setModes(held.mode);
    const stdio = spawnStdio(['--shutdown-grace-ms', '300']);
    await stdio.initialize({ elicitation: {} });
    const poNumber = `PO-DRAIN-UNCONFIRMED-${randomUUID().slice(0, 8)}`;
    stdio.call(3, 'create_order', await orderArgs(stdio, poNumber));
    // The server asks this client to confirm (elicitation/create); the test never answers.
    await stdio.until('the confirmation request', () => stdio.lines().some((line) => line.includes('"elicitation/create"')));
    stdio.child.kill('SIGTERM');
    expect(await stdio.exited).toBe(0);
    const unanswered = await stdio.response(3);
    expect(unanswered.error?.code).toBe(-32001);
    expect(unanswered.error?.message).toMatch(/outcome is unknown/);
    // Exactly one response to the call, though the tool ended (declined) when the connection closed.
    const lines = stdio.lines().map((line) => JSON.parse(line) as Rpc);
    expect(lines.filter((m) => m.id === 3 && m.method === undefined)).toHaveLength(1);
    expect(held.arrived).toBe(0);
    expect(ordersPlaced(poNumber)).toBe(0);
  });
});
