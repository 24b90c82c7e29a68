import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Keeps docs/ARCHITECTURE.md and the source tree in step, and the boundaries it describes true: every folder of
 * src/ is named in the document, every path it names exists, no module imports across a boundary the document
 * rules out, and no function outside the sandbox grows past 100 lines.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const doc = readFileSync(join(root, 'docs/ARCHITECTURE.md'), 'utf8');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? [path, ...walk(path)] : [path];
  });
}

const srcEntries = walk(join(root, 'src')).map((path) => relative(root, path));
const folders = srcEntries.filter((path) => statSync(join(root, path)).isDirectory());
const sources = srcEntries.filter((path) => path.endsWith('.ts'));

/** The relative imports of a module, resolved to repository paths (`src/clients/http-core.ts`). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specifiers.map((spec) => relative(root, resolve(root, dirname(file), spec)).replace(/\.js$/, '.ts'));
}

/** Which folders a layer may not import from (the rules docs/ARCHITECTURE.md states). */
const FORBIDDEN: Array<{ layer: string; mayNotImport: string[]; except?: string[] }> = [
  { layer: 'src/clients/', mayNotImport: ['src/mcp/', 'src/tools/', 'src/http/', 'src/stdio/', 'src/server.ts', 'src/sandbox/'] },
  { layer: 'src/state/', mayNotImport: ['src/mcp/', 'src/tools/', 'src/http/', 'src/stdio/', 'src/server.ts', 'src/sandbox/'] },
  // check_health reports each upstream's failure in the words the error boundary uses for a failed call.
  { layer: 'src/tools/', mayNotImport: ['src/mcp/', 'src/http/', 'src/stdio/', 'src/server.ts', 'src/sandbox/'], except: ['src/mcp/error-results.ts'] },
  { layer: 'src/mcp/', mayNotImport: ['src/http/', 'src/stdio/', 'src/sandbox/'] },
  { layer: 'src/sandbox/', mayNotImport: ['src/clients/', 'src/tools/', 'src/mcp/', 'src/http/', 'src/state/', 'src/server.ts'] },
];

describe('docs/ARCHITECTURE.md', () => {
  it('names every folder of src/', () => {
    const missing = folders.filter((folder) => !doc.includes(`${folder}/`));
    expect(missing).toEqual([]);
  });

  it('names only paths that exist', () => {
    const named = [...doc.matchAll(/\b((?:src|test|docs)\/[\w./-]*[\w/])/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((path) => !existsSync(join(root, path)))).toEqual([]);
  });

  it('states each import rule this test checks', () => {
    for (const { layer } of FORBIDDEN) expect(doc).toContain(layer);
  });
});

describe('boundaries', () => {
  it('no module imports across a forbidden boundary', () => {
    const crossings: string[] = [];
    for (const file of sources) {
      const rule = FORBIDDEN.find(({ layer }) => file.startsWith(layer));
      if (!rule) continue;
      for (const target of importsOf(file)) {
        if (rule.except?.includes(target)) continue;
        if (rule.mayNotImport.some((forbidden) => target.startsWith(forbidden))) crossings.push(`${file} → ${target}`);
      }
    }
    expect(crossings).toEqual([]);
  });

  it('no function outside src/sandbox/ is over 100 lines', () => {
    const long: string[] = [];
    for (const file of sources.filter((path) => !path.startsWith('src/sandbox/'))) {
      const source = ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node) && 'body' in node && node.body) {
          const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
          const last = source.getLineAndCharacterOfPosition(node.end).line;
          if (last - first + 1 > 100) long.push(`${file}:${first + 1} (${last - first + 1} lines)`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(long).toEqual([]);
  });
});
