import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  EmptyResultSchema,
  LoggingMessageNotificationSchema,
  type LoggingMessageNotification,
  type SetLevelRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpServerHandle } from '../src/http/server.js';
import { SANDBOX_API_KEYS, sandboxTenants } from '../src/http/tenants.js';
import { createLogger, type Logger } from '../src/logger.js';
import { SANDBOX_PARTSSOURCE_CREDENTIALS, startSandbox, type FaultRule, type Sandbox } from '../src/sandbox/index.js';
import { startHarness, type Harness, type Structured } from './support/harness.js';
import { connectHttp, ok, type HttpClient } from './support/http.js';

/**
 * Logging to the MCP client: what happens on the way to the upstream (retries, Retry-After waits, the circuit
 * breaker, a token refresh) reaches the client as notifications/message at or above its threshold, with the
 * call's correlationId, and stderr (pino) as well, whatever the client's threshold.
 */

type Message = LoggingMessageNotification['params'] & { data: Structured };

const LOOKUP = '^/customer/users/lookup$';
const ONE_503: FaultRule = { api: 'partssource', path: LOOKUP, status: 503, times: 1 };
const SECRETS = [
  SANDBOX_PARTSSOURCE_CREDENTIALS.acme.clientSecret,
  SANDBOX_PARTSSOURCE_CREDENTIALS.acme.apiKey,
  SANDBOX_API_KEYS.acme,
  'Bearer',
];

/** A pino logger whose JSON lines (what stderr would get) are kept for the test to read. */
function capturedLog(): { log: Logger; lines: () => Structured[] } {
  const raw: string[] = [];
  const log = createLogger('debug', { write: (line: string) => void raw.push(line) });
  return { log, lines: () => raw.map((line) => JSON.parse(line) as Structured) };
}

/** Collects the client's log notifications. */
function received(client: Client): Message[] {
  const messages: Message[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void messages.push(n.params as Message));
  return messages;
}

const expectNoSecrets = (what: unknown) => {
  const text = JSON.stringify(what);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
};

