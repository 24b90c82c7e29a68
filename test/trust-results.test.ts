import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AugurClient } from '../src/clients/augur.js';
import { PartsSourceClient } from '../src/clients/partssource.js';
import { startHttpServer, type HttpServerHandle } from '../src/http/server.js';
import { SANDBOX_API_KEYS, sandboxTenants } from '../src/http/tenants.js';
import { MAX_LOG_LINE_CHARS } from '../src/logger.js';
import { SANDBOX_AUGUR_FIXTURES as FIX } from '../src/sandbox/augur/index.js';
import { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { createMcpServer } from '../src/server.js';
import { DEFAULT_MAX_RESULT_BYTES } from '../src/mcp/budget.js';
import { TOOLS, type Result } from './support/augur.js';
import { expectCorrelationId } from './support/harness.js';
import { startHostileUpstream, type HostileUpstream } from './support/hostile-upstream.js';
import {
  echoAugurToken,
  echoPartsSourceCredentials,
  echoSecretInData,
  deeplyNestedUser,
  echoTokenForm,
  hugeErrorMessage,
  hugeOptions,
  invisibleError,
  invisibleInStrings,
  VISIBLE,
} from './support/hostile-modes/results.js';
import { connectHttp } from './support/http.js';
import { captureLogs } from './support/logs.js';

/**
 * What comes back to the agent and into the logs when the upstream is hostile: bounded, free of invisible format
 * characters, free of credentials. Real sandbox behind a real hostile proxy, real server, SDK Client in memory (its
 * output-schema validation included), every log line captured at trace level and every JSON-RPC message measured.
 */

const ACME = SANDBOX_PARTSSOURCE_CREDENTIALS.acme;
const SITE = SANDBOX_AUGUR_SITES.acme;
const b64 = (text: string) => Buffer.from(text).toString('base64');
/** Format characters (Unicode Cf), the emoji ZWJ sequence we keep (👩‍💻) taken out first. */
const formatCharacters = (text: string) => [...text.replaceAll('👩‍💻', '').matchAll(/\p{Cf}/gu)].map((m) => `U+${m[0].codePointAt(0)!.toString(16)}`);

let sandbox: Sandbox;
let hostile: HostileUpstream;
const logs = captureLogs();
/** Every JSON-RPC message the server sent, as serialized. */
const sent: string[] = [];
let client: Client;
let partssource: PartsSourceClient;
let close: () => Promise<void>;

async function call(name: string, args: Record<string, unknown> = {}): Promise<Result & { bytes: number }> {
  const before = sent.length;
  const result = (await client.callTool({ name, arguments: args })) as Result;
  expectCorrelationId(result);
  const response = sent.slice(before).find((m) => m.includes('"result"'))!;
  return Object.assign(result, { bytes: Buffer.byteLength(response) });
}

beforeAll(async () => {
  sandbox = await startSandbox();
  hostile = await startHostileUpstream(sandbox.origin);
  partssource = new PartsSourceClient({
    baseUrl: `${hostile.origin}/partssource/customer`,
    tokenUrl: `${hostile.origin}/partssource/oauth2/token`,
    clientId: ACME.clientId,
    clientSecret: ACME.clientSecret,
    apiKey: ACME.apiKey,
    timeoutMs: 10_000,
  });
  const augur = new AugurClient({ baseUrl: `${hostile.origin}/augur`, token: SITE.token, siteId: SITE.siteId, timeoutMs: 10_000 });
  const server = createMcpServer({ clients: { partssource, augur }, log: logs.log, tools: TOOLS });
  client = new Client({ name: 'trust-results', version: '1.0.0' });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const send = serverTransport.send.bind(serverTransport);
  serverTransport.send = (message: JSONRPCMessage, options) => {
    sent.push(JSON.stringify(message));
    return send(message, options);
  };
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  await client.listTools(); // the client validates structured results against the output schemas from here on
  close = async () => {
    await client.close();
    await server.close();
  };
});

afterAll(async () => {
  await close?.();
  await hostile?.close();
  await sandbox?.close();
});

beforeEach(() => {
  hostile.setModes();
  hostile.clear();
});

/** A user, a part and its detail, through the hostile proxy (modes decide what comes back). */
async function partDetailArgs() {
  const user = await call('lookup_user', { userId: 12345 });
  const parts = await call('search_parts', { keyword: 'probe', limit: 1 });
  return { productId: parts.structuredContent.items[0].productId as string, requesterId: user.structuredContent.user.contactId as number };
}

describe('every result is bounded', () => {
  it('a 400 with a 5 MB message: the error body is read to 64 KB only, a result under 100 KB, short log lines, the process alive', async () => {
    hostile.setModes(hugeErrorMessage(/\/orders\/search$/, 5_000_000));
    const linesBefore = logs.lines.length;
    const result = await call('search_orders', { q: 'anything' });

    expect(result.isError).toBe(true);
    const error = result.structuredContent.error;
    expect(error.code).toBe('invalid_argument');
    expect(error.upstreamStatus).toBe(400);
    expect(result.bytes).toBeLessThan(10_000);
    // The body was cut at the 64 KB error-body cap, so it is no longer JSON: its start is the one message, bounded.
    expect(error.upstreamMessages).toHaveLength(1);
    expect(error.upstreamMessages[0]).toHaveLength(500);
    expect(error.upstreamMessages[0]).toMatch(/The request was refused because x+…$/);
    const text = (result.content[0] as { text: string }).text;
    expect(text.match(/refused because/g)).toHaveLength(1);
    const newLines = logs.lines.slice(linesBefore);
    for (const line of newLines) expect(line.length).toBeLessThan(MAX_LOG_LINE_CHARS);
    expect(newLines.join('\n').length).toBeLessThan(20_000);

    hostile.setModes();
    expect((await call('lookup_user', { userId: 12345 })).isError).toBeFalsy();
  });

  it('a 400 with a 60 KB message and 9 more: 5 messages of at most 500 characters, the words said once per form', async () => {
    hostile.setModes(hugeErrorMessage(/\/orders\/search$/, 60_000));
    const linesBefore = logs.lines.length;
    const result = await call('search_orders', { q: 'anything' });

    expect(result.isError).toBe(true);
    const error = result.structuredContent.error;
    expect(error.code).toBe('invalid_argument');
    expect(error.upstreamStatus).toBe(400);
    expect(result.bytes).toBeLessThan(100_000);
    expect(result.bytes).toBeLessThan(10_000); // measured: 1.7 KB
    // upstreamMessages: at most 5, each at most 500 characters, a cut one ending in "…", the rest counted.
    expect(error.upstreamMessages).toHaveLength(5);
    expect(error.upstreamMessages[0]).toMatch(/^The request was refused because x+…$/);
    expect(error.upstreamMessages[0]).toHaveLength(500);
    expect(error.upstreamMessages[4]).toBe('further problem 4 (and 5 more messages)');
    // The upstream's words: once in structuredContent (upstreamMessages), once in the text, never in `message`.
    const text = (result.content[0] as { text: string }).text;
    expect(error.message).not.toContain('refused because');
    expect(text.match(/refused because/g)).toHaveLength(1);
    expect(text).toContain('PartsSource said: The request was refused because xxx');
    expect(text).toContain(result.structuredContent.correlationId);

    const newLines = logs.lines.slice(linesBefore);
    expect(newLines.length).toBeGreaterThan(0);
    for (const line of newLines) expect(line.length).toBeLessThan(MAX_LOG_LINE_CHARS);
    expect(newLines.join('\n').length).toBeLessThan(20_000);

    hostile.setModes();
    const after = await call('lookup_user', { userId: 12345 });
    expect(after.isError).toBeFalsy();
  });

  it('a document with a 20,000-item array is cut to the budget with a marker, and still validates in the SDK Client', async () => {
    const args = await partDetailArgs();
    hostile.setModes(hugeOptions(20_000));
    const result = await call('get_part_detail', args); // the Client throws if structuredContent breaks the output schema

    expect(result.isError, JSON.stringify(result.structuredContent).slice(0, 500)).toBeFalsy();
    const doc = result.structuredContent;
    expect(doc.truncated).toBe(true);
    expect(doc.truncatedFields).toHaveLength(1);
    const [cut] = doc.truncatedFields;
    expect(cut).toMatchObject({ field: 'part.options', unit: 'items', total: 20_000 });
    expect(cut.kept).toBeGreaterThan(10);
    expect(cut.kept).toBeLessThan(20_000);
    expect(doc.part.options).toHaveLength(cut.kept);
    expect(doc.part.options.map((o: { priceOptionId: string }) => o.priceOptionId).slice(0, 3)).toEqual(['opt-0', 'opt-1', 'opt-2']);
    expect(doc.part.productId).toBe(args.productId);
    expect(doc.truncationHint).toMatch(/--max-result-bytes/);
    expect(Buffer.byteLength(JSON.stringify(doc))).toBeLessThanOrEqual(DEFAULT_MAX_RESULT_BYTES + 100); // + the correlationId
    // The JSON-RPC message carries structuredContent and its JSON text copy (escaped): measured ~107.6 KB.
    expect(result.bytes).toBeLessThan(2.5 * DEFAULT_MAX_RESULT_BYTES);
  });
});

describe('an answer nested too deeply', () => {
  it('100,000 nested arrays in a 200 KB document: upstream_invalid_response saying retrying will not help, the process fine', async () => {
    hostile.setModes(deeplyNestedUser(100_000));
    const result = await call('lookup_user', { userId: 12345 });
    expect(result.isError).toBe(true);
    const { error } = result.structuredContent as { error: { code: string; message: string; retryable: boolean } };
    expect(error.code).toBe('upstream_invalid_response');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/nested deeper than 200 levels/);
    expect(error.message).toMatch(/Retrying will not help/);
    expect(hostile.requests.filter((r) => /\/users\/lookup$/.test(r.url.split('?')[0]!))).toHaveLength(1); // not retried

    // 150 levels (deeper than any real document, under the limit) still pass; the next call is served as usual.
    hostile.setModes(deeplyNestedUser(150));
    expect((await call('lookup_user', { userId: 12345 })).isError).toBeFalsy();
    hostile.setModes();
    const after = await call('lookup_user', { userId: 12345 });
    expect(after.isError).toBeFalsy();
    expect(after.structuredContent.user.contactId).toBe(12345);
  });
});

