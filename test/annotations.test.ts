import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import type { AugurClient } from '../src/clients/augur.js';
import type { PartsSourceClient } from '../src/clients/partssource.js';
import { silentLogger } from '../src/logger.js';
import { createMcpServer } from '../src/server.js';
import { ALL_TOOLS } from '../src/tools/index.js';

/** The defaults of MCP 2025-11-25 `ToolAnnotations` (destructive/idempotent are meaningful only when not read-only). */
const SPEC_DEFAULTS = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };

/** What a client that applies the spec's defaults understands from the annotations on the wire. */
function understood(wire: Tool['annotations'] = {}) {
  const readOnlyHint = wire.readOnlyHint ?? SPEC_DEFAULTS.readOnlyHint;
  const openWorldHint = wire.openWorldHint ?? SPEC_DEFAULTS.openWorldHint;
  if (readOnlyHint) return { readOnlyHint, openWorldHint };
  return {
    readOnlyHint,
    destructiveHint: wire.destructiveHint ?? SPEC_DEFAULTS.destructiveHint,
    idempotentHint: wire.idempotentHint ?? SPEC_DEFAULTS.idempotentHint,
    openWorldHint,
  };
}

async function listedTools(): Promise<Tool[]> {
  // Both upstreams "configured" (tools/list never calls a client), admin tools included.
  const server = createMcpServer({ clients: { partssource: {} as PartsSourceClient, augur: {} as AugurClient }, log: silentLogger(), enableAdmin: true });
  const client = new Client({ name: 'annotations-test', version: '1.0.0' });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(b), client.connect(a)]);
  try {
    return (await client.listTools()).tools;
  } finally {
    await client.close();
    await server.close();
  }
}

describe('tool annotations on the wire', () => {
  it('read with the spec defaults, they say exactly what each definition declares', async () => {
    const tools = await listedTools();
    expect(tools).toHaveLength(ALL_TOOLS.length);
    for (const definition of ALL_TOOLS) {
      const listed = tools.find((t) => t.name === definition.name)!;
      const declared = definition.annotations;
      const expected = declared.readOnlyHint ? { readOnlyHint: true, openWorldHint: declared.openWorldHint } : declared;
      expect(understood(listed.annotations), definition.name).toEqual(expected);
    }
  });

  it('carry what the README says: read tools readOnlyHint only, writes also destructiveHint and idempotentHint, openWorldHint never', async () => {
    for (const tool of await listedTools()) {
      const keys = Object.keys(tool.annotations ?? {}).sort();
      if (tool.annotations?.readOnlyHint) expect(keys, tool.name).toEqual(['readOnlyHint']);
      else expect(keys, tool.name).toEqual(['destructiveHint', 'idempotentHint', 'readOnlyHint']);
    }
    expect(ALL_TOOLS.every((t) => t.annotations.openWorldHint)).toBe(true);
  });

  it('the README names the destructive tools and states each spec default relied on', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const destructive = ALL_TOOLS.filter((t) => t.annotations.destructiveHint && !t.annotations.readOnlyHint).map((t) => t.name).sort();
    expect(destructive).toEqual(['delete_customer_address', 'delete_customer_tag']);
    expect(readme).toContain('`delete_customer_address` and `delete_customer_tag` destructive');
    expect(ALL_TOOLS.filter((t) => !t.annotations.readOnlyHint && t.annotations.idempotentHint)).toEqual([]);
    for (const [name, value] of Object.entries(SPEC_DEFAULTS)) expect(readme, name).toContain(`\`${name}\` default \`${value}\``);
  });
});