describe('log notifications over the in-memory transport', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function start() {
    const captured = capturedLog();
    h = await startHarness({ log: captured.log, clientTimeoutMs: 2_000, toolTimeoutMs: 8_000 });
    await h.call('lookup_user', { userId: 12345 }); // the token is cached before any fault
    return { h, messages: received(h.client), stderr: captured.lines };
  }

  it('a 503 once on a read: the call succeeds and the client gets a warning with the same correlationId; stderr too', async () => {
    const { h, messages, stderr } = await start();
    h.sandbox.faults.add(ONE_503);
    const result = await h.call('lookup_user', { userId: 12345 });
    expect(ok(result).user.contactId).toBe(12345);
    const correlationId = result.structuredContent.correlationId as string;

    expect(messages).toHaveLength(1); // the default threshold (warning) lets no debug message through
    const [warning] = messages;
    expect(warning).toMatchObject({
      level: 'warning',
      logger: 'partssource',
      data: {
        event: 'retry',
        correlationId,
        method: 'GET',
        path: '/users/lookup',
        attempt: 2,
        maxAttempts: 4,
        reason: 'HTTP 503',
        status: 503,
        retryAfter: false,
      },
    });
    expect(warning!.data.delayMs).toBeGreaterThanOrEqual(0);
    expect(warning!.data.delayMs).toBeLessThanOrEqual(250); // full jitter of the first backoff step
    expect(warning!.data.message).toMatch(/^GET \/users\/lookup: HTTP 503; retrying in \d+ ms \(attempt 2 of 4\)$/);
    expectNoSecrets(messages);

    // The upstream saw the same id on both attempts.
    const attempts = h.apiRequests().filter((r) => r.headers['x-correlation-id'] === correlationId);
    expect(attempts).toHaveLength(2);

    const logged = stderr().filter((l) => l.event === 'retry');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 40, correlationId, tool: 'lookup_user', upstream: 'partssource', status: 503, attempt: 2 });
    expect(logged[0]!.msg).toBe(warning!.data.message);
    expectNoSecrets(stderr());
  });

  it("after setLoggingLevel('error') the same fault sends no notification, while stderr still gets the warning", async () => {
    const { h, messages, stderr } = await start();
    await h.client.setLoggingLevel('error');
    h.sandbox.faults.add(ONE_503);
    const result = await h.call('lookup_user', { userId: 12345 });
    expect(ok(result).user.contactId).toBe(12345);
    expect(h.sandbox.faults.rules).toHaveLength(1);
    expect(h.apiRequests().filter((r) => r.headers['x-correlation-id'] === result.structuredContent.correlationId)).toHaveLength(2);
    expect(messages).toEqual([]);
    expect(stderr().filter((l) => l.event === 'retry' && l.correlationId === result.structuredContent.correlationId)).toHaveLength(1);
  });

  it("setLoggingLevel('debug') also sends each upstream answer; an unknown level is refused with InvalidParams", async () => {
    const { h, messages } = await start();
    await h.client.setLoggingLevel('debug');
    const result = await h.call('lookup_user', { userId: 12345 });
    expect(messages).toEqual([
      {
        level: 'debug',
        logger: 'partssource',
        data: expect.objectContaining({ event: 'response', correlationId: result.structuredContent.correlationId, status: 200, attempts: 1 }),
      },
    ]);
    const unknownLevel = { method: 'logging/setLevel', params: { level: 'verbose' } } as unknown as SetLevelRequest;
    await expect(h.client.request(unknownLevel, EmptyResultSchema))
      .rejects.toMatchObject({ code: -32602, message: expect.stringContaining('use one of debug, info, notice, warning') });
  });

  it('a Retry-After wait is announced before the wait, with the delay the upstream asked for', async () => {
    const { h, messages } = await start();
    h.sandbox.faults.add({ api: 'partssource', path: LOOKUP, status: 429, retryAfterSeconds: 1, times: 1 });
    const started = performance.now();
    const result = await h.call('lookup_user', { userId: 12345 });
    expect(ok(result).user.contactId).toBe(12345);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      level: 'warning',
      data: { event: 'retry', correlationId: result.structuredContent.correlationId, status: 429, retryAfter: true, delayMs: 1000 },
    });
    expect(messages[0]!.data.message).toContain('waiting 1000 ms as its Retry-After asks, then attempt 2 of 4');
  });

  it('a 401 is reported as a token refresh, without the token', async () => {
    const { h, messages, stderr } = await start();
    const tokensBefore = h.tokenRequests().length;
    h.sandbox.faults.add({ api: 'partssource', path: LOOKUP, status: 401, times: 1 });
    const result = await h.call('lookup_user', { userId: 12345 });
    expect(ok(result).user.contactId).toBe(12345);
    expect(h.tokenRequests().length).toBe(tokensBefore + 1);
    expect(messages).toEqual([
      {
        level: 'warning',
        logger: 'partssource',
        data: expect.objectContaining({ event: 'token_refresh', correlationId: result.structuredContent.correlationId, status: 401 }),
      },
    ]);
    expect(messages[0]!.data.message).toBe('GET /users/lookup: PartsSource refused the access token (HTTP 401); fetching a new one and retrying once');
    expectNoSecrets(messages);
    expectNoSecrets(stderr());
    // The token itself appears nowhere (the sandbox saw it in the Authorization header).
    const token = (h.apiRequests().at(-1)!.headers.authorization as string).replace(/^Bearer /, '');
    expect(JSON.stringify(messages)).not.toContain(token);
    expect(JSON.stringify(stderr())).not.toContain(token);
  });

  it('the circuit opening is a notification, and so is each call that then fails fast', async () => {
    const { h, messages, stderr } = await start();
    // Retry-After: 0 keeps the retries instant; each call is 4 attempts and counts as one failure.
    h.sandbox.faults.add({ api: 'partssource', path: LOOKUP, status: 503, retryAfterSeconds: 0 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const result = await h.call('lookup_user', { userId: 12345 });
      expect(result.structuredContent.error.code).toBe('upstream_unavailable');
      ids.push(result.structuredContent.correlationId as string);
    }
    const opened = messages.filter((m) => m.data.event === 'circuit_opened');
    expect(opened).toEqual([
      {
        level: 'warning',
        logger: 'partssource',
        data: expect.objectContaining({ correlationId: ids[4], failures: 5, coolDownMs: 30_000 }),
      },
    ]);
    expect(opened[0]!.data.message).toBe('PartsSource failed 5 calls in a row: its circuit is open, calls fail fast for 30 s');
    expect(messages.filter((m) => m.data.event === 'retry')).toHaveLength(15); // 3 retries for each of the 5 calls

    const sent = h.apiRequests().length;
    const fast = await h.call('lookup_user', { userId: 12345 });
    expect(fast.structuredContent.error.code).toBe('upstream_unavailable');
    expect(h.apiRequests().length).toBe(sent); // nothing was sent
    expect(messages.at(-1)).toMatchObject({
      level: 'warning',
      data: { event: 'circuit_open', correlationId: fast.structuredContent.correlationId, failures: 5 },
    });
    expect(messages.at(-1)!.data.message).toMatch(/^GET \/users\/lookup not sent: the PartsSource circuit is open after 5 failed calls in a row/);
    expect(stderr().filter((l) => l.event === 'circuit_opened' || l.event === 'circuit_open')).toHaveLength(2);
  });
});

