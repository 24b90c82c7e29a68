import type { StateConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { MemoryStore } from './memory.js';
import type { StateStore } from './store.js';

/** The store the configuration asks for: Redis when a URL is given, else the embedded in-memory store. */
export async function openStore(config: StateConfig, log: Logger): Promise<StateStore> {
  if (!config.redisUrl) return new MemoryStore();
  // Loaded only when asked for: a start without Redis does not pay for the client.
  const { RedisStore } = await import('./redis.js');
  const store = await RedisStore.start({ url: config.redisUrl, log: log.child({ component: 'state' }) });
  log.info({ store: 'redis', status: store.status() }, 'shared state: Redis');
  return store;
}