describe('upstream text is sanitised', () => {
  it('bidi overrides, zero-width and tag characters and BOMs are stripped from data and errors; accents and emoji stay', async () => {
    const linesBefore = logs.lines.length;
    hostile.setModes(invisibleInStrings(/\/(catalog\/search|catalog\/detail|users\/lookup)$/));
    const args = await partDetailArgs();
    const search = await call('search_parts', { keyword: 'probe', limit: 3 });
    const detail = await call('get_part_detail', args);
    hostile.setModes(invisibleError(/\/orders\/search$/));
    const refused = await call('search_orders', { q: 'anything' });

    expect(search.isError).toBeFalsy();
    expect(detail.isError, JSON.stringify(detail.structuredContent).slice(0, 500)).toBeFalsy();
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent.error.code).toBe('unprocessable');
    // The modes did inject (the sandbox's own names carry no emoji), and what was visible came through intact.
    expect(search.structuredContent.items[0].description).toContain(VISIBLE);
    expect(search.structuredContent.items[0].description).toContain('evil');
    expect(detail.structuredContent.part.description).toContain(VISIBLE);
    expect(refused.structuredContent.error.upstreamMessages[0]).toBe(`Price changedevil for ${VISIBLE}`);
    for (const result of [search, detail, refused]) {
      expect(formatCharacters(JSON.stringify(result.structuredContent))).toEqual([]);
      expect(formatCharacters(JSON.stringify(result.content))).toEqual([]);
    }
    const newLines = logs.lines.slice(linesBefore);
    expect(newLines.some((line) => line.includes('Price changedevil'))).toBe(true); // the error was logged, cleaned
    expect(formatCharacters(newLines.join('\n'))).toEqual([]);
  });
});

