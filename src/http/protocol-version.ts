import type { IncomingMessage } from 'node:http';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { KNOWN_REVISIONS } from '../mcp/protocol-revisions.js';
import { headerValue, setRequestHeader } from './request-headers.js';

export { KNOWN_REVISIONS, negotiated } from '../mcp/protocol-revisions.js';

/**
 * The MCP-Protocol-Version header of a request after initialize, as a reason to refuse it (400) or undefined.
 * In a session it must be the version the session negotiated (a client that switches versions mid-session would be
 * answered by rules it did not agree to); without one (stateless), a known revision. A missing header is accepted:
 * the session's version applies, and is filled in for the SDK (which otherwise assumes 2025-03-26 and would not
 * send the SSE priming event that makes a stream resumable).
 */
export function refuseProtocolHeader(req: IncomingMessage, sessionVersion: string | undefined): string | undefined {
  const sent = headerValue(req, 'mcp-protocol-version');
  if (sent === undefined) {
    if (sessionVersion !== undefined) setRequestHeader(req, 'mcp-protocol-version', sessionVersion);
    return undefined;
  }
  if (sessionVersion !== undefined) {
    return sent === sessionVersion
      ? undefined
      : `Bad Request: MCP-Protocol-Version ${sent} does not match the version this session negotiated (${sessionVersion}); send ${sessionVersion}, or initialize a new session`;
  }
  return KNOWN_REVISIONS.includes(sent)
    ? undefined
    : `Bad Request: unsupported MCP-Protocol-Version ${sent}; supported: ${KNOWN_REVISIONS.join(', ')}`;
}

/** The body is an initialize request, or a batch with one. */
export const isInitialize = (body: unknown): boolean => (Array.isArray(body) ? body.some(isInitializeRequest) : isInitializeRequest(body));
