import type { ServerResponse } from 'node:http';

// The answers the HTTP server writes itself (everything else is the SDK transport's).

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(payload);
}

/**
 * An HTTP-level refusal as a JSON-RPC error. Without the request's id when it is not known: MCP's schema (2025-11-25)
 * makes the id of an error optional and never null, and the transport spec says such a body "has no id".
 */
export function rpcError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}, id?: string | number): void {
  sendJson(res, status, { jsonrpc: '2.0', ...(id !== undefined ? { id } : {}), error: { code, message } }, headers);
}

export function methodNotAllowed(res: ServerResponse, allow: string, message?: string): void {
  rpcError(res, 405, -32000, message ?? `Method not allowed; use ${allow}`, { allow });
}

export function sessionNotFound(res: ServerResponse): void {
  rpcError(res, 404, -32001, 'Session not found: it expired, was closed, or belongs to another key; start a new session with initialize');
}
