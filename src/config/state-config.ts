import { OPTIONS, type Settings } from './options.js';

export interface StateConfig {
  /** Redis URL (`--redis-url` / REDIS_URL); absent: the embedded in-memory store. May hold a password: never logged. */
  redisUrl?: string;
  /** STATE_ENCRYPTION_KEY: HKDF input for state at rest; absent: each tenant's own credential secret. */
  encryptionKey?: string;
}

export const MIN_STATE_ENCRYPTION_KEY_LENGTH = OPTIONS.stateEncryptionKey.minLength;

export const STATE_KEYS = ['redisUrl', 'stateEncryptionKey'] as const;

export function stateConfig(s: Settings<(typeof STATE_KEYS)[number]>): StateConfig {
  return { ...(s.redisUrl ? { redisUrl: s.redisUrl } : {}), ...(s.stateEncryptionKey ? { encryptionKey: s.stateEncryptionKey } : {}) };
}