describe('log notifications over Streamable HTTP', () => {
  let sandbox: Sandbox | undefined;
  let server: HttpServerHandle | undefined;
  const open: HttpClient[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close().catch(() => {})));
    await server?.close();
    await sandbox?.close();
    server = sandbox = undefined;
  });

  async function start(stateless: boolean) {
    sandbox = await startSandbox();
    const captured = capturedLog();
    server = await startHttpServer({ tenants: sandboxTenants(sandbox, { timeoutMs: 5_000 }), log: captured.log, port: 0, stateless });
    const connect = async () => {
      const c = await connectHttp(server!.url, SANDBOX_API_KEYS.acme);
      open.push(c);
      await c.call('lookup_user', { userId: 12345 }); // token cached
      return { ...c, messages: received(c.client) };
    };
    return { sandbox, connect, stderr: captured.lines };
  }

  it('stateless: the warning travels on the POST with the result; a setLevel is not remembered, the default applies', async () => {
    const { sandbox, connect, stderr } = await start(true);
    const c = await connect();
    expect(c.transport.sessionId).toBeUndefined();
    sandbox.faults.add(ONE_503);
    const result = await c.call('lookup_user', { userId: 12345 });
    expect(ok(result).user.contactId).toBe(12345);
    expect(c.messages).toHaveLength(1);
    expect(c.messages[0]).toMatchObject({
      level: 'warning',
      logger: 'partssource',
      data: { event: 'retry', correlationId: result.structuredContent.correlationId, status: 503, attempt: 2 },
    });
    expectNoSecrets(c.messages);

    // No session keeps the level: the next request has a server of its own, at the default threshold.
    await c.client.setLoggingLevel('error');
    sandbox.faults.add(ONE_503);
    const again = await c.call('lookup_user', { userId: 12345 });
    expect(c.messages).toHaveLength(2);
    expect(c.messages[1]!.data.correlationId).toBe(again.structuredContent.correlationId);

    const logged = stderr().filter((l) => l.event === 'retry');
    expect(logged.map((l) => l.correlationId)).toEqual([result.structuredContent.correlationId, again.structuredContent.correlationId]);
    expect(logged[0]).toMatchObject({ level: 40, tenant: 'acme', tool: 'lookup_user' });
  });

  it('stateful: each session keeps its own level', async () => {
    const { sandbox, connect } = await start(false);
    const quiet = await connect();
    const chatty = await connect();
    expect(quiet.transport.sessionId).not.toBe(chatty.transport.sessionId);
    await quiet.client.setLoggingLevel('error');
    for (const c of [quiet, chatty]) {
      sandbox.faults.add(ONE_503);
      expect(ok(await c.call('lookup_user', { userId: 12345 })).user.contactId).toBe(12345);
    }
    expect(quiet.messages).toEqual([]);
    expect(chatty.messages).toHaveLength(1);
    expect(chatty.messages[0]).toMatchObject({ level: 'warning', data: { event: 'retry', status: 503 } });
  });
});
