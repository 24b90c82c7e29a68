import type { QueryParamSpec, RouteDef } from './augur/route-definition.js';
import { ROUTES as AUGUR_ROUTES } from './augur/routes.js';
import { SCOPES } from './partssource/credentials.js';
import type { ParamDoc, RouteDefinition } from './partssource/route-definition.js';
import { ROUTES as PARTSSOURCE_ROUTES } from './partssource/routes.js';

/**
 * OpenAPI 3.1 documents of the two sandbox upstreams, generated from the same declarative route tables the
 * sandbox dispatches with, so a route cannot be served without being documented (or the other way round).
 * Served unauthenticated at `/partssource/openapi.json` and `/augur/openapi.json`.
 *
 * Request bodies are described in prose (the tables hold a description, not a schema): each is an open JSON object
 * whose `description` says which fields it takes.
 */

type Json = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string; description?: string }>;
  paths: Record<string, Record<string, Json>>;
  components: { securitySchemes: Record<string, Json>; schemas: Record<string, Json> };
  security?: Array<Record<string, string[]>>;
}

/** `{name}` placeholders of a path template, in order. */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  400: 'Bad request: a parameter or the body is invalid',
  401: 'Unauthorized: missing, expired or unknown access token',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  422: 'Unprocessable: a business rule rejected the request',
  429: 'Too many requests: rate limit exceeded (see Retry-After)',
  500: 'Internal server error',
};

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json, type = 'application/json'): Json => ({ [type]: { schema } });

// ---------------------------------------------------------------------------------------------- PartsSource

function partsSourceParam(doc: ParamDoc, where: 'query' | 'header'): Json {
  return {
    name: doc.name,
    in: where,
    required: doc.required ?? false,
    description: doc.description,
    schema: { type: doc.type },
  };
}

function partsSourceOperation(route: RouteDefinition): Json {
  const parameters: Json[] = [
    // PartsSource path ids (orderId) are integers.
    ...pathParameterNames(route.path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'integer' } })),
    ...(route.query ?? []).map((p) => partsSourceParam(p, 'query')),
    ...(route.headers ?? []).map((p) => partsSourceParam(p, 'header')),
  ];
  const responses: Json = {};
  const statuses = route.scope === 'none' ? route.responses : [...new Set([...route.responses, 401, 403, 429])].sort((a, b) => a - b);
  for (const status of statuses) {
    const description = STATUS_TEXT[status] ?? `HTTP ${status}`;
    if (status < 300) responses[status] = { description, content: json(ref('Envelope')) };
    else if (status === 400 || status === 422) responses[status] = { description, content: json(ref('Envelope')) };
    else responses[status] = { description, content: json(ref('ProblemDetails'), 'application/problem+json') };
  }
  const security =
    route.scope === 'none'
      ? []
      : route.scope === 'write'
        ? [{ oauth2: [SCOPES.write], apiKey: [] }]
        : [
            { oauth2: [SCOPES.read], apiKey: [] },
            { oauth2: [SCOPES.write], apiKey: [] },
          ];
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            description: route.body,
            content: json({ type: 'object', description: route.body, additionalProperties: true }),
          },
        }
      : {}),
    responses,
    security,
    ...(route.sandboxOnly ? { 'x-sandbox-only': true } : {}),
  };
}

/**
 * The PartsSource Customer API. `baseUrl` is the API base (`…/partssource/customer`), `tokenUrl` the OAuth2
 * client-credentials token endpoint; every API call also needs the `x-api-key` header.
 */
export function partsSourceOpenApi(baseUrl: string, tokenUrl: string, version = '1.0.0'): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of PARTSSOURCE_ROUTES) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = partsSourceOperation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'PartsSource Customer API (sandbox)',
      version,
      description:
        'Generated from the sandbox route table. Get an access token with the OAuth2 client-credentials grant at the ' +
        'token URL (form-encoded client_id, client_secret, optional scope), then send it as Authorization: Bearer ' +
        'together with x-api-key. Paths are also served under /customer/api.',
    },
    servers: [{ url: baseUrl, description: 'The embedded sandbox' }],
    paths,
    components: {
      securitySchemes: {
        oauth2: {
          type: 'oauth2',
          description: 'Client-credentials grant; the token is sent as Authorization: Bearer <access_token>.',
          flows: {
            clientCredentials: {
              tokenUrl,
              scopes: { [SCOPES.read]: 'Read users, catalog, orders', [SCOPES.write]: 'Everything read allows, plus placing orders' },
            },
          },
        },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'The API key of the organization.' },
      },
      schemas: {
        Envelope: {
          type: 'object',
          description: 'Success and validation envelope (success false on 400/422).',
          properties: {
            success: { type: 'boolean' },
            data: {},
            errors: { type: ['array', 'null'], items: { type: 'string' } },
            correlationId: { type: 'string' },
            timestamp: { type: 'string', format: 'date-time' },
          },
          required: ['success', 'data', 'errors', 'correlationId', 'timestamp'],
        },
        ProblemDetails: {
          type: 'object',
          description: 'RFC 7807 problem details.',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            correlationId: { type: 'string' },
            errors: { type: 'array', items: { type: 'string' } },
            timestamp: { type: 'string', format: 'date-time' },
            service: { type: 'string' },
          },
          required: ['title', 'status'],
        },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------- Augur

