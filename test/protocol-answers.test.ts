import { spawn } from 'node:child_process';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionEventStore } from '../src/http/event-store.js';
import { KNOWN_REVISIONS } from '../src/http/protocol-version.js';
import { startHttpServer, type HttpServerHandle } from '../src/http/server.js';
import { SANDBOX_API_KEYS, sandboxTenants } from '../src/http/tenants.js';
import { silentLogger } from '../src/logger.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { CLI, cleanEnv } from './support/cli.js';
import type { Structured } from './support/harness.js';
import { MCP_HEADERS, callBody, connectHttp, rawRequest, type RawResponse } from './support/http.js';
import { sseRequest } from './support/sse.js';

const AUTH = { authorization: `Bearer ${SANDBOX_API_KEYS.acme}` };
const HEADERS = { ...MCP_HEADERS, ...AUTH };

const initialize = (protocolVersion: string, id = 1) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

/** The one JSON-RPC message of an answer, whether it came as JSON or as an SSE stream. */
function messageOf(res: RawResponse): Structured {
  if (!String(res.headers['content-type']).includes('text/event-stream')) return res.json();
  const data = res.text
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line.length > 'data: '.length)
    .map((line) => JSON.parse(line.slice('data: '.length)) as Structured);
  expect(data, res.text).toHaveLength(1);
  return data[0]!;
}

