// Runs every benchmark in sequence, each in its own Node process (fresh heap, its children killed by it), and
// prints each one's tables. `node bench/run.mjs [name ...]` runs only the named ones. Needs a built dist/
// (`npm run bench` builds first). Each bench writes bench/results/<name>.json.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { baselineBuild } from './baseline.mjs';
import { printIssue17Summary } from './issue17-summary.mjs';
import { machine, ROOT } from './lib.mjs';

const ALL = ['tool-list', 'call-overhead', 'token-economy', 'cold-start', 'http-throughput', 'scale', 'fleet', 'session-flood', 'tracing', 'lean-path', 'latency-ratios', 'throughput-procs', 'task-tokens'];
/** The benches that compare this build with the pre-issue-17 commit (./baseline.mjs). */
const WITH_BASELINE = ['cold-start', 'lean-path', 'latency-ratios', 'throughput-procs', 'task-tokens'];
const selected = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
const unknown = selected.filter((name) => !ALL.includes(name));
if (unknown.length) {
  process.stderr.write(`unknown bench ${unknown.join(', ')}; one of ${ALL.join(', ')}\n`);
  process.exit(2);
}
if (!existsSync(join(ROOT, 'dist', 'cli.js'))) {
  process.stderr.write('dist/cli.js is missing: run `npm run build` first (or `npm run bench`)\n');
  process.exit(2);
}

// The baseline is built (once, cached) before any bench runs, so no bench's timing includes it.
const env = { ...process.env };
if (selected.some((name) => WITH_BASELINE.includes(name))) {
  const baseline = await baselineBuild();
  env.BENCH_BASELINE_CLI = baseline.cli;
  env.BENCH_BASELINE_LABEL = baseline.label;
  process.stdout.write(`baseline: ${baseline.label} (${baseline.cli})\n`);
}

const m = machine();
process.stdout.write(`customer-api-mcp benchmarks: ${m.nproc} CPUs (${m.cpu}), ${m.memGiB} GiB, Node ${m.node}, ${m.platform}, ${m.date}\n`);
const started = Date.now();
const outcomes = [];
let current;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    current?.kill('SIGTERM');
    process.exit(130);
  });
}
for (const name of selected) {
  process.stdout.write(`\n=== ${name} ===\n`);
  const t0 = Date.now();
  const code = await new Promise((resolve) => {
    // A TypeScript bench (it shares test/support with the tests) runs through tsx.
    const ts = join(ROOT, 'bench', `${name}.ts`);
    const args = existsSync(ts) ? ['--import', 'tsx', ts] : [join(ROOT, 'bench', `${name}.mjs`)];
    current = spawn(process.execPath, args, { stdio: 'inherit', cwd: ROOT, env });
    current.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  outcomes.push({ name, code, seconds: Math.round((Date.now() - t0) / 100) / 10 });
}
process.stdout.write(`\n=== done in ${Math.round((Date.now() - started) / 1000)} s ===\n`);
for (const o of outcomes) process.stdout.write(`${o.code === 0 ? 'ok  ' : 'FAIL'} ${o.name} (${o.seconds} s)\n`);
printIssue17Summary(started);
process.exit(outcomes.every((o) => o.code === 0) ? 0 : 1);
