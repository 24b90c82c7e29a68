// Placeholder: replaced wholesale by the PartsSource sandbox implementation.
import type { SandboxModule, SandboxRequest, SandboxResponse } from '../types.js';

export interface PartsSourceSandboxOptions {
  tokenLifetimeSeconds?: number;
}
export interface PartsSourceSandbox extends SandboxModule {
  revokeAllTokens(): void;
}
export const SANDBOX_PARTSSOURCE_CREDENTIALS = {
  acme: { clientId: 'acme-sandbox-client', clientSecret: 'acme-sandbox-secret', apiKey: 'acme-sandbox-api-key' },
};
export function createPartsSourceSandbox(_options: PartsSourceSandboxOptions = {}): PartsSourceSandbox {
  return {
    revokeAllTokens() {},
    async handle(_req: SandboxRequest): Promise<SandboxResponse> {
      return { status: 404, body: { message: 'not built yet' } };
    },
  };
}
