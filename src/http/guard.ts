import type { IncomingMessage } from 'node:http';
import { isLoopbackHost } from '../config.js';

export interface HostGuardOptions {
  /** The address the server is bound to; a specific (not wildcard) address is accepted as a Host too. */
  bindHost: string;
  /** Extra host names, `host:port` pairs, or `*` (accept any Host, e.g. behind a proxy that checks it). */
  allowedHosts: readonly string[];
  /** Extra origins such as `https://app.example.com`, or `*`. Loopback origins are always accepted. */
  allowedOrigins: readonly string[];
}

const WILDCARD_BIND = new Set(['0.0.0.0', '::', '[::]', '']);

const normalHost = (host: string) => host.trim().toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');

/** hostname and port of a Host header value (`[::1]:3000` → `::1`, `3000`); undefined when malformed. */
function splitHost(value: string): { hostname: string; port: string } | undefined {
  try {
    const url = new URL(`http://${value}`);
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
    return { hostname: normalHost(url.hostname), port: url.port };
  } catch {
    return undefined;
  }
}

/**
 * DNS-rebinding protection: the Host header must name this server (a loopback name, the bound address, or an
 * allowed host) and an Origin header, when a browser sends one, must be a loopback or allowed origin. Hostnames
 * are compared without the port unless the allowed entry names one (the SDK's transport option compares
 * `host:port` literally, which refuses what real clients send).
 */
export function createHostGuard(options: HostGuardOptions): (req: IncomingMessage) => string | undefined {
  const anyHost = options.allowedHosts.includes('*');
  const anyOrigin = options.allowedOrigins.includes('*');
  const hostnames = new Set<string>();
  const hostPorts = new Set<string>();
  if (!WILDCARD_BIND.has(options.bindHost.trim())) hostnames.add(normalHost(options.bindHost));
  for (const entry of options.allowedHosts) {
    if (entry === '*') continue;
    const parts = splitHost(entry);
    if (!parts) continue;
    if (parts.port) hostPorts.add(`${parts.hostname}:${parts.port}`);
    else hostnames.add(parts.hostname);
  }
  const origins = new Set<string>();
  for (const entry of options.allowedOrigins) {
    if (entry === '*') continue;
    try {
      origins.add(new URL(entry).origin);
    } catch {
      // ignored: an unparsable origin can never match
    }
  }

  return (req) => {
    const host = req.headers.host;
    if (!anyHost) {
      const parts = typeof host === 'string' ? splitHost(host) : undefined;
      const ok =
        parts !== undefined &&
        (isLoopbackHost(parts.hostname) || hostnames.has(parts.hostname) || hostPorts.has(`${parts.hostname}:${parts.port}`));
      if (!ok) return `Forbidden: Host header ${JSON.stringify(host ?? '')} is not allowed (see --allowed-hosts)`;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !anyOrigin) {
      let parsed: URL | undefined;
      try {
        parsed = new URL(origin);
      } catch {
        parsed = undefined;
      }
      const ok = parsed !== undefined && (isLoopbackHost(normalHost(parsed.hostname)) || origins.has(parsed.origin));
      if (!ok) return `Forbidden: Origin ${JSON.stringify(origin)} is not allowed (see --allowed-origins)`;
    }
    return undefined;
  };
}
