import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES as AUGUR_ROUTES } from '../../src/sandbox/augur/routes.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { PARTSSOURCE_ROUTES } from '../../src/sandbox/partssource/index.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every operation of a document as "METHOD path". */
function operations(doc: Json): string[] {
  return Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => METHODS.includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

function expectPathParametersDeclared(doc: Json): void {
  for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    for (const method of Object.keys(item).filter((key) => METHODS.includes(key))) {
      const declared = ((item[method].parameters ?? []) as Json[]).filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name).sort(), `${method} ${path}`).toEqual([...names].sort());
      for (const p of declared) {
        expect(p.required, `${method} ${path} {${p.name}}`).toBe(true);
        expect(p.schema?.type).toBe('integer');
      }
    }
  }
}

function expectWellFormed(doc: Json): void {
  expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
  expect(typeof doc.info.title).toBe('string');
  expect(typeof doc.info.version).toBe('string');
  const ids: string[] = [];
  for (const item of Object.values(doc.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      expect(typeof op.operationId).toBe('string');
      ids.push(op.operationId);
      expect(Object.keys(op.responses).length).toBeGreaterThan(0);
      for (const requirement of op.security ?? []) {
        for (const scheme of Object.keys(requirement)) expect(doc.components.securitySchemes).toHaveProperty(scheme);
      }
      for (const p of op.parameters ?? []) expect(['path', 'query', 'header']).toContain(p.in);
    }
  }
  expect(new Set(ids).size, 'operationIds are unique').toBe(ids.length);
}

describe('sandbox OpenAPI documents', () => {
  let sandbox: Sandbox;
  let partssource: Json;
  let augur: Json;

  beforeAll(async () => {
    sandbox = await startSandbox();
    // Unauthenticated: no Authorization, no x-api-key, no x-site-id.
    const [ps, ag] = await Promise.all([fetch(`${sandbox.origin}/partssource/openapi.json`), fetch(`${sandbox.origin}/augur/openapi.json`)]);
    expect(ps.status).toBe(200);
    expect(ag.status).toBe(200);
    expect(ps.headers.get('content-type')).toContain('application/json');
    partssource = JSON.parse(await ps.text()) as Json;
    augur = JSON.parse(await ag.text()) as Json;
  });
  afterAll(() => sandbox.close());

  it('PartsSource: OpenAPI 3.1, exactly the routes of PARTSSOURCE_ROUTES, path parameters declared', () => {
    expectWellFormed(partssource);
    const listed = operations(partssource);
    expect(listed).toHaveLength(PARTSSOURCE_ROUTES.length);
    expect(listed.sort()).toEqual(PARTSSOURCE_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    expectPathParametersDeclared(partssource);
    for (const route of PARTSSOURCE_ROUTES) {
      const op = partssource.paths[route.path][route.method.toLowerCase()];
      expect(op.operationId).toBe(route.operationId);
      for (const q of route.query ?? []) {
        expect(op.parameters).toContainEqual(expect.objectContaining({ name: q.name, in: 'query', required: q.required ?? false }));
      }
      expect(Boolean(op.requestBody)).toBe(Boolean(route.body));
    }
  });

  it('PartsSource: server is the sandbox API base; OAuth2 client credentials at the token URL plus x-api-key', () => {
    expect(partssource.servers[0].url).toBe(sandbox.partssource.baseUrl);
    const schemes = partssource.components.securitySchemes;
    expect(schemes.oauth2.type).toBe('oauth2');
    expect(schemes.oauth2.flows.clientCredentials.tokenUrl).toBe(sandbox.partssource.tokenUrl);
    expect(schemes.apiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    expect(partssource.paths['/orders'].post.security).toEqual([{ oauth2: [expect.stringMatching(/customer:write$/)], apiKey: [] }]);
    expect(partssource.paths['/health'].get.security).toEqual([]);
  });

  it('Augur: OpenAPI 3.1, exactly the routes of ROUTES, path parameters declared, bearer + x-site-id', () => {
    expectWellFormed(augur);
    const listed = operations(augur);
    expect(listed).toHaveLength(AUGUR_ROUTES.length);
    expect(listed.sort()).toEqual(AUGUR_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    expectPathParametersDeclared(augur);
    expect(augur.servers[0].url).toBe(sandbox.augur.baseUrl);
    expect(augur.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(augur.components.securitySchemes.siteId).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-site-id' });
    for (const route of AUGUR_ROUTES) {
      const op = augur.paths[route.path][route.method.toLowerCase()];
      const expected = route.auth === 'none' ? [] : route.auth === 'site' ? [{ siteId: [] }] : [{ bearer: [], siteId: [] }];
      expect(op.security, `${route.method} ${route.path}`).toEqual(expected);
      for (const q of route.query ?? []) {
        expect(op.parameters).toContainEqual(expect.objectContaining({ name: q.name, in: 'query', required: q.required ?? false }));
      }
    }
  });

  it('the documents are GET-only documents, not routes of the APIs themselves', async () => {
    const post = await fetch(`${sandbox.origin}/augur/openapi.json`, { method: 'POST' });
    expect(post.status).toBe(404);
  });
});
