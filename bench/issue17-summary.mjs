// One table of issue 17's goals, from the results the benches of this run wrote (lean-path, latency-ratios,
// cold-start, throughput-procs, tool-list, task-tokens): every figure a ratio measured side by side in one bench
// process. Printed by bench/run.mjs at the end; `node bench/issue17-summary.mjs` prints it from the committed results.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable, RESULTS, writeResult } from './lib.mjs';

/** A bench's results if written at or after `sinceMs`. */
function result(name, sinceMs) {
  const path = join(RESULTS, `${name}.json`);
  try {
    if (statSync(path).mtimeMs < sinceMs) return undefined;
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

const row = (measure, value, goal, test) => ({ measure, ratio: value, goal, met: value === undefined ? '' : test(value) ? 'yes' : 'no' });
const atMost = (limit) => (v) => v <= limit;
const atLeast = (limit) => (v) => v >= limit;

/** Prints (and writes bench/results/issue-17.json) the goal table; returns false when no issue-17 bench ran. */
export function printIssue17Summary(sinceMs = 0) {
  const rows = [];
  const lean = result('lean-path', sinceMs);
  if (lean) {
    const ours = lean.rows[1];
    rows.push(row('stdio server CPU per call ×baseline (lean-path)', ours['stdio ratio'], '<= 0.6', atMost(0.6)));
    rows.push(row('stateless server CPU per call, one at a time, ×baseline (lean-path)', ours['stateless ratio'], '<= 0.6', atMost(0.6)));
    rows.push(row(`stateless calls/s @${lean.concurrency} ×baseline (lean-path, in-process load)`, ours['throughput ratio'], '>= 1.6', atLeast(1.6)));
  }
  const procs = result('throughput-procs', sinceMs);
  for (const r of procs?.ratios ?? []) {
    rows.push(row(`stateless calls/s @${r.concurrency} ×baseline (throughput-procs)`, r['calls/s ×baseline'], '>= 1.6', atLeast(1.6)));
    rows.push(row(`stateless server CPU per call @${r.concurrency} ×baseline (throughput-procs)`, r['server CPU/call ×baseline'], '<= 0.6', atMost(0.6)));
  }
  const latency = result('latency-ratios', sinceMs);
  for (const r of latency?.ratios ?? []) {
    const slow = r.upstream !== '+0 ms';
    if (slow) rows.push(row(`${r.op} stdio p50 ×plain node:http, upstream ${r.upstream}`, r['p50 /plain'], '<= 1.10', atMost(1.1)));
    else rows.push(row(`${r.op} stdio p50 ×plain node:http, upstream ${r.upstream}`, r['p50 /plain'], '(reported)', () => true));
    rows.push(row(`${r.op} stdio p50 ×generic proxy, upstream ${r.upstream}`, r['p50 /proxy'], '<= 1.0', atMost(1)));
    rows.push(row(`${r.op} stdio p50 ×baseline, upstream ${r.upstream}`, r['p50 /baseline'], '(reported)', () => true));
  }
  const cold = result('cold-start', sinceMs);
  for (const r of cold?.ratios ?? []) {
    const goal = r.mode.startsWith('--http') ? '(reported)' : '<= 1.2';
    rows.push(row(`cold start ${r.mode} ×server-everything`, r['×server-everything'], goal, goal === '<= 1.2' ? atMost(1.2) : () => true));
    rows.push(row(`cold start ${r.mode} ×baseline`, r['×baseline'], '(reported)', () => true));
  }
  const list = result('tool-list', sinceMs)?.variants?.[0];
  if (list) {
    rows.push(row('tools/list, default set: tokens ÷ 7,000', Math.round((list.tokens / 7000) * 100) / 100, '<= 1.0', atMost(1)));
    const over = list.perTool.filter((t) => t.tokens > 250).map((t) => `${t.tool} ${t.tokens}`);
    rows.push(row(`tools/list: largest tool ÷ 250 tokens${over.length ? ` (over: ${over.join(', ')})` : ''}`, Math.round((list.maxToolTokens / 250) * 100) / 100, '<= 1.0', atMost(1)));
  }
  const tasks = result('task-tokens', sinceMs);
  // This build with its default text (json): what Claude Code and VS Code pass (structuredContent), and both.
  for (const r of (tasks?.rows ?? []).filter((r) => r.server === 'this build, text json' || r.server === 'this build')) {
    if (r.task === 'tools/list') continue;
    rows.push(row(`result tokens ×generic proxy: ${r.task}, structuredContent (or text) alone`, r['a ×proxy'], '<= 0.33', atMost(1 / 3)));
  }
  for (const r of (tasks?.rows ?? []).filter((r) => r.server === 'this build, text summary' && r.task !== 'tools/list')) {
    rows.push(row(`result tokens ×generic proxy: ${r.task}, both (--result-text summary)`, r['c ×proxy'], '(reported)', () => true));
  }
  if (rows.length === 0) return false;
  for (const r of rows) if (r.goal === '(reported)') r.met = '';
  printTable('issue 17 goals, this build as ratios measured side by side in this run (baseline = the commit before issue 17)', ['measure', 'ratio', 'goal', 'met'], rows);
  writeResult('issue-17', { rows });
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printIssue17Summary();