function augurQueryParam(spec: QueryParamSpec): Json {
  const schema: Json =
    spec.type === 'integer'
      ? { type: 'integer' }
      : spec.type === 'date'
        ? { type: 'string', format: 'date' }
        : spec.type === 'integer-list'
          ? { type: 'string', pattern: '^-?\\d+(,-?\\d+)*$' }
          : { type: 'string' };
  if (spec.enum) schema.enum = [...spec.enum];
  if (spec.default !== undefined) schema.default = spec.default;
  return {
    name: spec.name,
    in: 'query',
    required: spec.required ?? false,
    ...(spec.description ? { description: spec.description } : {}),
    schema,
  };
}

function augurData(route: RouteDef): Json {
  const shape = `Shape ${route.data.shape} (reference §2.4).`;
  switch (route.data.kind) {
    case 'list':
      return { type: 'array', items: { type: 'object', description: shape } };
    case 'object':
      return { type: 'object', description: shape };
    case 'boolean':
      return { type: 'boolean' };
    case 'string':
      return { type: 'string' };
  }
}

function augurOperation(route: RouteDef): Json {
  const parameters: Json[] = [
    // Every Augur placeholder is an integer (PathValidator).
    ...pathParameterNames(route.path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'integer' } })),
    ...(route.query ?? []).map(augurQueryParam),
  ];
  const errors: Record<number, string> = {};
  if (route.auth !== 'none') Object.assign(errors, { 400: 'Missing x-site-id header, or an invalid parameter', 403: 'Unknown site' });
  if (route.auth === 'bearer') {
    Object.assign(errors, { 401: 'Missing, invalid or expired bearer token', 403: 'The token belongs to another site, or the site is unknown' });
  }
  Object.assign(errors, route.errors);
  const responses: Json = {
    200: {
      description: route.summary,
      content: json({ allOf: [ref('Envelope'), { type: 'object', properties: { data: augurData(route) } }] }),
    },
  };
  for (const [status, description] of Object.entries(errors)) responses[status] = { description, content: json(ref('Envelope')) };
  return {
    operationId: augurOperationId(route),
    summary: route.summary,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? { requestBody: { required: true, content: json({ type: 'object', description: `Shape ${route.body}.`, additionalProperties: true }) } }
      : {}),
    responses,
    security: route.auth === 'none' ? [] : route.auth === 'site' ? [{ siteId: [] }] : [{ bearer: [], siteId: [] }],
    ...(route.deprecated ? { deprecated: true } : {}),
  };
}

/** The table has no operation ids: derive a stable one from method and path (`get_customer_customerId_invoices`). */
export function augurOperationId(route: Pick<RouteDef, 'method' | 'path'>): string {
  const words = route.path
    .split('/')
    .filter(Boolean)
    .map((segment) => segment.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+/g, '_'));
  return [route.method.toLowerCase(), ...words].join('_');
}

/** The Augur customers service; `baseUrl` is the service root (`…/augur`). */
export function augurOpenApi(baseUrl: string, version = '1.0.0'): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of AUGUR_ROUTES) {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = augurOperation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Augur customers service (sandbox)',
      version,
      description:
        'Generated from the sandbox route table. Every answer is the 8-key envelope; data holds the payload. ' +
        'Authenticated routes need Authorization: Bearer <JWT> and the x-site-id header of the same site.',
    },
    servers: [{ url: baseUrl, description: 'The embedded sandbox' }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        siteId: { type: 'apiKey', in: 'header', name: 'x-site-id', description: 'The site the token was issued for.' },
      },
      schemas: {
        Envelope: {
          type: 'object',
          properties: {
            count: { type: 'integer' },
            data: {},
            message: { type: 'string' },
            options: { type: ['array', 'object'] },
            params: { type: ['array', 'object'] },
            status: { type: 'integer' },
            total: { type: 'integer' },
            totalResults: { type: 'integer' },
            errors: { type: 'object', additionalProperties: { type: 'string' }, description: 'On 400: field → message.' },
          },
          required: ['count', 'data', 'message', 'options', 'params', 'status', 'total', 'totalResults'],
        },
      },
    },
  };
}
