// The build the issue-17 benches compare against: the commit before issue 17's work (BASELINE_COMMIT), built once
// into a cache directory outside the repository and reused by every later run. BENCH_BASELINE_CLI=<checkout>/dist/cli.js
// compares against another build instead. `node bench/baseline.mjs` builds it (if needed) and prints its cli.js.
//
// The tree is exported with `git archive` (no worktree registered in the repository, so nothing to prune), installed
// with `npm ci` (its `prepare` builds dist/) in a temporary directory, then renamed into place: a run killed midway
// leaves no half-built baseline behind, only a `.tmp-<pid>` directory that the next run removes. Only one baseline
// directory is kept (others, of another commit, are removed).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, track } from './lib.mjs';

/** 1e36a26: main before issue 17 (the merge of the OAuth resource server). */
export const BASELINE_COMMIT = '1e36a26';
const READY = '.bench-baseline-ready';

export const cacheDir = () =>
  process.env.BENCH_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(os.homedir(), '.cache'), 'customer-api-mcp-bench');

/** `{cli, label}` of the baseline build: BENCH_BASELINE_CLI, or the pre-issue commit built (once) in the cache. */
export async function baselineBuild() {
  if (process.env.BENCH_BASELINE_CLI) {
    return { cli: process.env.BENCH_BASELINE_CLI, label: process.env.BENCH_BASELINE_LABEL ?? 'baseline (BENCH_BASELINE_CLI)' };
  }
  let sha;
  try {
    sha = execFileSync('git', ['-C', ROOT, 'rev-parse', '--verify', '--quiet', `${BASELINE_COMMIT}^{commit}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`commit ${BASELINE_COMMIT} (the baseline) is not in this clone: fetch it (a shallow clone lacks it) or set BENCH_BASELINE_CLI=<checkout>/dist/cli.js`);
  }
  const root = cacheDir();
  const dir = join(root, `baseline-${sha.slice(0, 12)}`);
  const label = `pre-issue ${sha.slice(0, 7)}`;
  if (isReady(dir, sha)) return { cli: join(dir, 'dist', 'cli.js'), label };

  mkdirSync(root, { recursive: true });
  removeLeftovers(root, dir);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  process.stderr.write(`building the baseline ${sha.slice(0, 7)} in ${dir} (once; later runs reuse it)\n`);
  try {
    await run('sh', ['-c', `git -C "${ROOT}" archive --format=tar ${sha} | tar -x -C "${tmp}"`], ROOT);
    await run('npm', ['ci', '--no-audit', '--no-fund'], tmp);
    if (!existsSync(join(tmp, 'dist', 'cli.js'))) await run('npm', ['run', 'build'], tmp);
    writeFileSync(join(tmp, READY), `${sha}\n`);
    // Another run may have finished the same build meanwhile: keep its copy.
    if (isReady(dir, sha)) rmSync(tmp, { recursive: true, force: true });
    else {
      rmSync(dir, { recursive: true, force: true });
      renameSync(tmp, dir);
    }
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`could not build the baseline ${sha.slice(0, 7)}: ${error.message}`);
  }
  return { cli: join(dir, 'dist', 'cli.js'), label };
}

function isReady(dir, sha) {
  try {
    return readFileSync(join(dir, READY), 'utf8').trim() === sha && existsSync(join(dir, 'dist', 'cli.js'));
  } catch {
    return false;
  }
}

/** Baselines of other commits and temporary directories of runs that are no longer alive. */
function removeLeftovers(root, keep) {
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (!name.startsWith('baseline-') || path === keep) continue;
    const tmpOf = /\.tmp-(\d+)$/.exec(name);
    if (tmpOf && isAlive(Number(tmpOf[1]))) continue;
    rmSync(path, { recursive: true, force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command in its own process group (killed whole if this process is stopped); output to stderr. */
function run(command, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 2, 2], detached: true });
    const group = { kill: () => process.kill(-child.pid, 'SIGKILL'), once: (event, fn) => child.once(event, fn) };
    track(group);
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}`)),
    );
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { cli, label } = await baselineBuild();
  process.stdout.write(`${label}: ${cli}\n`);
}
