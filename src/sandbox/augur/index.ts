// Placeholder: the Augur sandbox is built in its own change. Replace this module wholesale.
import type { SandboxModule, SandboxRequest, SandboxResponse } from '../types.js';

export interface AugurSandboxOptions {}
export interface AugurSandbox extends SandboxModule {}
export const SANDBOX_AUGUR_SITES = {} as Record<string, { siteId: string; token: string }>;

export function createAugurSandbox(_options: AugurSandboxOptions = {}): AugurSandbox {
  return {
    async handle(_req: SandboxRequest): Promise<SandboxResponse> {
      return { status: 404, body: { message: 'Augur sandbox not built yet' } };
    },
  };
}
