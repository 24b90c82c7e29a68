import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFaultsFile } from '../src/cli/sandbox-faults.js';
import { SANDBOX_AUGUR_SITES, type FaultRule } from '../src/sandbox/index.js';
import { startHarness, type Harness } from './support/harness.js';

const DOC = readFileSync(new URL('../docs/SANDBOX.md', import.meta.url), 'utf8');

/** The faults file format is documented in docs/SANDBOX.md: its example must be a file the real parser accepts and do what the text says. */
describe('docs/SANDBOX.md faults file example', { timeout: 60_000 }, () => {
  let dir: string;
  let rules: FaultRule[];
  let h: Harness;

  beforeAll(async () => {
    const example = /## Example\n\n```json\n([\s\S]*?)\n```/.exec(DOC)?.[1];
    expect(example, 'the example block').toBeDefined();
    dir = mkdtempSync(join(tmpdir(), 'faults-doc-'));
    const file = join(dir, 'faults.json');
    writeFileSync(file, example!);
    rules = loadFaultsFile(file); // the parser of --faults and SANDBOX_FAULTS_FILE
    h = await startHarness({ sandbox: { faults: rules } });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('parses with the real parser into the four rules described', () => {
    expect(rules).toHaveLength(4);
    expect(rules[0]).toMatchObject({ api: 'partssource', status: 503, retryAfterSeconds: 1, times: 2 });
    expect(rules[1]).toMatchObject({ method: 'POST', latencyMs: 3000 });
    expect(rules[2]).toMatchObject({ api: 'augur', headers: { 'x-site-id': 'globex-site' }, status: 502, body: 'html' });
    expect(rules[3]).toMatchObject({ reset: true, probability: 0.2 });
  });

  it('two 503s with Retry-After on user lookups: lookup_user succeeds on its third attempt', async () => {
    const result = await h.call('lookup_user', { userId: 12345 });
    expect(result.isError).toBeFalsy();
    const lookups = h.apiRequests().filter((r) => r.path === '/customer/users/lookup');
    expect(lookups.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(lookups[0]!.responseHeaders['retry-after']).toBe('1');
  });

  it('catalog searches take at least 3 s more', async () => {
    const started = Date.now();
    expect((await h.call('search_parts', { keyword: 'probe', limit: 1 })).isError).toBeFalsy();
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
  });

  it("globex's customer documents get a proxy's HTML 502; acme's are untouched", async () => {
    const get = (site: 'acme' | 'globex', customerId: number) =>
      fetch(`${h.sandbox.augur.baseUrl}/customer/${customerId}/doc`, {
        headers: { authorization: `Bearer ${SANDBOX_AUGUR_SITES[site].token}`, 'x-site-id': SANDBOX_AUGUR_SITES[site].siteId },
      });
    const globex = await get('globex', 20002);
    expect(globex.status).toBe(502);
    expect(globex.headers.get('content-type')).toContain('text/html');
    await globex.text();
    const acme = await get('acme', 10002);
    expect(acme.status).toBe(200);
    expect(((await acme.json()) as { data: { customerName: string } }).data.customerName).toBe('Riverside General Hospital');
  });
});
