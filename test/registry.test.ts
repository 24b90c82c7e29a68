import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ALL_TOOLS } from '../src/tools/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('tool registry', () => {
  it('every tool has a unique snake_case name of at most 64 characters', () => {
    const names = ALL_TOOLS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(64);
  });

  it('every tool declares all four annotations and is never read-only and destructive at once', () => {
    for (const tool of ALL_TOOLS) {
      const a = tool.annotations;
      for (const key of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
        expect(typeof a[key], `${tool.name}.${key}`).toBe('boolean');
      }
      expect(a.readOnlyHint && a.destructiveHint, tool.name).toBe(false);
      expect(a.openWorldHint, tool.name).toBe(true);
    }
  });

  it('descriptions are short enough to pay for in every conversation', () => {
    for (const tool of ALL_TOOLS) {
      expect(tool.description.length, tool.name).toBeGreaterThan(40);
      expect(tool.description.length, tool.name).toBeLessThanOrEqual(400);
    }
  });

  it('the PartsSource tools are exactly those of the product interface', () => {
    const names = ALL_TOOLS.filter((t) => t.upstream === 'partssource').map((t) => t.name).sort();
    expect(names).toEqual(
      ['create_order', 'get_order', 'get_part_detail', 'lookup_user', 'search_manufacturers', 'search_orders', 'search_parts', 'search_users'],
    );
  });
});

describe('layering', () => {
  it('the sandbox imports nothing from src/clients or src/tools', () => {
    for (const file of filesUnder(join(root, 'src/sandbox'))) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/from\s+['"][./]*\.\.\/(clients|tools)\//);
      expect(text, file).not.toMatch(/from\s+['"]\.\.\/\.\.\/(clients|tools)\//);
    }
  });

  it('clients know nothing of MCP', () => {
    for (const file of filesUnder(join(root, 'src/clients'))) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toContain('@modelcontextprotocol');
      expect(text, file).not.toMatch(/from\s+['"]\.\.\/tools\//);
    }
  });

  it('nothing but the CLI and demo write to stdout', () => {
    for (const file of filesUnder(join(root, 'src'))) {
      if (/(cli|demo)\.ts$/.test(file)) continue;
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/console\.(log|info|debug)\(|process\.stdout\.write/);
    }
  });
});
