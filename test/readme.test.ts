import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS } from '../src/sandbox/index.js';
import { DEFAULT_CLIENT_LOG_LEVEL } from '../src/mcp/client-logging.js';
import { ALL_TOOLS } from '../src/tools/index.js';

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

  it('documents every environment variable the code reads', () => {
    const names = new Set<string>();
    for (const file of ['src/config.ts', 'src/logger.ts', 'src/http/tenants.ts', 'src/cli.ts']) {
      const text = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
      // process.env.X, env.X, env['X'], and keys of the zod Env schemas (`  X: z...`)
      for (const m of text.matchAll(/env(?:\.|\[')([A-Z][A-Z0-9_]+)|^\s+([A-Z][A-Z0-9_]+): (?:z\.|httpUrl|positive|bool)/gm)) {
        names.add((m[1] ?? m[2])!);
      }
    }
    expect(names.size).toBeGreaterThan(8);
    for (const name of names) expect(readme, name).toContain(name);
  });
});
