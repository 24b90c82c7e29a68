import { ConfigError } from './config-error.js';
import { isLoopbackHost } from './http-config.js';
import type { Settings } from './options.js';

/** The resource-server settings of HTTP mode: present only when an issuer is configured. */
export interface OAuthConfig {
  /** The authorization server whose tokens are accepted: `iss` must equal it. */
  issuer: string;
  /** The canonical URL of this MCP endpoint: the audience (RFC 8707) and `resource` of the metadata. */
  publicUrl: string;
  tenantClaim: string;
  scopePrefix: string;
  clockSkewSeconds: number;
  /** RFC 7662 introspection of opaque tokens, with this server's own client credentials (the secret is never logged). */
  introspection?: { url: string; clientId: string; clientSecret: string };
}

export const OAUTH_KEYS = [
  'oauthIssuer', 'publicUrl', 'oauthTenantClaim', 'oauthScopePrefix', 'oauthClockSkew', 'oauthIntrospectionUrl', 'oauthClientId', 'oauthClientSecret',
] as const;

/** The MCP endpoint's path: the public URL must end there, so the audience is the URL clients really call. */
export const MCP_PATH = '/mcp';

/** Undefined without an issuer; a ConfigError (exit 2, naming the option) for a configuration tokens could not be checked with. */
export function oauthConfig(s: Settings<(typeof OAUTH_KEYS)[number]>): OAuthConfig | undefined {
  if (!s.oauthIssuer) {
    if (s.oauthIntrospectionUrl) throw new ConfigError('--oauth-introspection-url (MCP_OAUTH_INTROSPECTION_URL) needs --oauth-issuer (MCP_OAUTH_ISSUER)');
    if (s.publicUrl) throw new ConfigError('--public-url (MCP_PUBLIC_URL) is only used with --oauth-issuer (MCP_OAUTH_ISSUER): set both, or neither');
    return undefined;
  }
  const issuer = new URL(s.oauthIssuer);
  if (issuer.protocol !== 'https:' && !isLoopbackHost(issuer.hostname)) {
    throw new ConfigError(`--oauth-issuer (MCP_OAUTH_ISSUER) must be an https:// URL (http:// only on a loopback address), got ${JSON.stringify(s.oauthIssuer)}`);
  }
  if (issuer.hash || issuer.search) throw new ConfigError(`--oauth-issuer (MCP_OAUTH_ISSUER) must have no query or fragment, got ${JSON.stringify(s.oauthIssuer)}`);
  if (!s.publicUrl) throw new ConfigError('--oauth-issuer needs --public-url (MCP_PUBLIC_URL): the URL of this MCP endpoint that access tokens must name as their audience');
  const url = new URL(s.publicUrl);
  if (s.publicUrl.includes('#')) throw new ConfigError(`--public-url (MCP_PUBLIC_URL) must have no fragment, got ${JSON.stringify(s.publicUrl)}`);
  if (url.search || !url.pathname.endsWith(MCP_PATH)) {
    throw new ConfigError(`--public-url (MCP_PUBLIC_URL) must be the MCP endpoint's URL, ending at ${MCP_PATH} with no query (e.g. https://mcp.example.com/mcp), got ${JSON.stringify(s.publicUrl)}`);
  }
  const introspection = introspectionConfig(s);
  return {
    issuer: s.oauthIssuer,
    publicUrl: s.publicUrl,
    tenantClaim: s.oauthTenantClaim,
    scopePrefix: s.oauthScopePrefix,
    clockSkewSeconds: s.oauthClockSkew,
    ...(introspection ? { introspection } : {}),
  };
}

function introspectionConfig(s: Settings<(typeof OAUTH_KEYS)[number]>): OAuthConfig['introspection'] {
  if (!s.oauthIntrospectionUrl) return undefined;
  const url = new URL(s.oauthIntrospectionUrl);
  if (url.protocol !== 'https:' && !isLoopbackHost(url.hostname)) {
    throw new ConfigError(`--oauth-introspection-url (MCP_OAUTH_INTROSPECTION_URL) must be an https:// URL (http:// only on a loopback address), got ${JSON.stringify(s.oauthIntrospectionUrl)}`);
  }
  if (!s.oauthClientId || !s.oauthClientSecret) {
    throw new ConfigError('--oauth-introspection-url needs MCP_OAUTH_CLIENT_ID and MCP_OAUTH_CLIENT_SECRET: the introspection endpoint authenticates this server');
  }
  return { url: s.oauthIntrospectionUrl, clientId: s.oauthClientId, clientSecret: s.oauthClientSecret };
}
