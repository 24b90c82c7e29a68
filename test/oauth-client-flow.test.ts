import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpServerHandle } from '../src/http/server.js';
import { sandboxTenants } from '../src/http/tenants.js';
import { silentLogger } from '../src/logger.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { SANDBOX_PARTSSOURCE_FIXTURES as PS } from '../src/sandbox/partssource/index.js';
import { autoApprove, freePort, startAuthorizationServer, type SeenLogin, type TestAuthorizationServer } from './support/authorization-server.js';

const REDIRECT = 'http://127.0.0.1:1/callback';

/** A client application's OAuth state, as the SDK asks for it: a pre-registered public client, PKCE, tokens in memory. */
class MemoryProvider implements OAuthClientProvider {
  saved?: OAuthTokens;
  verifier = '';
  authorizationUrl?: URL;
  readonly redirectUrl = REDIRECT;
  readonly clientMetadata = { client_name: 'oauth-flow-test', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' };
  clientInformation(): OAuthClientInformationMixed {
    return { client_id: 'flow-test-client', redirect_uris: [REDIRECT] };
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

describe("the SDK client's own OAuth flow against the server and a real authorization server", { timeout: 60_000 }, () => {
  let as: TestAuthorizationServer;
  let sandbox: Sandbox;
  let server: HttpServerHandle;
  let logins: Map<string, SeenLogin>;
  beforeAll(async () => {
    as = await startAuthorizationServer();
    logins = autoApprove(as, 'acme');
    sandbox = await startSandbox();
    const port = await freePort();
    server = await startHttpServer({
      tenants: sandboxTenants(sandbox, { timeoutMs: 10_000 }),
      log: silentLogger(),
      port,
      oauth: { issuer: as.issuer, publicUrl: `http://127.0.0.1:${port}/mcp`, tenantClaim: 'tenant', scopePrefix: 'customer-api', clockSkewSeconds: 30 },
    });
  });
  afterAll(async () => {
    await server?.close();
    await sandbox?.close();
    await as?.stop();
  });

  it('401 → metadata discovery → authorization code with PKCE and resource → token → tools listed and called', async () => {
    const provider = new MemoryProvider();
    const first = new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider });
    await expect(new Client({ name: 'flow', version: '1' }).connect(first)).rejects.toBeInstanceOf(UnauthorizedError);

    // The client was sent to the issuer's authorization endpoint with PKCE, the resource and the advertised scopes.
    const authorize = provider.authorizationUrl!;
    expect(authorize.origin).toBe(new URL(as.issuer).origin);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('resource')).toBe(server.url);
    expect(authorize.searchParams.get('scope')).toBe('customer-api:read customer-api:write');

    // The user agent follows it; the test server approves at once and redirects back with the code.
    const approved = await fetch(authorize, { redirect: 'manual' });
    expect(approved.status).toBe(302);
    const code = new URL(approved.headers.get('location')!).searchParams.get('code')!;
    await first.finishAuth(code);
    expect(logins.get(code)?.token?.resource).toBe(server.url);
    expect(logins.get(code)?.token?.code_verifier).toBe(provider.verifier);

    const client = new Client({ name: 'flow', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider }));
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('lookup_user');
      const result = await client.callTool({ name: 'lookup_user', arguments: { userId: PS.acme.contactId } });
      expect(result.isError).toBeFalsy();
      expect((result.structuredContent as { user: { contactId: number } }).user.contactId).toBe(PS.acme.contactId);
    } finally {
      await client.close();
    }
  });
});
