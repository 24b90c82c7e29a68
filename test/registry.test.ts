import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
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

  // The product interface (../shared/api/tools.md) is a floor: none of its tools may go missing or be renamed. The
  // exact list, names and schemas, is pinned by the reviewed snapshot (test/tool-schemas.json, tool-list.test.ts),
  // so a new tool is added there by regenerating it, not by editing a second copy of the names here.
  it('the PartsSource tools include every one of the product interface', () => {
    const names = ALL_TOOLS.filter((t) => t.upstream === 'partssource').map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(['create_order', 'get_order', 'get_part_detail', 'lookup_user', 'search_manufacturers', 'search_orders', 'search_parts', 'search_users']),
    );
  });
});

const AUGUR_TOOLS = [
  'add_customer_tag', 'create_customer_address', 'create_customer_contact', 'create_ship_to_address',
  'delete_customer_address', 'delete_customer_tag', 'get_contact', 'get_contact_custom_fields',
  'get_contact_web_allowance', 'get_customer', 'get_customer_address', 'get_customer_aging', 'get_customer_order',
  'get_customer_tag', 'get_invoice', 'get_quote', 'get_rma', 'get_sales_usage', 'list_customer_addresses',
  'list_customer_contacts', 'list_customer_orders', 'list_customer_tags', 'list_customers', 'list_freight_codes',
  'list_invoices', 'list_purchased_items', 'list_quotes', 'list_rmas', 'list_salesrep_customers',
  'list_ship_to_addresses', 'lookup_customer', 'lookup_ship_to_address', 'refresh_customer_data',
  'search_customer_addresses', 'update_customer_address', 'update_customer_tag',
];

describe('Augur tool surface', () => {
  it('the Augur tools include every one of tools.md, plus check_health over every upstream', () => {
    expect(ALL_TOOLS.filter((t) => t.upstream === 'augur').map((t) => t.name)).toEqual(expect.arrayContaining(AUGUR_TOOLS));
    expect(ALL_TOOLS.filter((t) => t.upstream === 'any').map((t) => t.name)).toEqual(['check_health']);
  });

  it('deletes are destructive, writes are not idempotent, the refresh trigger is admin-only', () => {
    const byName = new Map(ALL_TOOLS.map((t) => [t.name, t]));
    for (const name of ['delete_customer_address', 'delete_customer_tag']) {
      expect(byName.get(name)!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: false });
    }
    for (const name of ['create_customer_contact', 'create_ship_to_address', 'create_customer_address', 'update_customer_address', 'add_customer_tag', 'update_customer_tag', 'create_order']) {
      expect(byName.get(name)!.annotations, name).toMatchObject({ readOnlyHint: false, idempotentHint: false });
    }
    expect(ALL_TOOLS.filter((t) => t.admin).map((t) => t.name)).toEqual(['refresh_customer_data']);
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
      if (/(cli|demo)\.ts$|[\\/]src[\\/]cli[\\/]/.test(file)) continue;
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/console\.(log|info|debug)\(|process\.stdout\.write/);
    }
  });
});

describe('registry rules of the lean tool list', () => {
  const TOOLSETS = [
    'partssource.catalog', 'partssource.orders', 'partssource.users', 'augur.customers', 'augur.contacts',
    'augur.addresses', 'augur.documents', 'augur.tags', 'augur.admin', 'health',
  ];

  it('every tool is in one of the documented toolsets', () => {
    for (const tool of ALL_TOOLS) {
      const toolset = tool.upstream === 'any' ? tool.group : `${tool.upstream}.${tool.group}`;
      expect(TOOLSETS, tool.name).toContain(toolset);
    }
  });

  it('every tool has a short title (used in confirmations) and argument descriptions stay short', () => {
    for (const tool of ALL_TOOLS) {
      expect(tool.title.length, tool.name).toBeGreaterThan(5);
      expect(tool.title.length, tool.name).toBeLessThanOrEqual(60);
      const schema = JSON.stringify(z.toJSONSchema(tool.input, { io: 'input' }));
      expect(schema).toContain('"type":"object"');
      for (const m of schema.matchAll(/"description":"((?:[^"\\]|\\.)*)"/g)) expect(m[1]!.length, `${tool.name}: ${m[1]}`).toBeLessThanOrEqual(120);
    }
  });

  it('no argument is named like the server-added ones (fields, confirmationToken)', () => {
    for (const tool of ALL_TOOLS) {
      const shape = (tool.input as { shape?: Record<string, unknown> }).shape ?? {};
      expect(Object.keys(shape), tool.name).not.toContain('fields');
      expect(Object.keys(shape), tool.name).not.toContain('confirmationToken');
    }
  });
});
