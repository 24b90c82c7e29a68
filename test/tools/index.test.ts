import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/partssource-tools.js';

// The registry (src/tools/index.ts) as the server offers it: a name outside it is no tool at all.
describe('tool registry over the SDK Client', () => {
  const suite = useHarness();

  it('answers an unknown tool with a JSON-RPC error', async () => {
    await expect(suite.h.client.callTool({ name: 'drop_database', arguments: {} })).rejects.toThrow(/Unknown tool drop_database/);
  });
});