describe('protocol answers of the Streamable HTTP server (raw requests, in process, against the sandbox)', () => {
  let sandbox: Sandbox;
  let stateful: HttpServerHandle;
  let stateless: HttpServerHandle;

  beforeAll(async () => {
    sandbox = await startSandbox();
    const tenants = sandboxTenants(sandbox, { timeoutMs: 15_000 });
    stateful = await startHttpServer({ tenants, log: silentLogger(), port: 0 });
    stateless = await startHttpServer({ tenants, log: silentLogger(), port: 0, stateless: true });
  });
  afterAll(async () => {
    await stateful?.close();
    await stateless?.close();
    await sandbox?.close();
  });

  /** A session opened with a raw initialize at `version`; returns its id and the version the server agreed to. */
  async function openSession(version: string): Promise<{ session: string; agreed: string }> {
    const res = await rawRequest(stateful.url, { method: 'POST', headers: HEADERS, body: initialize(version) });
    expect(res.status, res.text).toBe(200);
    const session = res.headers['mcp-session-id'] as string;
    const agreed = messageOf(res).result.protocolVersion as string;
    await rawRequest(stateful.url, {
      method: 'POST',
      headers: { ...HEADERS, 'mcp-session-id': session, 'mcp-protocol-version': agreed },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    });
    return { session, agreed };
  }

  describe('15: JSON that is not JSON-RPC, params, ids, Accept, error bodies', () => {
    it('valid JSON that is not a JSON-RPC message is -32600 Invalid Request (400), not -32700; only broken JSON is -32700', async () => {
      const cases: Array<[string, string, number | undefined]> = [
        ['{"id":1,"method":"ping"}', 'Invalid Request: "jsonrpc" must be "2.0"', 1],
        ['{}', 'Invalid Request: "jsonrpc" must be "2.0"', undefined],
        ['true', 'Invalid Request: a JSON-RPC message is a JSON object, not the boolean true', undefined],
        ['"ping"', 'Invalid Request: a JSON-RPC message is a JSON object, not the string "ping"', undefined],
        ['{"jsonrpc":"2.0","id":1.5,"method":"ping"}', 'Invalid Request: "id" must be a string or an integer, not the fraction 1.5', undefined],
        ['{"jsonrpc":"2.0","id":null,"method":"ping"}', 'Invalid Request: "id" must be a string or an integer, not null', undefined],
        ['{"jsonrpc":"2.0","id":2,"method":7}', 'Invalid Request: "method" must be a string', 2],
        ['{"jsonrpc":"2.0","id":3}', 'Invalid Request: a message has "method" (a request or notification) or "result"/"error" (a response)', 3],
        ['{"jsonrpc":"2.0","id":4,"method":"ping","extra":1}', 'Invalid Request: Unrecognized key: "extra"', 4],
      ];
      for (const server of [stateful, stateless]) {
        for (const [body, message, id] of cases) {
          const res = await rawRequest(server.url, { method: 'POST', headers: HEADERS, body });
          expect(res.status, body).toBe(400);
          const answer = res.json();
          expect(answer, body).toEqual({ jsonrpc: '2.0', ...(id !== undefined ? { id } : {}), error: { code: -32600, message } });
        }
        const broken = await rawRequest(server.url, { method: 'POST', headers: HEADERS, body: '{"jsonrpc":' });
        expect(broken.status).toBe(400);
        expect(broken.json()).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: Invalid JSON' } });
      }
    });

    it('an integer id beyond 2^53 is -32600 (it cannot be echoed exactly); the largest safe integer is answered with itself', async () => {
      const big = await rawRequest(stateless.url, { method: 'POST', headers: HEADERS, body: '{"jsonrpc":"2.0","id":9007199254740993,"method":"ping"}' });
      expect(big.status).toBe(400);
      const answer = big.json();
      expect(answer.error.code).toBe(-32600);
      expect(answer.error.message).toMatch(/beyond ±\(2\^53−1\).*use a string id or a smaller integer/);
      expect('id' in answer).toBe(false);

      const safe = await rawRequest(stateless.url, { method: 'POST', headers: HEADERS, body: '{"jsonrpc":"2.0","id":9007199254740991,"method":"ping"}' });
      expect(safe.status).toBe(200);
      expect(safe.text).toContain('"id":9007199254740991');
      expect(messageOf(safe)).toEqual({ jsonrpc: '2.0', id: 9007199254740991, result: {} });
    });

    it('tools/call with params {} or an array as arguments is -32602 with a sentence (was -32603 with a zod dump); so is logging/setLevel without params', async () => {
      const cases: Array<[unknown, string]> = [
        [{}, 'MCP error -32602: Invalid params for tools/call: params.name: expected string, received undefined'],
        [{ name: 'lookup_user', arguments: [12345] }, 'MCP error -32602: Invalid params for tools/call: params.arguments: expected object, received array'],
        [undefined, 'MCP error -32602: Invalid params for tools/call: params: expected object, received undefined'],
      ];
      const { session, agreed } = await openSession(LATEST_PROTOCOL_VERSION);
      const inSession = { ...HEADERS, 'mcp-session-id': session, 'mcp-protocol-version': agreed };
      for (const [server, headers] of [[stateful, inSession], [stateless, HEADERS]] as const) {
        for (const [params, message] of cases) {
          const res = await rawRequest(server.url, {
            method: 'POST',
            headers,
            body: JSON.stringify({ jsonrpc: '2.0', id: 11, method: 'tools/call', ...(params !== undefined ? { params } : {}) }),
          });
          expect(res.status).toBe(200);
          expect(messageOf(res)).toEqual({ jsonrpc: '2.0', id: 11, error: { code: -32602, message } });
        }
        const setLevel = await rawRequest(server.url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 12, method: 'logging/setLevel' }) });
        expect(messageOf(setLevel).error).toEqual({
          code: -32602,
          message: 'MCP error -32602: Invalid params for logging/setLevel: params: expected object, received undefined',
        });
      }
      // A valid call still works in the same session.
      const call = await rawRequest(stateful.url, { method: 'POST', headers: inSession, body: callBody('lookup_user', { userId: 12345 }) });
      expect(messageOf(call).result.structuredContent.user.contactId).toBe(12345);
    });

    it('initialize without params is -32602 with what it needs (was "send initialize first"), with its id', async () => {
      for (const server of [stateful, stateless]) {
        for (const params of [undefined, {}, { protocolVersion: LATEST_PROTOCOL_VERSION }]) {
          const res = await rawRequest(server.url, {
            method: 'POST',
            headers: HEADERS,
            body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'initialize', ...(params ? { params } : {}) }),
          });
          expect(res.status).toBe(400);
          const answer = res.json();
          expect(answer.id).toBe(5);
          expect(answer.error.code).toBe(-32602);
          expect(answer.error.message).toMatch(/^Invalid params: initialize needs params \{protocolVersion, capabilities, clientInfo: \{name, version\}\}; params/);
          expect(res.headers['mcp-session-id']).toBeUndefined();
        }
      }
      expect(stateful.stats().sessions).toBeGreaterThanOrEqual(0);
    });

    it('Accept: */* (and application/*, text/* ranges) satisfies JSON and SSE; q=0 and a missing type get 406', async () => {
      for (const accept of ['*/*', 'application/*, text/*', 'text/event-stream;q=0.5, application/json;q=0.9', 'APPLICATION/JSON, TEXT/EVENT-STREAM']) {
        const res = await rawRequest(stateless.url, { method: 'POST', headers: { ...HEADERS, accept }, body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' });
        expect(res.status, accept).toBe(200);
        expect(messageOf(res)).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
      }
      for (const accept of ['application/json', 'text/event-stream', '*/*;q=0', 'text/html']) {
        const res = await rawRequest(stateless.url, { method: 'POST', headers: { ...HEADERS, accept }, body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' });
        expect(res.status, accept).toBe(406);
        expect(res.json()).toEqual({
          jsonrpc: '2.0',
          error: { code: -32000, message: 'Not Acceptable: the Accept header must allow both application/json and text/event-stream' },
        });
      }
      // GET (the session's stream) needs only SSE: */* opens it.
      const { session, agreed } = await openSession(LATEST_PROTOCOL_VERSION);
      const stream = await sseRequest(stateful.url, { headers: { ...AUTH, accept: '*/*', 'mcp-session-id': session, 'mcp-protocol-version': agreed } });
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toBe('text/event-stream');
      stream.drop();
      const refused = await rawRequest(stateful.url, { headers: { ...AUTH, accept: 'application/json', 'mcp-session-id': session } });
      expect(refused.status).toBe(406);
      expect(refused.json().error.message).toBe('Not Acceptable: the Accept header must allow text/event-stream');
    });

    it('HTTP error bodies have no "id" (MCP 2025-11-25: optional, never null): 401, 404, 405, 406, 415, 400', async () => {
      const { session } = await openSession(LATEST_PROTOCOL_VERSION);
      const answers = [
        await rawRequest(stateful.url, { method: 'POST', headers: MCP_HEADERS, body: callBody('lookup_user', { userId: 1 }) }),
        await rawRequest(stateful.url, { method: 'POST', headers: { ...HEADERS, 'mcp-session-id': 'no-such-session' }, body: callBody('lookup_user', { userId: 1 }) }),
        await rawRequest(stateless.url, { method: 'GET', headers: HEADERS }),
        await rawRequest(stateful.url, { method: 'POST', headers: { ...HEADERS, accept: 'text/html' }, body: '{}' }),
        await rawRequest(stateful.url, { method: 'POST', headers: { ...HEADERS, 'content-type': 'text/plain' }, body: '{}' }),
        await rawRequest(stateful.url, { method: 'POST', headers: HEADERS, body: callBody('lookup_user', { userId: 1 }) }),
        await rawRequest(stateful.url, { method: 'POST', headers: { ...HEADERS, 'mcp-session-id': session }, body: initialize(LATEST_PROTOCOL_VERSION, 8) }),
      ];
      expect(answers.map((a) => a.status)).toEqual([401, 404, 405, 406, 415, 400, 400]);
      expect(answers[4]!.json().error.message).toBe('Unsupported Media Type: the body must be sent as Content-Type: application/json');
      expect(answers[5]!.json().error.message).toBe('Bad Request: No valid session ID provided; send initialize first');
      expect(answers[6]!.json()).toEqual({
        jsonrpc: '2.0',
        error: { code: -32600, message: 'Invalid Request: this session is already initialized; to open another, send initialize without Mcp-Session-Id' },
      });
      for (const answer of answers) {
        const body = answer.json();
        expect(body.jsonrpc).toBe('2.0');
        expect(body.error).toMatchObject({ code: expect.any(Number), message: expect.any(String) });
        expect('id' in body, answer.text).toBe(false);
      }
    });
  });

  describe('16: protocol versions', () => {
    it('initialize agrees only to published revisions: 2024-10-07 and unknown ones get the latest, known ones are echoed', async () => {
      expect(KNOWN_REVISIONS).toEqual(['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05']);
      const cases: Array<[string, string]> = [
        ['2024-10-07', LATEST_PROTOCOL_VERSION],
        ['1999-01-01', LATEST_PROTOCOL_VERSION],
        ['2025-06-18', '2025-06-18'],
        ['2024-11-05', '2024-11-05'],
        [LATEST_PROTOCOL_VERSION, LATEST_PROTOCOL_VERSION],
      ];
      for (const server of [stateful, stateless]) {
        for (const [requested, agreed] of cases) {
          const res = await rawRequest(server.url, { method: 'POST', headers: HEADERS, body: initialize(requested) });
          expect(res.status).toBe(200);
          expect(messageOf(res).result.protocolVersion, `${requested} on ${server.stateless ? 'stateless' : 'stateful'}`).toBe(agreed);
        }
      }
      // The SDK client (which offers the latest) still agrees on it.
      const client = await connectHttp(stateful.url, SANDBOX_API_KEYS.acme);
      expect(client.transport.protocolVersion).toBe(LATEST_PROTOCOL_VERSION);
      await client.close();
    });

    it('stdio negotiates the same way: 2024-10-07 gets the latest, 2025-06-18 is echoed', async () => {
      const child = spawn(process.execPath, [CLI, '--sandbox'], { env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.resume();
      try {
        const answers = () => stdout.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line) as Structured);
        child.stdin.write(`${initialize('2024-10-07', 1)}\n`);
        child.stdin.write(`${initialize('2025-06-18', 2)}\n`); // a second initialize on stdio is answered too
        const deadline = Date.now() + 20_000;
        while (answers().length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        const byId = new Map(answers().map((a) => [a.id, a]));
        expect(byId.get(1)?.result.protocolVersion).toBe(LATEST_PROTOCOL_VERSION);
        expect(byId.get(2)?.result.protocolVersion).toBe('2025-06-18');
      } finally {
        child.stdin.end();
        child.kill('SIGKILL');
      }
    });

    it('stateful: an MCP-Protocol-Version header other than the negotiated one is 400 on POST, GET and DELETE; the same one or none is accepted', async () => {
      const { session, agreed } = await openSession('2025-06-18');
      expect(agreed).toBe('2025-06-18');
      const base = { ...HEADERS, 'mcp-session-id': session };
      const ping = '{"jsonrpc":"2.0","id":21,"method":"ping"}';
      const expected = `Bad Request: MCP-Protocol-Version ${LATEST_PROTOCOL_VERSION} does not match the version this session negotiated (2025-06-18); send 2025-06-18, or initialize a new session`;
      for (const method of ['POST', 'GET', 'DELETE']) {
        const res = await rawRequest(stateful.url, { method, headers: { ...base, 'mcp-protocol-version': LATEST_PROTOCOL_VERSION }, ...(method === 'POST' ? { body: ping } : {}) });
        expect(res.status, method).toBe(400);
        expect(res.json(), method).toEqual({ jsonrpc: '2.0', error: { code: -32000, message: expected } });
      }
      const bogus = await rawRequest(stateful.url, { method: 'POST', headers: { ...base, 'mcp-protocol-version': '2024-10-07' }, body: ping });
      expect(bogus.status).toBe(400);
      for (const headers of [{ ...base, 'mcp-protocol-version': '2025-06-18' }, base]) {
        const res = await rawRequest(stateful.url, { method: 'POST', headers, body: ping });
        expect(res.status).toBe(200);
        expect(messageOf(res)).toEqual({ jsonrpc: '2.0', id: 21, result: {} });
      }
      // The session survived the refusals, and DELETE with the right version ends it.
      const ended = await rawRequest(stateful.url, { method: 'DELETE', headers: { ...base, 'mcp-protocol-version': '2025-06-18' } });
      expect(ended.status).toBe(200);
    });

    it('stateless: the header must be a published revision (2024-10-07 and unknown ones are 400); absent is accepted', async () => {
      const ping = '{"jsonrpc":"2.0","id":22,"method":"ping"}';
      for (const version of ['2024-10-07', '2026-99-99']) {
        const res = await rawRequest(stateless.url, { method: 'POST', headers: { ...HEADERS, 'mcp-protocol-version': version }, body: ping });
        expect(res.status).toBe(400);
        expect(res.json().error).toEqual({
          code: -32000,
          message: `Bad Request: unsupported MCP-Protocol-Version ${version}; supported: 2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05`,
        });
      }
      for (const headers of [{ ...HEADERS, 'mcp-protocol-version': '2025-03-26' }, HEADERS]) {
        const res = await rawRequest(stateless.url, { method: 'POST', headers, body: ping });
        expect(res.status).toBe(200);
      }
    });
  });

  describe('17: resumable POST streams (stateful)', () => {
    it('a POST stream starts with a priming event (id, retry: 1000, empty data); a client of 2025-06-18 gets none', async () => {
      const { session, agreed } = await openSession(LATEST_PROTOCOL_VERSION);
      const stream = await sseRequest(stateful.url, {
        method: 'POST',
        headers: { ...HEADERS, 'mcp-session-id': session, 'mcp-protocol-version': agreed },
        body: '{"jsonrpc":"2.0","id":31,"method":"ping"}',
      });
      const priming = await stream.next();
      expect(priming).toEqual({ id: expect.stringMatching(/^\d+_[0-9a-f-]{36}$/), retry: 1000, data: '' });
      const answer = await stream.next();
      expect(answer.id).toMatch(/^\d+_[0-9a-f-]{36}$/);
      expect(JSON.parse(answer.data)).toEqual({ jsonrpc: '2.0', id: 31, result: {} });

      // Without the header, the session's version applies (and so does priming).
      const bare = await sseRequest(stateful.url, { method: 'POST', headers: { ...HEADERS, 'mcp-session-id': session }, body: '{"jsonrpc":"2.0","id":32,"method":"ping"}' });
      expect((await bare.next()).retry).toBe(1000);

      const old = await openSession('2025-06-18');
      const oldStream = await sseRequest(stateful.url, {
        method: 'POST',
        headers: { ...HEADERS, 'mcp-session-id': old.session, 'mcp-protocol-version': '2025-06-18' },
        body: '{"jsonrpc":"2.0","id":33,"method":"ping"}',
      });
      const first = await oldStream.next();
      expect(first.retry).toBeUndefined();
      expect(JSON.parse(first.data)).toEqual({ jsonrpc: '2.0', id: 33, result: {} });
    });

    it('a tool call whose POST stream drops after the priming event is resumed with GET + Last-Event-ID: the result arrives, the upstream was called once', async () => {
      const { session, agreed } = await openSession(LATEST_PROTOCOL_VERSION);
      const headers = { ...HEADERS, 'mcp-session-id': session, 'mcp-protocol-version': agreed };
      sandbox.faults.add({ api: 'partssource', path: '^/customer/users/lookup$', latencyMs: 1_500, times: 1 });
      const mark = sandbox.requests.length;

      const post = await sseRequest(stateful.url, { method: 'POST', headers, body: callBody('lookup_user', { userId: 12345 }, 41) });
      const priming = await post.next();
      expect(priming.data).toBe('');
      post.drop(); // the network fails mid-call

      const resumed = await sseRequest(stateful.url, { headers: { ...headers, accept: 'text/event-stream', 'last-event-id': priming.id! } });
      expect(resumed.status).toBe(200);
      const event = await resumed.next(30_000);
      const message = JSON.parse(event.data) as Structured;
      expect(message.id).toBe(41);
      expect(message.result.isError).toBeFalsy();
      expect(message.result.structuredContent.user.contactId).toBe(12345);
      expect(event.id).toMatch(/^\d+_[0-9a-f-]{36}$/);
      resumed.drop();

      const lookups = sandbox.requests.slice(mark).filter((r) => r.path === '/customer/users/lookup');
      expect(lookups).toHaveLength(1);

      // Resuming again from the same point replays the same result (the store keeps it), still without a new call.
      const again = await sseRequest(stateful.url, { headers: { ...headers, accept: 'text/event-stream', 'last-event-id': priming.id! } });
      expect(JSON.parse((await again.next()).data).id).toBe(41);
      again.drop();
      expect(sandbox.requests.slice(mark).filter((r) => r.path === '/customer/users/lookup')).toHaveLength(1);
    });

    it('a Last-Event-ID the session never issued is 400 with what to do (not the SDK\'s "Invalid event ID format")', async () => {
      const { session, agreed } = await openSession(LATEST_PROTOCOL_VERSION);
      const other = await openSession(LATEST_PROTOCOL_VERSION);
      const stream = await sseRequest(stateful.url, {
        method: 'POST',
        headers: { ...HEADERS, 'mcp-session-id': other.session, 'mcp-protocol-version': agreed },
        body: '{"jsonrpc":"2.0","id":51,"method":"ping"}',
      });
      const othersEvent = (await stream.next()).id!;
      for (const lastEventId of ['nonsense', othersEvent]) {
        const res = await rawRequest(stateful.url, {
          headers: { ...AUTH, accept: 'text/event-stream', 'mcp-session-id': session, 'mcp-protocol-version': agreed, 'last-event-id': lastEventId },
        });
        expect(res.status).toBe(400);
        expect(res.json().error.message).toMatch(/^Bad Request: Last-Event-ID ".*" is not an event of this session that can still be replayed .*send GET without it for a new stream$/);
      }
    });

    it('the event store is bounded per session by count, bytes and age (the oldest go first)', async () => {
      let now = 0;
      const store = new SessionEventStore({ maxEvents: 3, maxBytes: 200, ttlMs: 1_000, now: () => now });
      const ping = (id: number) => ({ jsonrpc: '2.0' as const, id, method: 'ping' });
      const ids = [];
      for (let i = 1; i <= 4; i++) ids.push(await store.storeEvent('s', ping(i)));
      expect(store.size.events).toBe(3);
      expect(store.has(ids[0]!)).toBe(false);
      const replayed: unknown[] = [];
      expect(await store.replayEventsAfter(ids[1]!, { send: async (_id, m) => void replayed.push(m) })).toBe('s');
      expect(replayed).toEqual([ping(3), ping(4)]);

      await store.storeEvent('s', { jsonrpc: '2.0', id: 9, result: { text: 'x'.repeat(150) } });
      expect(store.size.bytes).toBeLessThanOrEqual(200);
      expect(store.size.events).toBe(1);

      now = 1_001;
      expect(store.has(ids[3]!)).toBe(false);
      expect(store.size.events).toBe(0);
    });
  });
});