describe('secrets are redacted wherever they come from', () => {
  it('an upstream echoing the client secret, API key, access token (raw, URL-encoded, Basic) and Augur token: none reaches a result or a log', async () => {
    const linesBefore = logs.lines.length;
    const seen: string[] = [];
    hostile.setModes(echoPartsSourceCredentials(/\/users\/lookup$/));
    const echoed = await call('lookup_user', { userId: 12345 });
    seen.push(JSON.stringify(echoed));
    expect(echoed.isError).toBe(true);
    expect(echoed.structuredContent.error.upstreamMessages.join(' ')).toContain('[redacted]');

    hostile.setModes(echoSecretInData(/\/catalog\/search$/, () => ACME.apiKey));
    const inData = await call('search_parts', { keyword: 'probe', limit: 2 });
    seen.push(JSON.stringify(inData));
    expect(inData.isError).toBeFalsy();
    expect(inData.structuredContent.items[0].description).toContain('(key [redacted])');

    hostile.setModes(echoAugurToken(/\/customer\/\d+\/doc$/));
    const augur = await call('get_customer', { customerId: FIX.acme.customerId });
    seen.push(JSON.stringify(augur));
    expect(augur.isError, JSON.stringify(augur.structuredContent).slice(0, 500)).toBe(true);
    expect(augur.structuredContent.error.upstreamMessages[0]).toMatch(/^token Bearer \[redacted\] \(base64 \[redacted\]\)/);

    // The client on its own (no MCP server): the error it throws is clean too.
    hostile.setModes(echoPartsSourceCredentials(/\/users\/lookup$/));
    const thrown = await partssource.lookupUser({ userId: 12345 }, { correlationId: 'direct' }).catch((e: Error) => e);
    seen.push(JSON.stringify({ message: (thrown as Error).message, stack: (thrown as Error).stack, info: (thrown as { info?: unknown }).info }));

    // A fresh client whose token request is answered with an echo of its form.
    hostile.setModes(echoTokenForm());
    const fresh = new PartsSourceClient({
      baseUrl: `${hostile.origin}/partssource/customer`,
      tokenUrl: `${hostile.origin}/partssource/oauth2/token`,
      clientId: ACME.clientId,
      clientSecret: 'fresh secret/with+specials&=',
      apiKey: ACME.apiKey,
    });
    const refused = await fresh.checkToken({ correlationId: 'fresh' }).catch((e: Error) => e);
    seen.push(JSON.stringify({ message: (refused as Error).message, info: (refused as { info?: unknown }).info }));
    expect((refused as Error).message).toContain('client_secret=[redacted]');

    const tokens = [...new Set(hostile.requests.map((r) => String(r.headers.authorization ?? '').replace(/^Bearer /, '')).filter(Boolean))];
    expect(tokens.length).toBeGreaterThanOrEqual(2); // a PartsSource access token and the Augur token
    const secrets = [ACME.clientSecret, ACME.apiKey, SITE.token, 'fresh secret/with+specials&=', encodeURIComponent('fresh secret/with+specials&='), ...tokens];
    const forms = [...secrets, ...secrets.map(b64), b64(`${ACME.clientId}:${ACME.clientSecret}`)];
    const haystack = [...seen, ...logs.lines.slice(linesBefore)].join('\n');
    expect(haystack).toContain('[redacted]');
    for (const secret of forms) expect(haystack.includes(secret), `secret leaked: ${secret.slice(0, 8)}…`).toBe(false);
  });

  it('HTTP mode: a tenant whose upstream echoes credentials sees none of its own or another tenant’s', async () => {
    const httpLogs = captureLogs();
    const fake = {
      partssource: { baseUrl: `${hostile.origin}/partssource/customer`, tokenUrl: `${hostile.origin}/partssource/oauth2/token` },
      augur: { baseUrl: `${hostile.origin}/augur` },
    } as Parameters<typeof sandboxTenants>[0];
    let server: HttpServerHandle | undefined;
    const globexCreds = SANDBOX_PARTSSOURCE_CREDENTIALS.globex;
    try {
      server = await startHttpServer({ tenants: sandboxTenants(fake, { timeoutMs: 10_000 }), log: httpLogs.log, port: 0 });
      const globex = await connectHttp(server.url, SANDBOX_API_KEYS.globex);
      // The hostile upstream echoes globex's own credentials and, as if it had learnt them, acme's.
      hostile.setModes(
        echoPartsSourceCredentials(/\/users\/lookup$/),
        (ctx) => {
          if (!/\/users\/search$/.test(ctx.request.url.split('?')[0]!)) return false;
          ctx.res.writeHead(400, { 'content-type': 'application/json' });
          ctx.res.end(JSON.stringify({ success: false, data: null, errors: [`acme uses ${ACME.clientSecret} / ${ACME.apiKey} / ${SITE.token}`], correlationId: 'c', timestamp: '' }));
          return true;
        },
      );
      const own = await globex.call('lookup_user', { userId: 12345 });
      const other = await globex.call('search_users', { q: 'a' });
      await globex.close();
      expect(own.isError).toBe(true);
      expect(other.isError).toBe(true);
      expect(other.structuredContent.error.upstreamMessages[0]).toBe('acme uses [redacted] / [redacted] / [redacted]');
      const tokens = [...new Set(hostile.requests.map((r) => String(r.headers.authorization ?? '').replace(/^Bearer /, '')).filter(Boolean))];
      const secrets = [globexCreds.clientSecret, globexCreds.apiKey, ACME.clientSecret, ACME.apiKey, SITE.token, SANDBOX_AUGUR_SITES.globex.token, ...tokens];
      const haystack = [JSON.stringify(own), JSON.stringify(other), ...httpLogs.lines].join('\n');
      for (const secret of [...secrets, ...secrets.map(b64)]) expect(haystack.includes(secret), `secret leaked: ${secret.slice(0, 8)}…`).toBe(false);
    } finally {
      await server?.close();
    }
  });
});

