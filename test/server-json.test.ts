import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_VARIABLES, loadConfig, loadEndpointDefaults, loadHttpConfig, loadTelemetryConfig, loadToolOptions } from '../src/config.js';
import { CONFIRM_WRITES_MODES } from '../src/mcp/confirmation.js';
import { RESULT_TEXT_MODES } from '../src/mcp/result-text.js';
import { SECRET_VARIABLES, variablesRead } from './support/env-reads.js';
import { serverJsonVariables } from '../scripts/options-docs.js';
import { optionEntries } from '../src/config/options.js';

const read = (file: string) => JSON.parse(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'));
const pkg = read('package.json') as { name: string; version: string; mcpName: string };

interface EnvironmentVariable {
  name: string;
  description?: string;
  isRequired?: boolean;
  isSecret?: boolean;
  default?: string;
  choices?: string[];
  format?: string;
}
const server = read('server.json') as {
  $schema: string;
  name: string;
  description: string;
  title?: string;
  version: string;
  packages: {
    registryType: string;
    registryBaseUrl?: string;
    identifier: string;
    version: string;
    transport: { type: string };
    environmentVariables: EnvironmentVariable[];
  }[];
};

/** server.json is what the MCP registry (registry.modelcontextprotocol.io) publishes: it must match the package. */
describe('server.json', () => {
  it('follows the registry schema 2025-12-11 and names the npm package of this version', () => {
    expect(server.$schema).toBe('https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json');
    // The registry checks npm ownership by comparing this name with package.json's mcpName.
    expect(server.name).toBe(pkg.mcpName);
    expect(server.name).toMatch(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/);
    expect(server.name.split('/')[0]).toMatch(/^io\.github\.[A-Za-z0-9-]+$/);
    expect(server.description.length).toBeGreaterThan(0);
    expect(server.description.length).toBeLessThanOrEqual(100);
    expect((server.title ?? 'x').length).toBeLessThanOrEqual(100);
    expect(server.version).toBe(pkg.version);
    expect(server.packages).toHaveLength(1);
    expect(server.packages[0]).toMatchObject({
      registryType: 'npm',
      registryBaseUrl: 'https://registry.npmjs.org',
      identifier: pkg.name,
      version: pkg.version,
      transport: { type: 'stdio' },
    });
  });

  const variables = server.packages[0]!.environmentVariables;

  it('lists only variables a stdio server really reads, each once and described', () => {
    const { stdio } = variablesRead();
    const names = variables.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    for (const v of variables) {
      expect(stdio, `${v.name} is not read by the stdio server`).toContain(v.name);
      expect(v.description?.length, v.name).toBeGreaterThan(10);
    }
    // Every credential is listed: without them a registry client could only ever start the sandbox.
    for (const name of Object.values(CREDENTIAL_VARIABLES).flat()) expect(names).toContain(name);
  });

  it('is generated from the option table: every variable a stdio server reads, in table order, secrets marked (run npm run docs)', () => {
    expect(variables, 'server.json is out of date: run npm run docs').toEqual(serverJsonVariables());
    const stdio = optionEntries().filter(([, spec]) => spec.env && spec.modes.includes('stdio'));
    expect(variables.map((v) => v.name)).toEqual(stdio.map(([, spec]) => spec.env));
    for (const [, spec] of stdio) expect(variables.find((v) => v.name === spec.env)!.isSecret, spec.env).toBe(spec.secret === true);
    expect(variables.map((v) => v.name)).not.toContain('MCP_HTTP_PORT'); // HTTP mode only
  });

  it('marks exactly the secrets isSecret, and nothing as required (no credentials = sandbox mode)', () => {
    for (const v of variables) {
      expect(v.isSecret, v.name).toBe(SECRET_VARIABLES.includes(v.name));
      expect(v.isRequired, v.name).toBe(false);
    }
  });

  it('states the real defaults and choices', () => {
    const byName = new Map(variables.map((v) => [v.name, v]));
    // What the server does with none of these variables set.
    const endpoints = loadEndpointDefaults({});
    const tools = loadToolOptions({});
    const realDefaults: Record<string, string> = {
      PARTSSOURCE_BASE_URL: endpoints.partssourceBaseUrl,
      PARTSSOURCE_TOKEN_URL: endpoints.partssourceTokenUrl,
      AUGUR_BASE_URL: endpoints.augurBaseUrl,
      MCP_READ_ONLY: String(tools.readOnly),
      MCP_ENABLE_ADMIN: String(tools.enableAdmin),
      MCP_CONFIRM_WRITES: tools.confirmWrites,
      MCP_MAX_RESULT_BYTES: String(tools.maxResultBytes),
      MCP_RESULT_TEXT: tools.resultText,
      HTTP_TIMEOUT_MS: String(loadConfig({}).timeoutMs),
      TOOL_TIMEOUT_MS: String(loadConfig({}).toolTimeoutMs),
      UPSTREAM_MAX_RESPONSE_BYTES: String(loadConfig({}).maxResponseBytes),
      LOG_LEVEL: loadConfig({}).logLevel,
      MCP_HTTP_SHUTDOWN_GRACE_MS: String(loadHttpConfig({}).shutdownGraceMs),
      OTEL_EXPORTER_OTLP_PROTOCOL: loadTelemetryConfig({}).protocol,
      OTEL_METRIC_EXPORT_INTERVAL: String(loadTelemetryConfig({}).metricExportIntervalMs),
    };
    for (const v of variables) {
      if (v.default !== undefined) expect(v.default, v.name).toBe(realDefaults[v.name]);
    }
    for (const [name, value] of Object.entries(realDefaults)) if (byName.has(name)) expect(byName.get(name)!.default, name).toBe(value);
    expect(byName.get('MCP_CONFIRM_WRITES')?.choices).toEqual([...CONFIRM_WRITES_MODES]);
    expect(byName.get('MCP_RESULT_TEXT')?.choices).toEqual([...RESULT_TEXT_MODES]);
  });
});
