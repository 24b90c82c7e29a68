#!/usr/bin/env node
import { ConfigError } from './config/config-error.js';
import { readEnvironment } from './config/environment.js';
import { httpConfig } from './config/http-config.js';
import { optionsOf, type Settings } from './config/options.js';
import { resolveSettings } from './config/resolve.js';
import { stateConfig } from './config/state-config.js';
import { telemetryConfig } from './config/telemetry-config.js';
import { toolOptions } from './config/tool-options.js';
import { endpointDefaults, upstreamConfig } from './config/upstreams.js';
import { UnknownToolNamesError } from './mcp/tool-selection.js';
import { VERSION } from './version.js';
import { parseCommandLine } from './cli/parse.js';
import { runStdio } from './cli/run-stdio.js';
import { checkToolNames, listTools } from './cli/tool-list.js';
import { usage } from './cli/usage.js';

// stdout carries JSON-RPC in stdio mode: anything printed by mistake goes to stderr instead.
console.log = console.error;
console.info = console.error;
console.debug = console.error;

/** Parses, resolves every option of the chosen mode from flags and the environment (read once), and runs it. */
async function main(argv: string[]): Promise<number | 'running'> {
  const { mode, flags } = parseCommandLine(argv);
  if (flags.help) return print(usage());
  if (flags.version) return print(`${VERSION}\n`);
  // Settings holds only the options of `mode`; each branch reads only those.
  const settings = resolveSettings(optionsOf(mode), mode, flags, readEnvironment(process.env)) as Settings;
  // Each mode loads only its own modules: the HTTP server (with jose, hono, the OAuth modules), the sandbox and the
  // faults-file schema are imported when their mode needs them, so a stdio start does not pay for them.
  if (mode === 'new-key') return (await import('./cli/new-key.js')).printNewKey();
  if (mode === 'sandbox') return (await import('./cli/run-sandbox.js')).runSandbox(settings);
  const tools = checkToolNames(toolOptions(settings));
  const config = upstreamConfig(settings);
  if (settings.listTools) return listTools(tools, config);
  const withFaults = config.faultsFile ? (await import('./cli/sandbox-faults.js')).withSandboxFaults(config) : config;
  const common = { config: withFaults, state: stateConfig(settings), tools, telemetry: telemetryConfig(settings) };
  if (mode === 'http') return (await import('./cli/run-http.js')).runHttp({ ...common, http: httpConfig(settings), endpoints: endpointDefaults(settings) });
  return runStdio({ ...common, shutdownGraceMs: settings.shutdownGraceMs });
}

function print(text: string): number {
  process.stdout.write(text);
  return 0;
}

/** The one place a configuration error becomes exit code 2: one line on stderr, no stack. */
function exitCodeOf(error: unknown): number {
  if (error instanceof ConfigError || error instanceof UnknownToolNamesError) {
    process.stderr.write(`customer-api-mcp: ${error.message}\n`);
    return 2;
  }
  process.stderr.write(`customer-api-mcp: ${(error as Error)?.stack ?? String(error)}\n`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 'running') process.exit(code);
  },
  (error: unknown) => process.exit(exitCodeOf(error)),
);
