import type { Reporter, TestModule, TestSpecification } from 'vitest/node';

const HEARTBEAT_MS = 30_000;

/**
 * Progress for a long `npm test` (several minutes on 2 cores): `[done/total]` as each file ends and, every 30 s, the
 * files still running and for how long, so that a slow file (conformance, package, fleet) is never a silent stretch.
 * On stderr: CI reads the summary line on stdout. In a terminal vitest's own live view does this, so it stays quiet.
 */
export default class ProgressReporter implements Reporter {
  #total = 0;
  #done = 0;
  #started = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  readonly #quiet = Boolean(process.stdout.isTTY);

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    this.#total = new Set(specifications.map((s) => s.moduleId)).size;
    if (this.#quiet) return;
    this.#timer = setInterval(() => this.#heartbeat(), HEARTBEAT_MS);
    this.#timer.unref();
  }

  onTestModuleStart(testModule: TestModule): void {
    this.#started.set(testModule.relativeModuleId, Date.now());
  }

  onTestModuleEnd(testModule: TestModule): void {
    const started = this.#started.get(testModule.relativeModuleId);
    this.#started.delete(testModule.relativeModuleId);
    this.#done++;
    if (this.#quiet) return;
    const seconds = started === undefined ? '' : ` ${Math.round((Date.now() - started) / 1000)} s`;
    process.stderr.write(`[${this.#done}/${this.#total}] ${testModule.relativeModuleId} ${testModule.state()}${seconds}\n`);
  }

  onTestRunEnd(): void {
    clearInterval(this.#timer);
  }

  #heartbeat(): void {
    const now = Date.now();
    // Files that just started are not news; one that has run for a while is what a silent stretch would hide.
    const running = [...this.#started].filter(([, started]) => now - started >= 10_000).map(([file, started]) => `${file} (${Math.round((now - started) / 1000)} s)`);
    if (running.length === 0) return;
    process.stderr.write(`[${this.#done}/${this.#total}] still running: ${running.join(', ')}\n`);
  }
}
