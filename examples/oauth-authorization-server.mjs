// A local authorization server for trying the OAuth mode (README "Remote access with OAuth"): oauth2-mock-server,
// a devDependency, on http://localhost:8444. Every request is approved; a token's audience is the `resource`
// parameter and its tenant the `tenant` parameter (default acme). For trying things out only: it signs anything.
import { OAuth2Server } from 'oauth2-mock-server';

const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
server.service.on('beforeTokenSigning', (token, req) => {
  const body = req.body ?? {};
  Object.assign(token.payload, {
    ...(body.resource ? { aud: body.resource } : {}),
    tenant: body.tenant ?? 'acme',
    sub: body.username ?? token.payload.sub ?? 'demo-user',
    client_id: body.client_id ?? 'demo-client',
  });
});
await server.start(8444, '127.0.0.1');
process.stderr.write(`authorization server: ${server.issuer.url} (Ctrl-C to stop)\n`);
