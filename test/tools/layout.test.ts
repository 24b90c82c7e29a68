import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnyTool } from '../../src/tools/define.js';
import { ALL_TOOLS } from '../../src/tools/index.js';

// Tests you can find: each tool-definition file has its test file under the same name in test/tools/.
const srcTools = new URL('../../src/tools/', import.meta.url);
const testTools = new URL('./', import.meta.url);

const isTool = (value: unknown): value is AnyTool =>
  typeof value === 'object' && value !== null && typeof (value as AnyTool).name === 'string' && 'annotations' in value && 'input' in value;

/** `augur/tags`, `partssource/orders`, `health`: the files under src/tools/ that define tools, with their tools. */
async function definitionFiles(): Promise<Map<string, string[]>> {
  const files = new Map<string, string[]>();
  const paths = ['health.ts', ...['partssource', 'augur'].flatMap((dir) => readdirSync(new URL(dir, srcTools)).map((f) => `${dir}/${f}`))];
  for (const path of paths.filter((p) => p.endsWith('.ts') && !p.endsWith('/index.ts'))) {
    const module: Record<string, unknown> = await import(new URL(path, srcTools).href);
    const names = new Set(Object.values(module).filter(isTool).map((t) => t.name));
    if (names.size) files.set(path.replace(/\.ts$/, ''), [...names].sort());
  }
  return files;
}

describe('test layout', () => {
  it('every tool is defined in a file that has its test file test/tools/<upstream>/<resource>.test.ts', async () => {
    const files = await definitionFiles();
    const defined = [...files.values()].flat().sort();
    expect(defined).toEqual(ALL_TOOLS.map((t) => t.name).sort());
    for (const file of files.keys()) expect(existsSync(new URL(`${file}.test.ts`, testTools)), `test/tools/${file}.test.ts`).toBe(true);
  });

  it('each Augur resource file checks that every tool of its definition file answered and failed', async () => {
    const files = await definitionFiles();
    for (const file of [...files.keys()].filter((f) => f.startsWith('augur/'))) {
      const text = readFileSync(new URL(`${file}.test.ts`, testTools), 'utf8');
      const resource = file.split('/')[1]!;
      expect(text, file).toMatch(new RegExp(`from '\\.\\./\\.\\./\\.\\./src/tools/augur/${resource}\\.js'`));
      expect(text, file).toMatch(/itAnsweredAndFailedEveryTool\(suite, \w+Tools, /);
      expect(text, file).toMatch(/expectEveryToolFails\(/);
    }
  });
});
