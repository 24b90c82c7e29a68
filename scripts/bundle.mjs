// The bin's bundle (the second half of `npm run build`, after tsc): src/cli.ts and everything it imports, npm
// dependencies included, into dist/cli.js and its chunks dist/cli.<name>-<hash>.js. A start then reads a few files
// instead of resolving and loading ~300 ES modules (most of a cold start). Code splitting keeps each mode lazy: the
// HTTP server, the sandbox, Redis, OpenTelemetry and the faults-file schema are chunks that load only on their
// `import()`. tsc's per-module output stays in dist/ beside it (tests and benches import dist/sandbox/index.js and
// the like); only dist/cli.js is replaced. Chunks sit in dist/ itself, not a sub-folder, so that src/version.ts's
// `../package.json` resolves the same from every file.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
const CHUNK = /^cli\.[\w-]+-[A-Z0-9]{8}\.js(\.map)?$/;

/**
 * `await import('pkg')` of a CommonJS package: Node gives the module's named exports (`{ RateLimiterRedis }`), while
 * esbuild's chunk of it exports only `default`. Each such import in src/ goes through a small facade instead that
 * re-exports the names Node itself sees for that package (asked at build time) and its default, so the source reads
 * the same either way.
 */
const namedDynamicImports = {
  name: 'named-dynamic-imports',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.kind === 'dynamic-import' && args.importer.startsWith(SRC) && !args.path.startsWith('node:')
        ? { path: args.path, namespace: 'facade' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'facade' }, async ({ path }) => {
      const names = Object.keys(await import(path)).filter((name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name));
      // default: an ES module's own; a CommonJS module's exports object, as Node gives it.
      const contents = `import * as ns from ${JSON.stringify(path)};\nexport const { ${names.join(', ')} } = ns;\nexport default 'default' in ns ? ns.default : ns;\n`;
      return { contents, resolveDir: ROOT };
    });
  },
};

// Chunk names change with their content: drop the previous build's, so dist/ holds only what the bin loads.
for (const file of readdirSync(DIST)) if (CHUNK.test(file)) rmSync(join(DIST, file));

await build({
  entryPoints: { cli: join(ROOT, 'src', 'cli.ts') },
  outdir: DIST,
  chunkNames: 'cli.[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Stack traces: `node --enable-source-maps dist/cli.js` maps them to src/ (the maps are not packed).
  sourcemap: true,
  // CommonJS dependencies (pino, redis, OpenTelemetry) call require() for Node's built-ins: give each chunk one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [namedDynamicImports],
  logLevel: 'warning',
});
