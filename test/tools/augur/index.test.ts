import type { UpstreamClients } from '../../../src/clients/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_AUGUR_SITES, startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { augurTools } from '../../../src/tools/augur/index.js';
import { sandboxClients } from '../../support/custom.js';
import { augurClient, connect as connectServer } from '../../support/augur.js';

// The Augur toolset as a whole (src/tools/augur/index.ts): when it is offered, and what every one of its tools declares.
const ACME = SANDBOX_AUGUR_SITES.acme!;
// As in the resource files: no result byte cap (test/budget.test.ts covers the cap).
const connect = (clients: UpstreamClients) => connectServer(clients, { maxResultBytes: 0 });
const AUGUR_TOOL_NAMES = augurTools.map((t) => t.name).sort();


describe('tool listing by configured upstream', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(() => sandbox.close());

  it('only Augur configured: the Augur tools and check_health, nothing of PartsSource', async () => {
    const h = await connect({ augur: augurClient(sandbox, ACME) });
    try {
      expect(await h.toolNames()).toEqual([...AUGUR_TOOL_NAMES, 'check_health'].sort());
    } finally {
      await h.close();
    }
  });

  it('only PartsSource configured: no Augur tool', async () => {
    const h = await connect({ partssource: sandboxClients(sandbox).partssource });
    try {
      const names = await h.toolNames();
      expect(names).toContain('check_health');
      expect(names).toContain('lookup_user');
      expect(names.filter((n) => AUGUR_TOOL_NAMES.includes(n))).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('every Augur tool has the expected annotations and a short description', () => {
    for (const tool of augurTools) {
      expect(tool.description.length, tool.name).toBeLessThanOrEqual(300);
      const a = tool.annotations;
      if (tool.name.startsWith('delete_')) expect(a, tool.name).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: false });
      else if (/^(create|add|update)_/.test(tool.name)) {
        expect(a, tool.name).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false });
      } else if (tool.name !== 'refresh_customer_data') {
        expect(a, tool.name).toEqual({ readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true });
      }
    }
    expect(augurTools.filter((t) => t.admin).map((t) => t.name)).toEqual(['refresh_customer_data']);
  });
});
