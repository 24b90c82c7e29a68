import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCorrelationId, type Structured } from './support/harness.js';
import { README_CLI_PATH, clientSnippets, jsonServers } from './support/readme-clients.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

// npm may fetch the dependencies from the registry on a cold cache; everything else is local.
const NPM_TIMEOUT_MS = 240_000;

interface PackResult {
  filename: string;
  files: { path: string }[];
}

/**
 * The environment for npm and the installed bin: a clean machine's, built from an allow-list, so that neither a
 * credential nor the npm settings of the `npm test` run around us (its local prefix, its node_modules/.bin on PATH)
 * leak in. npm's own registry, cache and TLS settings pass through.
 */
function npmEnv(): Record<string, string> {
  const env: Record<string, string> = {
    PATH: (process.env.PATH ?? '')
      .split(delimiter)
      .filter((dir) => dir && !dir.includes('node_modules'))
      .join(delimiter),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  const passThrough = ['HOME', 'TMPDIR', 'LANG', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];
  for (const name of ['registry', 'cache', 'userconfig', 'globalconfig', 'cafile', 'ca', 'strict_ssl', 'proxy', 'https_proxy', 'noproxy']) {
    passThrough.push(`npm_config_${name}`);
  }
  for (const name of passThrough) if (process.env[name]) env[name] = process.env[name]!;
  return env;
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return runWithEnv(command, args, cwd, npmEnv());
}

function runWithEnv(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, timeout: NPM_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Relative modules (chunks) dist/cli.js loads, statically or with import() (the sandbox is loaded only in sandbox mode). */
function importGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
      pending.push(posix.normalize(posix.join(posix.dirname(file), m[1]!)));
    }
  }
  return seen;
}

