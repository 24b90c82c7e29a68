import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS } from '../src/sandbox/index.js';
import { DEFAULT_CLIENT_LOG_LEVEL } from '../src/mcp/client-logging.js';
import { ALL_TOOLS } from '../src/tools/index.js';
import { FALSE_WORDS, TRUE_WORDS } from '../src/config/option-values.js';
import { optionEntries } from '../src/config/options.js';
import { README_BEGIN, README_END, readmeOptionsTable } from '../scripts/options-docs.js';
import { TOOLS_BEGIN, TOOLS_END, readmeToolTables } from '../scripts/tool-tables.js';
import { ROUTES as PARTSSOURCE_ROUTES } from '../src/sandbox/partssource/routes.js';
import { ROUTES as AUGUR_ROUTES } from '../src/sandbox/augur/routes.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** What the README holds between two marker lines (undefined without them). */
function section(begin: string, end: string): string | undefined {
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  return from < 0 || to < from ? undefined : readme.slice(from + begin.length + 1, to - 1);
}

/** The `METHOD /path` of each upstream operation a tool names (a note in parentheses may follow). */
const operationsOf = (endpoint: string | readonly string[] | undefined) =>
  (typeof endpoint === 'string' ? [endpoint] : (endpoint ?? [])).map((e) => e.split(' ').slice(0, 2).join(' '));

/** The README is the first thing a user reads: it must stay true. */
describe('README', () => {
  it('quick start is the two documented commands', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm ci && npm test');
  });

  it("states the MCP client's default log threshold", () => {
    expect(readme).toContain(`The default threshold is \`${DEFAULT_CLIENT_LOG_LEVEL}\``);
  });

  it('lists every tool', () => {
    for (const tool of ALL_TOOLS) expect(readme, tool.name).toContain(`\`${tool.name}\``);
  });

  it('lists the sandbox demo credentials exactly', () => {
    for (const c of Object.values(SANDBOX_PARTSSOURCE_CREDENTIALS)) {
      for (const value of [c.clientId, c.clientSecret, c.apiKey]) expect(readme).toContain(value);
    }
    for (const site of Object.values(SANDBOX_AUGUR_SITES)) {
      expect(readme).toContain(`AUGUR_SITE_ID=${site.siteId}`);
      expect(readme).toContain(`AUGUR_TOKEN=${site.token}`);
    }
  });

  it('documents every option of the table: its configuration table is the generated one (run npm run docs)', () => {
    expect(section(README_BEGIN, README_END), 'the configuration table is out of date: run npm run docs').toBe(readmeOptionsTable());
    for (const [, spec] of optionEntries()) {
      if (spec.env) expect(readme, spec.env).toContain(`| \`${spec.env}\``);
      if (spec.flag) expect(readme, spec.flag).toContain(`| \`--${spec.flag}`);
    }
  });

  it('its tool tables are the ones generated from the registry (run npm run docs)', () => {
    expect(section(TOOLS_BEGIN, TOOLS_END), 'the tool tables are out of date: run npm run docs').toBe(readmeToolTables());
    // The generator's output, spelled out for two tools: summary, arguments, kind and upstream operation.
    expect(readme).toContain(
      "| `get_part_detail` | A part and its price options for a requester; an option's priceOptionId and exact price go into create_order (valid 30 days). | `productId`, `requesterId` | read | `GET /catalog/detail` |",
    );
    expect(readme).toContain(
      '| `delete_customer_tag` | Soft-delete a customer tag (statusCd 700); add_customer_tag with its text restores it. ' +
        '| `customerId`, `customerTagsUid` | destructive | `DELETE /customer/{customerId}/tags/{customerTagsUid}` |',
    );
    expect(readme).toContain('`limit?` (≤200)'); // search_parts' cap, from its schema
    expect(readme).toContain('`items[]` of `{priceOptionId, productId, quantity, price, requiredFields?}`');
  });

  it("every tool names the upstream operations it calls, each one its upstream's contract has", () => {
    const routes = {
      partssource: new Set(PARTSSOURCE_ROUTES.filter((r) => !r.sandboxOnly).map((r) => `${r.method} ${r.path}`)),
      augur: new Set(AUGUR_ROUTES.map((r) => `${r.method} ${r.path}`)),
    };
    const tokenRequest = 'POST /oauth2/token'; // PartsSource's token endpoint, outside the Customer API
    for (const tool of ALL_TOOLS) {
      const operations = operationsOf(tool.endpoint);
      expect(operations.length, `${tool.name} declares no endpoint`).toBeGreaterThan(0);
      const known = tool.upstream === 'any' ? new Set([...routes.partssource, ...routes.augur, tokenRequest]) : routes[tool.upstream];
      for (const operation of operations) expect(known, `${tool.name}: ${operation}`).toContain(operation);
    }
  });

  it('states the rules for empty variables and booleans with the words the parser accepts', () => {
    const text = readme.replace(/\s+/g, ' ');
    expect(text).toContain('**Empty means unset**, for every variable');
    expect(text).toContain(`accept ${TRUE_WORDS.map((w) => `\`${w}\``).join(', ')} and ${FALSE_WORDS.map((w) => `\`${w}\``).join(', ')}, in any case`);
  });
});
