import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import { CLI } from './cli.js';
import { expectCorrelationId, type Structured } from './harness.js';

export type ToolResult = CallToolResult & { structuredContent: Structured };

export interface HttpClient {
  client: Client;
  transport: StreamableHTTPClientTransport;
  /** A tool call through the SDK Client; every result must carry its correlation id. */
  call(name: string, args?: Record<string, unknown>): Promise<ToolResult>;
  close(): Promise<void>;
}

/** The real SDK client over Streamable HTTP with `Authorization: Bearer <key>`. */
export async function connectHttp(url: string, key: string | undefined, options: { fetch?: typeof fetch } = {}): Promise<HttpClient> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    ...(key !== undefined ? { requestInit: { headers: { authorization: `Bearer ${key}` } } } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const client = new Client({ name: 'http-test', version: '1.0.0' });
  client.onerror = () => {}; // the GET stream ending at shutdown or expiry is expected
  await client.connect(transport);
  await client.listTools(); // lets the client validate structured results against the output schemas
  return {
    client,
    transport,
    async call(name, args = {}) {
      const result = (await client.callTool({ name, arguments: args })) as ToolResult;
      expectCorrelationId(result);
      return result;
    },
    close: () => client.close(),
  };
}

export const ok = (result: ToolResult, what = '') => {
  expect(result.isError, `${what} ${JSON.stringify(result.structuredContent).slice(0, 400)}`).toBeFalsy();
  return result.structuredContent;
};

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): Structured;
}

export const MCP_HEADERS = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };

/** A raw request with node:http (so Host and any other header can be set freely, and bodies can be streamed). */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[] } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as Structured }),
      );
      res.on('error', reject);
    });
    // The server may answer (413) and close before the whole body is written: the answer is what counts.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    req.on('close', () => {
      if (!answered) reject(new Error(`${options.method ?? 'GET'} ${url}: the connection closed without an answer`));
    });
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

export const initializeBody = (id = 1) =>
  JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  });

export const callBody = (name: string, args: Record<string, unknown>, id = 7) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

/** Polls a condition (for states that have no event to await); fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface HttpProcess {
  child: ChildProcessWithoutNullStreams;
  /** The MCP endpoint the process printed (`listening on http://...`). */
  url: string;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** SIGKILL if still running (cleanup). */
  kill(): void;
}

const children = new Set<ChildProcessWithoutNullStreams>();

/** Spawns the built CLI in HTTP mode and waits for its `listening on URL` line on stderr. */
export async function spawnHttpCli(args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<HttpProcess> {
  const child = spawn(process.execPath, [CLI, '--http', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', () => {});
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" line within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    const check = () => {
      const match = /listening on (http:\/\/\S+\/mcp)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        child.stderr.off('data', check);
        resolve(match[1]!);
      }
    };
    child.stderr.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening: ${stderr}`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    child,
    url,
    stderr: () => stderr,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** Kills every child spawned by spawnHttpCli that is still running. */
export function killAllChildren(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
}
