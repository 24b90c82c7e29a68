import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS, type Sandbox } from '../../src/sandbox/index.js';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Only what a clean machine has: no credential variable leaks in from the developer's shell. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[name]) env[name] = process.env[name]!;
  return { ...env, ...extra };
}

/**
 * The variables of a live-mode server pointed at a test's own sandbox: tenant acme's PartsSource credentials and,
 * unless `augur: false`, the Augur site paired with it.
 */
export function sandboxLiveVariables(sandbox: Pick<Sandbox, 'partssource' | 'augur'>, { augur = true } = {}): Record<string, string> {
  const acme = SANDBOX_PARTSSOURCE_CREDENTIALS.acme;
  const site = SANDBOX_AUGUR_SITES.acme;
  return {
    PARTSSOURCE_BASE_URL: sandbox.partssource.baseUrl,
    PARTSSOURCE_TOKEN_URL: sandbox.partssource.tokenUrl,
    PARTSSOURCE_CLIENT_ID: acme.clientId,
    PARTSSOURCE_CLIENT_SECRET: acme.clientSecret,
    PARTSSOURCE_API_KEY: acme.apiKey,
    ...(augur ? { AUGUR_BASE_URL: sandbox.augur.baseUrl, AUGUR_TOKEN: site.token, AUGUR_SITE_ID: site.siteId } : {}),
  };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI to completion (for --help, --version and configuration errors). */
export function runCli(args: string[], env: Record<string, string> = cleanEnv(), timeoutMs = 10_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI did not exit: ${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end();
  });
}