describe('pass-through records are bounded', () => {
  it('an otherFields nested 100,000 deep, or of 100 KB, is invalid_argument naming the field, and nothing is sent', async () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const wide = Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`field${i}`, 'v'.repeat(50)]));
    const contact = { customerId: FIX.acme.customerId, firstName: 'Deep', lastName: 'Record' };

    const tooDeep = await call('create_customer_contact', { ...contact, otherFields: deep });
    const tooLarge = await call('create_customer_contact', { ...contact, userDefinedFields: wide });
    const shipTo = await call('create_ship_to_address', { customerId: FIX.acme.customerId, name: 'Deep', mailAddress1: '1 Road', otherFields: deep });

    expect(tooDeep.structuredContent.error).toMatchObject({ code: 'invalid_argument' });
    expect(tooDeep.structuredContent.error.message).toMatch(/nested deeper than 10 levels.*at otherFields/);
    expect(tooLarge.structuredContent.error).toMatchObject({ code: 'invalid_argument' });
    expect(tooLarge.structuredContent.error.message).toMatch(/more than the 65536 allowed.*at userDefinedFields/);
    expect(shipTo.structuredContent.error.message).toMatch(/nested deeper than 10 levels.*at otherFields/);
    expect(hostile.requests).toHaveLength(0);

    // A record within the bounds still goes through.
    const fine = await call('create_customer_contact', { ...contact, otherFields: { contactLinks: [], nested: { a: { b: { c: 1 } } } } });
    expect(fine.isError, JSON.stringify(fine.structuredContent)).toBeFalsy();
    expect(hostile.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

describe('the pieces, on their own', () => {
  it('stripFormatCharacters keeps text, accents, emoji and ZWJ emoji sequences, and nothing else of Cf', async () => {
    const { stripFormatCharacters } = await import('../src/text-safety.js');
    expect(stripFormatCharacters('Café 👩‍💻 👨‍👩‍👧 🏳️‍🌈 👋🏽')).toBe('Café 👩‍💻 👨‍👩‍👧 🏳️‍🌈 👋🏽');
    expect(stripFormatCharacters('a\u200Db \u00ADsoft\u2060 \u202Eright\u202C \u{E0041}\uFEFF')).toBe('ab soft right ');
    expect(stripFormatCharacters('👍\u200Dx')).toBe('👍x'); // a ZWJ not between two pictographs goes
  });

  it('capDocument: cuts the outer array first, then inner ones, then long strings; a list keeps its items to capItems', async () => {
    const { capDocument } = await import('../src/mcp/budget.js');
    const nested = { lines: Array.from({ length: 3 }, (_, i) => ({ i, serials: Array.from({ length: 5_000 }, (_, j) => `serial-${j}`) })) };
    const cut = capDocument(nested, 50_000) as Record<string, any>;
    expect(Buffer.byteLength(JSON.stringify(cut))).toBeLessThanOrEqual(50_000);
    expect(cut.truncatedFields.map((f: { field: string }) => f.field)).toEqual(['lines', 'lines[0].serials']);
    expect(cut.lines[0].serials.slice(0, 2)).toEqual(['serial-0', 'serial-1']);

    const text = capDocument({ id: 1, note: 'n'.repeat(200_000) }, 10_000) as Record<string, any>;
    expect(text.truncatedFields).toEqual([{ field: 'note', unit: 'characters', kept: text.note.length - 1, total: 200_000 }]);
    expect(text.note.endsWith('…')).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(text))).toBeLessThanOrEqual(10_000);

    const list = { items: [{ id: 1, tags: Array.from({ length: 10_000 }, (_, i) => `tag-${i}`) }], total: 1 };
    const listCut = capDocument(list, 20_000, 'items') as Record<string, any>;
    expect(listCut.items).toHaveLength(1);
    expect(listCut.truncatedFields.map((f: { field: string }) => f.field)).toEqual(['items[0].tags']);

    const small = { a: [1, 2, 3] };
    expect(capDocument(small, 50_000)).toBe(small); // under the budget: the same object, untouched
  });
});
