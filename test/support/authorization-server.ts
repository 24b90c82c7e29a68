import { createServer } from 'node:net';
import { OAuth2Server } from 'oauth2-mock-server';

/**
 * A real OAuth 2.0 authorization server on loopback (oauth2-mock-server 8.2.3: discovery, JWKS, authorize with
 * PKCE, token), for the resource-server tests. It signs with RS256 keys it generates; `rotate` adds a key and
 * `retire` stops publishing one (what an issuer does at the end of a rotation).
 */
export interface TestAuthorizationServer {
  issuer: string;
  server: OAuth2Server;
  /** The key new tokens are signed with. */
  kid: string;
  /** A token signed by the current key, with these claims over the defaults (iss, iat, nbf, exp in 1 h). */
  token(claims: Record<string, unknown>, options?: { expiresIn?: number; kid?: string }): Promise<string>;
  /** Adds a key and makes it the current one; returns the new kid. */
  rotate(): Promise<string>;
  /** The JWKS no longer lists this key. */
  retire(kid: string): void;
  /** The public JWK of a key (to forge tokens with it). */
  publicJwk(kid: string): Record<string, unknown>;
  stop(): Promise<void>;
}

export async function startAuthorizationServer(): Promise<TestAuthorizationServer> {
  const server = new OAuth2Server();
  const first = await server.issuer.keys.generate('RS256');
  const retired = new Set<string>();
  // Publication only: the JWKS endpoint serves what toJSON returns.
  const publish = server.issuer.keys.toJSON.bind(server.issuer.keys);
  server.issuer.keys.toJSON = (includePrivate?: boolean) => publish(includePrivate).filter((k: { kid?: string }) => !retired.has(k.kid!));
  await server.start(0, '127.0.0.1');
  const as: TestAuthorizationServer = {
    issuer: server.issuer.url!,
    server,
    kid: first.kid,
    token: (claims, options = {}) =>
      server.issuer.buildToken({
        kid: options.kid ?? as.kid,
        ...(options.expiresIn !== undefined ? { expiresIn: options.expiresIn } : {}),
        scopesOrTransform: (_header, payload) => Object.assign(payload, claims),
      }),
    async rotate() {
      const key = await server.issuer.keys.generate('RS256');
      as.kid = key.kid;
      return key.kid;
    },
    retire: (kid) => void retired.add(kid),
    publicJwk: (kid) => publish(false).find((k: { kid?: string }) => k.kid === kid) as Record<string, unknown>,
    stop: () => server.stop(),
  };
  return as;
}

/** A free loopback port (the public URL, and so the audience, must be known before the server starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** What the authorization server saw of one login: the parameters the MCP client sent. */
export interface SeenLogin {
  authorize: Record<string, string>;
  token?: Record<string, string>;
}

/**
 * Approves every authorization request at once (no login page), as a user who belongs to `tenant` would: the
 * token's audience is the `resource` the client asked for (RFC 8707), its scope the requested one, its client_id
 * the client's. Returns what the clients sent, per authorization code.
 */
export function autoApprove(as: TestAuthorizationServer, tenant: string, sub = 'carol'): Map<string, SeenLogin> {
  const logins = new Map<string, SeenLogin>();
  as.server.service.on('beforeAuthorizeRedirect', (redirect: { url: URL }, req: { query: Record<string, string> }) => {
    const code = redirect.url.searchParams.get('code');
    if (code) logins.set(code, { authorize: { ...req.query } });
  });
  as.server.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }, req: { body: Record<string, string> }) => {
    const login = logins.get(req.body.code ?? '');
    if (!login) return;
    login.token = { ...req.body };
    Object.assign(token.payload, {
      aud: req.body.resource ?? login.authorize.resource,
      scope: login.authorize.scope,
      client_id: req.body.client_id,
      sub,
      tenant,
    });
  });
  return logins;
}

/** An RFC 7662 introspection endpoint on loopback: answers for the tokens it was given, to the one client it knows. */
export interface IntrospectionEndpoint {
  url: string;
  /** Opaque token → the introspection answer. */
  answers: Map<string, Record<string, unknown>>;
  /** Requests received (authenticated or not). */
  requests: Array<{ authorization?: string; token?: string }>;
  stop(): Promise<void>;
}

export async function startIntrospectionEndpoint(client: { id: string; secret: string }): Promise<IntrospectionEndpoint> {
  const { createServer: createHttpServer } = await import('node:http');
  const answers = new Map<string, Record<string, unknown>>();
  const requests: IntrospectionEndpoint['requests'] = [];
  const expected = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const token = new URLSearchParams(body).get('token') ?? undefined;
      requests.push({ ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}), ...(token ? { token } : {}) });
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answers.get(token ?? '') ?? { active: false }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/introspect`, answers, requests, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
