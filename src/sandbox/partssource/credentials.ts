/** Scope strings exactly as the PartsSource authorization server (AWS Cognito) spells them. */
export const SCOPE_PREFIX = 'default-m2m-resource-server-p2hkah';
export const SCOPES = {
  read: `${SCOPE_PREFIX}/customer:read`,
  write: `${SCOPE_PREFIX}/customer:write`,
} as const;
export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

export type TenantId = 'acme' | 'globex';

/** Demo credentials of the local sandbox only; they grant nothing anywhere else. */
export const SANDBOX_PARTSSOURCE_CREDENTIALS = {
  /** customer:read + customer:write */
  acme: {
    tenant: 'acme',
    clientId: 'acme-sandbox-client',
    clientSecret: 'acme-sandbox-secret',
    apiKey: 'acme-sandbox-api-key',
  },
  /** customer:read only: POST /orders answers 403. */
  acmeReadOnly: {
    tenant: 'acme',
    clientId: 'acme-readonly-client',
    clientSecret: 'acme-readonly-secret',
    apiKey: 'acme-sandbox-api-key',
  },
  /** customer:read + customer:write, a second tenant for isolation tests. */
  globex: {
    tenant: 'globex',
    clientId: 'globex-sandbox-client',
    clientSecret: 'globex-sandbox-secret',
    apiKey: 'globex-sandbox-api-key',
  },
} as const satisfies Record<string, { tenant: TenantId; clientId: string; clientSecret: string; apiKey: string }>;

export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  tenant: TenantId;
  /** What the app client may be granted; also what it gets when the token request names no scope. */
  allowedScopes: Scope[];
}

const C = SANDBOX_PARTSSOURCE_CREDENTIALS;

const CLIENTS: RegisteredClient[] = [
  { ...pick(C.acme), allowedScopes: [SCOPES.read, SCOPES.write] },
  { ...pick(C.acmeReadOnly), allowedScopes: [SCOPES.read] },
  { ...pick(C.globex), allowedScopes: [SCOPES.read, SCOPES.write] },
];

function pick(c: { clientId: string; clientSecret: string; tenant: TenantId }) {
  return { clientId: c.clientId, clientSecret: c.clientSecret, tenant: c.tenant };
}

export function findClient(clientId: string): RegisteredClient | undefined {
  return CLIENTS.find((c) => c.clientId === clientId);
}

/** API keys are bound to a tenant (one key per organization, shared by its app clients). */
export function tenantOfApiKey(apiKey: string): TenantId | undefined {
  return Object.values(C).find((c) => c.apiKey === apiKey)?.tenant;
}
