#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startRuntime } from './runtime.js';
import { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS, startSandbox } from './sandbox/index.js';
import { createMcpServer } from './server.js';
import { VERSION } from './version.js';

// stdout carries JSON-RPC in stdio mode: anything printed by mistake goes to stderr instead.
console.log = console.error;
console.info = console.error;
console.debug = console.error;

const HELP = `customer-api-mcp ${VERSION}
MCP server for the PartsSource Customer API and the Augur customers service.

Usage:
  customer-api-mcp [--sandbox] [--enable-admin]   serve MCP over stdio
  customer-api-mcp sandbox [--port N]   run the embedded sandbox alone (prints URLs and demo credentials)
  customer-api-mcp --help | --version

Options:
  --sandbox      use the embedded sandbox (also the default when no credential variable is set)
  --enable-admin offer admin tools (refresh_customer_data, the deprecated Augur refresh triggers)
  --port N       sandbox subcommand: port to listen on (default: a random free port)
  --host H       sandbox subcommand: address to bind (default 127.0.0.1)

Environment:
  PARTSSOURCE_CLIENT_ID, PARTSSOURCE_CLIENT_SECRET, PARTSSOURCE_API_KEY   PartsSource credentials (all or none)
  PARTSSOURCE_BASE_URL, PARTSSOURCE_TOKEN_URL, PARTSSOURCE_SCOPE          PartsSource endpoints and scope
  AUGUR_TOKEN, AUGUR_SITE_ID                                              Augur credentials (all or none)
  AUGUR_BASE_URL                                                          Augur endpoint
  HTTP_TIMEOUT_MS (15000), LOG_LEVEL (info; logs go to stderr)
See README.md for the full table.
`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        sandbox: { type: 'boolean' },
        'enable-admin': { type: 'boolean' },
        port: { type: 'string' },
        host: { type: 'string' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (positionals[0] === 'sandbox') return runSandbox(values.port, values.host);
  if (positionals.length > 0) {
    process.stderr.write(`Unknown command: ${positionals[0]}\n\n${HELP}`);
    return 2;
  }
  return runStdio(Boolean(values.sandbox), Boolean(values['enable-admin']));
}

async function runStdio(sandboxFlag: boolean, enableAdmin: boolean): Promise<number> {
  let config;
  try {
    config = loadConfig(process.env, { sandbox: sandboxFlag });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`customer-api-mcp: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  if (config.mode === 'sandbox') {
    log.info(
      config.sandboxReason === 'flag'
        ? 'sandbox mode (--sandbox): using the embedded sandbox with demo tenant acme'
        : 'sandbox mode: no credential variable is set, so the embedded sandbox with demo tenant acme is used; set PARTSSOURCE_CLIENT_ID/_SECRET/_API_KEY and/or AUGUR_TOKEN/AUGUR_SITE_ID to use the real APIs',
    );
  }
  const runtime = await startRuntime(config);
  const server = createMcpServer({ clients: runtime.clients, log, enableAdmin });
  const transport = new StdioServerTransport();
  let closing = false;
  const shutdown = async (reason: string) => {
    if (closing) return;
    closing = true;
    log.info({ reason }, 'shutting down');
    await server.close().catch(() => {});
    await runtime.close().catch(() => {});
    process.exit(0);
  };
  process.stdin.on('end', () => void shutdown('stdin closed'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await server.connect(transport);
  log.info({ version: VERSION, upstreams: Object.keys(runtime.clients) }, 'customer-api-mcp ready on stdio');
  return -1; // keep running
}

async function runSandbox(portText: string | undefined, host: string | undefined): Promise<number> {
  const port = portText === undefined ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be an integer from 0 to 65535, got ${portText}\n`);
    return 2;
  }
  const sandbox = await startSandbox({ port, ...(host ? { host } : {}), recordRequests: false });
  const lines = [
    `customer-api-mcp sandbox ${VERSION} listening on ${sandbox.origin}`,
    '',
    'PartsSource Customer API',
    `  PARTSSOURCE_BASE_URL=${sandbox.partssource.baseUrl}`,
    `  PARTSSOURCE_TOKEN_URL=${sandbox.partssource.tokenUrl}`,
    ...Object.entries(SANDBOX_PARTSSOURCE_CREDENTIALS).map(
      ([name, c]) => `  ${name}: client_id=${c.clientId} client_secret=${c.clientSecret} x-api-key=${c.apiKey}`,
    ),
    '',
    'Augur customers service',
    `  AUGUR_BASE_URL=${sandbox.augur.baseUrl}`,
    ...Object.entries(SANDBOX_AUGUR_SITES).map(([name, s]) => `  ${name}: AUGUR_SITE_ID=${s.siteId} AUGUR_TOKEN=${s.token}`),
    '',
    'Try:',
    `  TOKEN=$(curl -s -d grant_type=client_credentials -d client_id=${SANDBOX_PARTSSOURCE_CREDENTIALS.acme.clientId} -d client_secret=${SANDBOX_PARTSSOURCE_CREDENTIALS.acme.clientSecret} ${sandbox.partssource.tokenUrl} | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')`,
    `  curl -s -H "Authorization: Bearer $TOKEN" -H "x-api-key: ${SANDBOX_PARTSSOURCE_CREDENTIALS.acme.apiKey}" '${sandbox.partssource.baseUrl}/users/lookup?userId=12345'`,
    '',
    'These are demo credentials of the local sandbox only. Ctrl+C stops it.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`customer-api-mcp: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