/** A module tsc emits for a file of types only: no code, nothing to run. */
const isTypeOnlyModule = (file: string) =>
  readFileSync(join(ROOT, file), 'utf8')
    .replace(/\/\/# sourceMappingURL=.*$/m, '')
    .trim() === 'export {};';

describe('npm package', () => {
  it('packs only the JS the bin loads (sandbox included), README.md, LICENSE and package.json', async () => {
    const packed = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT);
    expect(packed.code, packed.stderr).toBe(0);
    const [result] = JSON.parse(packed.stdout) as PackResult[];
    const paths = result!.files.map((f) => f.path).sort();

    const outsideDist = paths.filter((p) => !p.startsWith('dist/'));
    expect(outsideDist).toEqual(['LICENSE', 'README.md', 'package.json']);

    const dist = paths.filter((p) => p.startsWith('dist/'));
    // No source maps (they point at src/, which is not shipped), declarations, build info, tests or benches.
    expect(dist.filter((p) => !p.endsWith('.js'))).toEqual([]);
    expect(dist.filter((p) => /(^|\/)(test|bench)s?\/|\.test\.js$|(^|\/)demo\.js$/.test(p))).toEqual([]);

    // dist/cli.js is the bundle (scripts/bundle.mjs): its chunks, the sandbox's among them, are what it imports.
    const graph = importGraph('dist/cli.js');
    const sandboxChunks = [...graph].filter((file) => readFileSync(join(ROOT, file), 'utf8').includes('async function startSandbox('));
    expect(sandboxChunks).toHaveLength(1);
    const missing = [...graph].filter((file) => !dist.includes(file));
    expect(missing, 'modules the bin loads but the package lacks').toEqual([]);
    const unused = dist.filter((file) => !graph.has(file) && !isTypeOnlyModule(file));
    expect(unused, 'packed modules the bin never loads (a stale build? rm -rf dist && npm run build)').toEqual([]);
  });

  describe("installed globally from the tarball, as the README's Install says, into an empty prefix", () => {
    let workDir: string;
    let prefix: string;
    let binDir: string;
    let installed: string;
    /** npm's environment with the prefix's bin first on PATH: what a shell has after `npm install -g`. */
    const userEnv = () => {
      const env = npmEnv();
      return { ...env, PATH: `${binDir}${delimiter}${env.PATH}` };
    };

    beforeAll(async () => {
      const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
      expect(readme).toContain('npm pack ');
      expect(readme).toContain(`npm install -g ./${pkg.name}-${pkg.version}.tgz`);
      workDir = mkdtempSync(join(tmpdir(), 'customer-api-mcp-package-'));
      const packed = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], ROOT);
      expect(packed.code, packed.stderr).toBe(0);
      const [result] = JSON.parse(packed.stdout) as PackResult[];
      expect(result!.filename).toBe(`${pkg.name}-${pkg.version}.tgz`);
      const tarball = join(workDir, result!.filename);

      // --prefix: the global folder of this test only (a user's `npm install -g` without it writes the real one).
      prefix = join(workDir, 'prefix');
      mkdirSync(prefix);
      binDir = join(prefix, 'bin');
      installed = join(prefix, 'lib', 'node_modules', pkg.name);
      const install = await run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', tarball], workDir);
      expect(install.code, install.stderr).toBe(0);
    }, NPM_TIMEOUT_MS + 60_000);

    afterAll(() => {
      if (workDir) rmSync(workDir, { recursive: true, force: true });
    });

    it('is installed from the tarball, without sources or tests, with the bin on the prefix', () => {
      expect(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'))).toMatchObject({ name: pkg.name, version: pkg.version });
      expect(existsSync(join(installed, 'dist', 'cli.js'))).toBe(true);
      expect(existsSync(join(binDir, pkg.name))).toBe(true);
      for (const absent of ['src', 'test', 'bench', 'tsconfig.json', 'dist/cli.js.map']) expect(existsSync(join(installed, absent)), absent).toBe(false);
    });

    it('`customer-api-mcp --help` prints the usage, `--version` the version', async () => {
      const help = await runWithEnv(pkg.name, ['--help'], workDir, userEnv());
      expect(help.code, help.stderr).toBe(0);
      expect(help.stdout).toContain(`customer-api-mcp ${pkg.version}`);
      expect(help.stdout).toContain('Usage:');
      expect(help.stdout).toContain('customer-api-mcp sandbox [--port N]');
      const version = await runWithEnv(pkg.name, ['--version'], workDir, userEnv());
      expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    }, 60_000);

    it("the README's sandbox entry, with `customer-api-mcp` in place of `node <path>`, serves real tool calls over stdio", async () => {
      const desktop = clientSnippets().find((b) => b.client === 'Claude Desktop' && b.lang === 'json')!;
      const entry = jsonServers(desktop.body)['customer-api-sandbox']!;
      expect(entry).toEqual({ command: 'node', args: [README_CLI_PATH, '--sandbox'], env: {} });
      const args = entry.args.slice(1); // what the README says to keep once the tarball is installed
      const transport = new StdioClientTransport({ command: pkg.name, args, cwd: workDir, env: { ...userEnv(), ...entry.env }, stderr: 'pipe' });
      let stderr = '';
      transport.stderr?.on('data', (d) => (stderr += d));
      const client = new Client({ name: 'package-smoke', version: '1.0.0' });
      try {
        await client.connect(transport);
        expect(client.getServerVersion()).toMatchObject({ version: pkg.version });
        const result = (await client.callTool({ name: 'lookup_user', arguments: { userId: 12345 } })) as CallToolResult;
        expect(result.isError, JSON.stringify(result)).toBeFalsy();
        const user = (result.structuredContent as Structured).user as Structured;
        expect(user.contactId).toBe(12345);
        expect(user.userName).toBe('jdoe');
        expectCorrelationId(result);

        const refused = (await client.callTool({ name: 'lookup_user', arguments: { userId: 'nope' } })) as CallToolResult;
        expect(refused.isError).toBe(true);
        expect((refused.structuredContent as Structured).error.code).toBe('invalid_argument');
        expectCorrelationId(refused);
        expect(stderr).toContain('sandbox');
      } finally {
        await client.close();
      }
    }, 60_000);
  });
});
