import type { IncomingHttpHeaders } from 'node:http';

/** One request as a sandbox API module sees it: the path is relative to the module's mount point. */
export interface SandboxRequest {
  method: string;
  /** Path below the mount point, decoded segments NOT applied (raw, e.g. `/orders/10001`). */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

/** What a module answers. `body` that is not a string is sent as JSON. */
export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** An upstream API simulated by the sandbox (PartsSource, Augur). */
export interface SandboxModule {
  handle(req: SandboxRequest): Promise<SandboxResponse>;
}

/** A request the sandbox received, kept so tests can assert on what the upstream really saw. */
export interface RecordedRequest {
  api: 'partssource' | 'augur';
  method: string;
  /** Path below the module's mount point, e.g. `/oauth2/token` or `/customer/users/lookup`. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON, parsed form fields (token endpoint), raw text otherwise, or undefined when empty. */
  body: unknown;
  status: number;
  responseHeaders: Record<string, string>;
}
