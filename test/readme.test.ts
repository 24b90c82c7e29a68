import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS } from '../src/sandbox/index.js';
import { DEFAULT_CLIENT_LOG_LEVEL } from '../src/mcp/client-logging.js';
import { ALL_TOOLS } from '../src/tools/index.js';
import { FALSE_WORDS, TRUE_WORDS } from '../src/config/option-values.js';
import { optionEntries } from '../src/config/options.js';
import { README_BEGIN, README_END, readmeOptionsTable } from '../scripts/options-docs.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

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

  it('documents every option of the table: its configuration table is the generated one (npm run docs:options)', () => {
    expect(readme).toContain(`${README_BEGIN}\n${readmeOptionsTable()}\n${README_END}`);
    for (const [, spec] of optionEntries()) {
      if (spec.env) expect(readme, spec.env).toContain(`| \`${spec.env}\``);
      if (spec.flag) expect(readme, spec.flag).toContain(`| \`--${spec.flag}`);
    }
  });

  it('states the rules for empty variables and booleans with the words the parser accepts', () => {
    const text = readme.replace(/\s+/g, ' ');
    expect(text).toContain('**Empty means unset**, for every variable');
    expect(text).toContain(`accept ${TRUE_WORDS.map((w) => `\`${w}\``).join(', ')} and ${FALSE_WORDS.map((w) => `\`${w}\``).join(', ')}, in any case`);
  });
});
