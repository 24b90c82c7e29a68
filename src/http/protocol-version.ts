import type { IncomingMessage } from 'node:http';
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { setRequestHeader } from './request-headers.js';

/**
 * The published MCP revisions this server speaks: the SDK's list without `2024-10-07`, which the SDK carries but
 * never was a revision of the spec (the first one is 2024-11-05).
 */
export const KNOWN_REVISIONS: readonly string[] = SUPPORTED_PROTOCOL_VERSIONS.filter((version) => version !== '2024-10-07');

/** What initialize agrees to: the requested revision when known, else the latest (spec: never echo an unknown one). */
export function negotiate(requested: unknown): string {
  return typeof requested === 'string' && KNOWN_REVISIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION;
}

/**
 * The initialize message as the SDK should see it: an unknown revision replaced by the one negotiated, so that the
 * SDK (whose list cannot be configured) answers with it. Returns the message and the negotiated version.
 */
export function negotiated(body: unknown): { body: unknown; version: string } {
  if (Array.isArray(body)) {
    const messages = body.map((message) => (isInitialize(message) ? negotiated(message) : { body: message, version: undefined }));
    return { body: messages.map((m) => m.body), version: messages.find((m) => m.version)?.version ?? LATEST_PROTOCOL_VERSION };
  }
  const message = body as { params?: { protocolVersion?: unknown } };
  const version = negotiate(message.params?.protocolVersion);
  if (message.params?.protocolVersion === version) return { body, version };
  return { body: { ...message, params: { ...message.params, protocolVersion: version } }, version };
}

const isInitialize = (message: unknown) => (message as { method?: unknown } | null)?.method === 'initialize';

/**
 * The MCP-Protocol-Version header of a request after initialize, as a reason to refuse it (400) or undefined.
 * In a session it must be the version the session negotiated (a client that switches versions mid-session would be
 * answered by rules it did not agree to); without one (stateless), a known revision. A missing header is accepted:
 * the session's version applies, and is filled in for the SDK (which otherwise assumes 2025-03-26 and would not
 * send the SSE priming event that makes a stream resumable).
 */
export function refuseProtocolHeader(req: IncomingMessage, sessionVersion: string | undefined): string | undefined {
  const raw = req.headers['mcp-protocol-version'];
  const sent = Array.isArray(raw) ? raw[0] : raw;
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

/** The negotiated version of each session's transport (kept beside the session, gone with it). */
const versions = new WeakMap<object, string>();
export const rememberVersion = (transport: object, version: string) => void versions.set(transport, version);
export const versionOf = (transport: object): string | undefined => versions.get(transport);
