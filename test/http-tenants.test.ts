import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startHttpServer } from '../src/http/server.js';
import { silentLogger } from '../src/logger.js';
import { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS, startSandbox } from '../src/sandbox/index.js';
import { connectHttp } from './support/http.js';
import { ConfigError, HTTP_DEFAULTS, loadHttpConfig } from '../src/config.js';
import { KeyRing, bearerToken } from '../src/http/auth.js';
import { resolveTenants, sandboxTenants, sha256 } from '../src/http/tenants.js';

const defaults = { partssourceBaseUrl: 'https://ps.example/customer', partssourceTokenUrl: 'https://auth.example/token', augurBaseUrl: 'https://augur.example', timeoutMs: 5_000 };
const hex = (key: string) => createHash('sha256').update(key).digest('hex');

describe('tenants, keys and HTTP settings', () => {
  it('KeyRing matches a presented key by its SHA-256 digest only', () => {
    const ring = new KeyRing<string>();
    ring.add(sha256('first-key-0123456789'), 'one');
    ring.add(sha256('second-key-0123456789'), 'two');
    expect(ring.match('first-key-0123456789')).toBe('one');
    expect(ring.match('second-key-0123456789')).toBe('two');
    expect(ring.match('first-key-012345678')).toBeUndefined();
    expect(ring.match('')).toBeUndefined();
    expect(() => ring.add(Buffer.alloc(16), 'short')).toThrow(/32 bytes/);
  });

  it('bearerToken reads only the Bearer scheme', () => {
    expect(bearerToken({ authorization: 'Bearer abc' })).toBe('abc');
    expect(bearerToken({ authorization: 'bearer   abc ' })).toBe('abc');
    expect(bearerToken({ authorization: 'Basic abc' })).toBeUndefined();
    expect(bearerToken({ authorization: 'Bearer a b' })).toBeUndefined();
    expect(bearerToken({})).toBeUndefined();
  });

  it('resolves a tenants document: digests, env references, endpoint defaults', () => {
    const [t] = resolveTenants(
      {
        tenants: [
          {
            name: 'acme',
            keys: [{ sha256: hex('k1-0123456789abcdef') }, { env: 'ACME_KEY' }],
            partssource: { clientId: 'id', clientSecret: { env: 'SECRET' }, apiKey: 'api', scope: 'x/customer:read' },
            augur: { token: 'jwt', siteId: 'site', baseUrl: 'http://127.0.0.1:1/augur' },
            maxConcurrency: 4,
          },
        ],
      },
      { ACME_KEY: 'k2-0123456789abcdef', SECRET: 's3cret' },
      defaults,
    );
    expect(t!.keyDigests.map((d) => d.toString('hex'))).toEqual([hex('k1-0123456789abcdef'), hex('k2-0123456789abcdef')]);
    expect(t!.partssource).toEqual({
      baseUrl: defaults.partssourceBaseUrl,
      tokenUrl: defaults.partssourceTokenUrl,
      clientId: 'id',
      clientSecret: 's3cret',
      apiKey: 'api',
      scope: 'x/customer:read',
      timeoutMs: 5_000,
      credentialsLabel: 'tenant "acme" in the tenants file (partssource.clientId / clientSecret / scope / apiKey)',
    });
    expect(t!.augur).toEqual({ baseUrl: 'http://127.0.0.1:1/augur', token: 'jwt', siteId: 'site', timeoutMs: 5_000, credentialsLabel: 'tenant "acme" in the tenants file (augur.token)' });
    expect(t!.maxConcurrency).toBe(4);
  });

  it('refuses a key shared by two tenants, a weak env key, and a key with both forms, naming no value', () => {
    const ps = { clientId: 'id', clientSecret: 'secret', apiKey: 'api' };
    const shared = { sha256: hex('shared-0123456789abcdef') };
    expect(() => resolveTenants({ tenants: [{ name: 'a', keys: [shared], partssource: ps }, { name: 'b', keys: [shared], partssource: ps }] }, {}, defaults)).toThrow(
      /tenants "a" and "b" share an API key/,
    );
    expect(() => resolveTenants({ tenants: [{ name: 'a', keys: [{ env: 'K' }], partssource: ps }] }, { K: 'weak' }, defaults)).toThrow(/K must be at least 16/);
    const both = () => resolveTenants({ tenants: [{ name: 'a', keys: [{ sha256: hex('x'), env: 'K' }], partssource: ps }] }, {}, defaults);
    expect(both).toThrow(ConfigError);
    expect(both).toThrow(/tenants\[0\]\.keys\[0\]: a key is either/);
  });

  it('sandbox tenants: sandbox-acme and sandbox-globex, plus an optional extra acme key', () => {
    const fake = { partssource: { baseUrl: 'http://s/ps/customer', tokenUrl: 'http://s/ps/oauth2/token' }, augur: { baseUrl: 'http://s/augur' } } as Parameters<typeof sandboxTenants>[0];
    const [acme, globex] = sandboxTenants(fake, { extraAcmeKey: 'extra-key-0123456789' });
    expect(acme!.keyDigests.map((d) => d.toString('hex'))).toEqual([hex('sandbox-acme'), hex('extra-key-0123456789')]);
    expect(globex!.keyDigests.map((d) => d.toString('hex'))).toEqual([hex('sandbox-globex')]);
    expect(globex!.augur?.siteId).toBe('globex-site');
  });

  it('HTTP settings: defaults, environment, flags over environment, and named errors', () => {
    expect(loadHttpConfig({})).toEqual({ ...HTTP_DEFAULTS, stateless: false, allowedHosts: [], allowedOrigins: [] });
    const env = { MCP_HTTP_PORT: '8080', MCP_HTTP_STATELESS: 'true', MCP_HTTP_ALLOWED_HOSTS: 'a.example, b.example:8443', MCP_HTTP_MAX_CONCURRENCY: '4' };
    expect(loadHttpConfig(env)).toMatchObject({ port: 8080, stateless: true, allowedHosts: ['a.example', 'b.example:8443'], maxConcurrency: 4 });
    expect(loadHttpConfig(env, { port: '9090', maxConcurrency: '8' })).toMatchObject({ port: 9090, maxConcurrency: 8 });
    expect(() => loadHttpConfig({ MCP_HTTP_PORT: '70000' })).toThrow(/MCP_HTTP_PORT must be an integer from 0 to 65535/);
    expect(() => loadHttpConfig({}, { maxBodyBytes: 'lots' })).toThrow(/--max-body-bytes must be an integer/);
    expect(() => loadHttpConfig({ MCP_HTTP_STATELESS: 'maybe' })).toThrow(/MCP_HTTP_STATELESS/);
  });

  it('over HTTP, a tenant whose PartsSource secret or Augur token is wrong is told which tenant and which tenants-file fields to fix', async () => {
    const sandbox = await startSandbox();
    const acme = SANDBOX_PARTSSOURCE_CREDENTIALS.acme;
    const key = 'north-key-0123456789abcdef';
    const tenants = resolveTenants(
      {
        tenants: [
          {
            name: 'north',
            keys: [{ sha256: hex(key) }],
            partssource: { clientId: acme.clientId, clientSecret: 'not-the-secret-xyz', apiKey: acme.apiKey },
            augur: { token: 'not-a-valid-jwt-xyz', siteId: SANDBOX_AUGUR_SITES.acme.siteId },
          },
        ],
      },
      {},
      { partssourceBaseUrl: sandbox.partssource.baseUrl, partssourceTokenUrl: sandbox.partssource.tokenUrl, augurBaseUrl: sandbox.augur.baseUrl, timeoutMs: 10_000 },
    );
    const server = await startHttpServer({ tenants, log: silentLogger(), port: 0 });
    const client = await connectHttp(server.url, key);
    try {
      const ps = await client.call('lookup_user', { userId: 12345 });
      expect(ps.isError).toBe(true);
      expect(ps.structuredContent.error).toMatchObject({ code: 'unauthorized', upstreamStatus: 401, retryable: false });
      const psMessage = ps.structuredContent.error.message as string;
      expect(psMessage).toContain('client credentials of tenant "north" in the tenants file (partssource.clientId / clientSecret / scope / apiKey) are wrong or revoked');
      expect(psMessage).not.toContain('PARTSSOURCE_');
      expect(psMessage).not.toMatch(/\.\./); // "Client authentication failed." is quoted once
      expect(JSON.stringify(ps)).not.toContain('not-the-secret-xyz');
      expect(sandbox.requests.filter((r) => r.api === 'partssource' && r.path === '/oauth2/token')).toHaveLength(1);

      const augur = await client.call('lookup_customer', { q: 'Riverside' });
      expect(augur.isError).toBe(true);
      expect(augur.structuredContent.error).toMatchObject({ code: 'unauthorized', upstreamStatus: 401 });
      expect(augur.structuredContent.error.message).toContain('set a new token for tenant "north" in the tenants file (augur.token)');
      expect(augur.structuredContent.error.message).not.toContain('AUGUR_TOKEN');
      expect(JSON.stringify(augur)).not.toContain('not-a-valid-jwt-xyz');
    } finally {
      await client.close();
      await server.close();
      await sandbox.close();
    }
  });
});
