import * as z from 'zod';
import type { AugurConfig } from './clients/augur.js';
import type { PartsSourceConfig } from './clients/partssource.js';

/** Raised for a configuration the server must not start with; the CLI exits with code 2 and this message. */
export class ConfigError extends Error {
  readonly exitCode = 2;
}

export interface AppConfig {
  /** `sandbox`: the embedded sandbox is started in process and used with its demo credentials. */
  mode: 'sandbox' | 'live';
  /** Why sandbox mode was chosen (for the stderr notice). */
  sandboxReason?: 'flag' | 'no-credentials';
  partssource?: PartsSourceConfig;
  augur?: AugurConfig;
  timeoutMs: number;
  logLevel: string;
}

/** The credential variables of each upstream: all or none of a service's must be set. */
export const CREDENTIAL_VARIABLES = {
  partssource: ['PARTSSOURCE_CLIENT_ID', 'PARTSSOURCE_CLIENT_SECRET', 'PARTSSOURCE_API_KEY'],
  augur: ['AUGUR_TOKEN', 'AUGUR_SITE_ID'],
} as const;

export const DEFAULTS = {
  partssourceBaseUrl: 'https://api.partssource.com/customer',
  partssourceTokenUrl: 'https://auth.partssource.com/oauth2/token',
  augurBaseUrl: 'https://customers.augur-api.com',
  timeoutMs: 15_000,
};

const httpUrl = (name: string) =>
  z.url({ protocol: /^https?$/, error: `${name} must be an http(s) URL` });

const Env = z.object({
  PARTSSOURCE_BASE_URL: httpUrl('PARTSSOURCE_BASE_URL').default(DEFAULTS.partssourceBaseUrl),
  PARTSSOURCE_TOKEN_URL: httpUrl('PARTSSOURCE_TOKEN_URL').default(DEFAULTS.partssourceTokenUrl),
  PARTSSOURCE_SCOPE: z.string().trim().min(1).optional(),
  AUGUR_BASE_URL: httpUrl('AUGUR_BASE_URL').default(DEFAULTS.augurBaseUrl),
  HTTP_TIMEOUT_MS: z.coerce
    .number({ error: 'HTTP_TIMEOUT_MS must be a number of milliseconds' })
    .int()
    .min(100, 'HTTP_TIMEOUT_MS must be at least 100')
    .max(300_000, 'HTTP_TIMEOUT_MS must be at most 300000')
    .default(DEFAULTS.timeoutMs),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/**
 * Reads the environment once and decides the mode. Messages name variables, never their values, because the
 * values are secrets.
 */
export function loadConfig(env: NodeJS.ProcessEnv, flags: { sandbox?: boolean } = {}): AppConfig {
  const set = (name: string) => typeof env[name] === 'string' && env[name] !== '';
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const base = { timeoutMs: parsed.data.HTTP_TIMEOUT_MS, logLevel: parsed.data.LOG_LEVEL };
  if (flags.sandbox) return { mode: 'sandbox', sandboxReason: 'flag', ...base };

  const anySet = Object.values(CREDENTIAL_VARIABLES).flat().some(set);
  if (!anySet) return { mode: 'sandbox', sandboxReason: 'no-credentials', ...base };

  for (const [service, names] of Object.entries(CREDENTIAL_VARIABLES)) {
    const missing = names.filter((name) => !set(name));
    if (missing.length > 0 && missing.length < names.length) {
      throw new ConfigError(
        `${service} is partly configured: missing ${missing.join(', ')} (set: ${names.filter(set).join(', ')}). ` +
          `Set all of ${names.join(', ')} or none of them.`,
      );
    }
  }
  const config: AppConfig = { mode: 'live', ...base };
  if (CREDENTIAL_VARIABLES.partssource.every(set)) {
    config.partssource = {
      baseUrl: parsed.data.PARTSSOURCE_BASE_URL,
      tokenUrl: parsed.data.PARTSSOURCE_TOKEN_URL,
      clientId: env.PARTSSOURCE_CLIENT_ID as string,
      clientSecret: env.PARTSSOURCE_CLIENT_SECRET as string,
      apiKey: env.PARTSSOURCE_API_KEY as string,
      ...(parsed.data.PARTSSOURCE_SCOPE ? { scope: parsed.data.PARTSSOURCE_SCOPE } : {}),
      timeoutMs: parsed.data.HTTP_TIMEOUT_MS,
    };
  }
  if (CREDENTIAL_VARIABLES.augur.every(set)) {
    config.augur = {
      baseUrl: parsed.data.AUGUR_BASE_URL,
      token: env.AUGUR_TOKEN as string,
      siteId: env.AUGUR_SITE_ID as string,
      timeoutMs: parsed.data.HTTP_TIMEOUT_MS,
    };
  }
  return config;
}
