import { createRequire } from 'node:module';

/** The package version, read from package.json so `--version` and serverInfo never drift from it. */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
