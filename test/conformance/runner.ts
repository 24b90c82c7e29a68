import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The expected-failures baseline: scenarios that need reference fixtures or features the server does not offer. */
export const BASELINE_FILE = fileURLToPath(new URL('./baseline.yml', import.meta.url));

/** The runner pinned in devDependencies (not whatever npx would fetch). */
export const RUNNER = createRequire(import.meta.url).resolve('@modelcontextprotocol/conformance/dist/index.js');

/**
 * The newest runner, pinned beside it as the npm alias `conformance-next` (0.2.0-alpha.12): it tracks the spec
 * ahead of the stable line (its 2025-11-25 scenarios send the negotiated MCP-Protocol-Version, 0.1.16 sends
 * 2025-03-26). Run with `--spec-version 2025-11-25`: SDK v1 speaks no later revision.
 */
export const RUNNER_NEXT = createRequire(import.meta.url).resolve('conformance-next/dist/index.js');
export const BASELINE_NEXT_FILE = fileURLToPath(new URL('./baseline-next.yml', import.meta.url));

export interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | 'SKIPPED';
  errorMessage?: string;
  details?: Record<string, unknown>;
}

export interface ConformanceRun {
  /** The runner's exit code: 0 when every failure is in the baseline and no baseline entry passes. */
  code: number;
  /** stdout without colour codes. */
  output: string;
  /** The runner's own summary line, e.g. `Total: 9 passed, 23 failed` (counts checks, not scenarios). */
  totalLine: string;
  /** Scenario name → its checks, read from the `checks.json` the runner wrote with `-o`. */
  scenarios: Map<string, Check[]>;
}

const ANSI = /\u001b\[[0-9;]*m/g;

/** Runs the active server suite against `url` with a baseline file, writing results under `outDir`. */
export async function runConformance(
  node22: string,
  url: string,
  baselineFile: string,
  outDir: string,
  timeoutMs = 180_000,
  options: { runner?: string; args?: string[] } = {},
): Promise<ConformanceRun> {
  const args = [options.runner ?? RUNNER, 'server', '--url', url, '--expected-failures', baselineFile, '-o', outDir, ...(options.args ?? [])];
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(node22, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
  const output = result.stdout.replace(ANSI, '');
  return {
    code: result.code,
    output: `${output}${result.stderr}`,
    totalLine: /^Total: .*$/m.exec(output)?.[0] ?? '',
    scenarios: readChecks(outDir),
  };
}

/** `-o DIR` holds one `server-<scenario>-<ISO time>/checks.json` per scenario. */
function readChecks(outDir: string): Map<string, Check[]> {
  const scenarios = new Map<string, Check[]>();
  if (!existsSync(outDir)) return scenarios; // the runner did not get that far; its output says why
  for (const entry of readdirSync(outDir)) {
    const match = /^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.exec(entry);
    if (!match) continue;
    scenarios.set(match[1]!, JSON.parse(readFileSync(join(outDir, entry, 'checks.json'), 'utf8')) as Check[]);
  }
  return scenarios;
}

export type Mode = 'stateful' | 'stateless';

/**
 * Stateless mode has no sessions, and server-sse-multiple-streams needs one (without it the scenario only warns
 * "Server did not provide session ID", which the baseline counts as a failure; so does 0.2). Both runners' stateless
 * baseline is their file plus these.
 */
export const STATELESS_ONLY_FAILURES = ['server-sse-multiple-streams'];

/** Scenario names listed in the baseline file (`server:` then a YAML list). */
export function baselineScenarios(mode: Mode = 'stateful', file = BASELINE_FILE): string[] {
  const listed = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => /^\s+-\s+([\w-]+)\s*$/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
  return mode === 'stateless' ? [...new Set([...listed, ...STATELESS_ONLY_FAILURES])] : listed;
}

/** The baseline file for a mode: baseline.yml itself, or for stateless a copy plus STATELESS_ONLY_FAILURES in `dir`. */
export function baselineFile(mode: Mode, dir: string, file = BASELINE_FILE): string {
  if (mode === 'stateful') return file;
  const path = join(dir, `stateless-${file.split('/').pop()}`);
  writeFileSync(path, `server:\n${baselineScenarios('stateless', file).map((name) => `  - ${name}\n`).join('')}`);
  return path;
}
