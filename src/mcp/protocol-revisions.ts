import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';

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
 * The same negotiation for a transport whose messages reach the SDK directly (stdio): initialize messages are
 * rewritten on their way in. HTTP rewrites the parsed body instead (src/http/server.ts).
 */
export function negotiateKnownRevisions<T extends Transport>(transport: T): T {
  type OnMessage = NonNullable<Transport['onmessage']>;
  let handler: OnMessage | undefined;
  const negotiating: OnMessage = (message, extra) =>
    handler?.((isInitialize(message) ? negotiated(message).body : message) as typeof message, extra);
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    get: () => (handler ? negotiating : undefined),
    set: (next: OnMessage | undefined) => {
      handler = next;
    },
  });
  return transport;
}
