import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AugurClient } from '../src/clients/augur.js';
import { PartsSourceClient } from '../src/clients/partssource.js';
import { silentLogger } from '../src/logger.js';
import { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS, startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { createMcpServer } from '../src/server.js';
import { ALL_TOOLS } from '../src/tools/index.js';

/**
 * Random and hostile arguments at every tool through the SDK Client: wrong types, huge strings, path tricks,
 * unicode, nulls, stringified JSON. Every call must come back as a result with a correlation id; every call whose
 * arguments the tool's own schema rejects must be refused before any HTTP request.
 */
const TOTAL_CALLS = 10_000;

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom('../', '../../etc/passwd', '%2F', '..%2F..%2F', '1/../x', '12a', 'abc', '', ' ', '\u0000', '\u202e', '😀', 'null', 'undefined', 'NaN', '-1', '0', '1.5', '1e309'),
  fc.constant('x'.repeat(100_000)),
  fc.json(),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, 12345, 10002),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 10 }), fc.oneof(fc.string(), fc.integer())),
  fc.json().map((j) => JSON.stringify(j)),
);

/** Arguments over the tool's real argument names (most interesting), or any object at all. */
function argumentsFor(propertyNames: string[]): fc.Arbitrary<Record<string, unknown>> {
  const known = propertyNames.length
    ? fc.record(Object.fromEntries(propertyNames.map((name) => [name, hostileValue])), { requiredKeys: [] })
    : fc.constant({});
  return fc.oneof({ weight: 4, arbitrary: known }, { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 20 }), hostileValue) });
}

describe('fuzzing every tool through the SDK Client', () => {
  let sandbox: Sandbox;
  let client: Client;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    sandbox = await startSandbox();
    const acme = SANDBOX_PARTSSOURCE_CREDENTIALS.acme;
    const site = SANDBOX_AUGUR_SITES.acme;
    const server = createMcpServer({
      clients: {
        partssource: new PartsSourceClient({ baseUrl: sandbox.partssource.baseUrl, tokenUrl: sandbox.partssource.tokenUrl, clientId: acme.clientId, clientSecret: acme.clientSecret, apiKey: acme.apiKey }),
        augur: new AugurClient({ baseUrl: sandbox.augur.baseUrl, token: site.token, siteId: site.siteId }),
      },
      log: silentLogger(),
      enableAdmin: true,
    });
    client = new Client({ name: 'fuzz', version: '1' });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(b), client.connect(a)]);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await client.close();
    await sandbox.close();
  });

  it(`${TOTAL_CALLS} hostile calls: no crash, a correlation id on every result, invalid calls never reach the wire`, async () => {
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(ALL_TOOLS.length);
    const runsPerTool = Math.ceil(TOTAL_CALLS / tools.length);
    let calls = 0;
    let invalid = 0;
    for (const listed of tools) {
      const tool = ALL_TOOLS.find((t) => t.name === listed.name)!;
      const names = Object.keys((listed.inputSchema.properties ?? {}) as object);
      await fc.assert(
        fc.asyncProperty(argumentsFor(names), async (args) => {
          const before = sandbox.requests.length;
          const result = await client.callTool({ name: tool.name, arguments: args });
          calls++;
          const structured = result.structuredContent as { correlationId?: string; error?: { code: string } } | undefined;
          expect(typeof structured?.correlationId).toBe('string');
          if (!tool.input.safeParse(args).success) {
            invalid++;
            expect(result.isError).toBe(true);
            expect(structured?.error?.code).toBe('invalid_argument');
            expect(sandbox.requests.length).toBe(before);
          }
        }),
        { numRuns: runsPerTool, seed: 20261123 },
      );
    }
    expect(calls).toBeGreaterThanOrEqual(TOTAL_CALLS);
    expect(invalid).toBeGreaterThan(TOTAL_CALLS / 2);
    expect(unhandled).toEqual([]);
    console.error(`fuzz: ${calls} calls, ${invalid} invalid (refused before any request), ${calls - invalid} valid`);
  }, 240_000);
});
