import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectRedis, disposeRedis, startRedis, type RedisServer } from './support/redis.js';
import { describeWithRedis } from './support/redis-suite.js';

// The Redis helper the fleet tests and the benchmark stand on: a real redis-server, no redis-cli, the `redis` package.
describeWithRedis('test/support/redis.ts: a real redis-server on a random port', { timeout: 30_000 }, () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => disposeRedis(redis));

  it('starts on loopback with persistence off and answers PING', async () => {
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await redis.command('PING')).toBe('PONG');
    const persistence = await redis.info('persistence');
    expect(persistence.aof_enabled).toBe('0');
    const save = (await redis.command('CONFIG', 'GET', 'save')) as string[];
    expect(save.map(String)).toEqual(['save', '']);
    const bind = (await redis.command('CONFIG', 'GET', 'bind')) as string[];
    expect(String(bind[1])).toBe('127.0.0.1');
  });

  it('scans every key with its type, TTL and value bytes', async () => {
    await redis.command('SET', 'customer-api-mcp:t:x:plain', 'v1', 'PX', 60_000);
    await redis.command('HSET', 'customer-api-mcp:t:x:hash', 'field', 'v2');
    await redis.command('RPUSH', 'other:list', 'a', 'b');
    await redis.command('SET', 'binary', Buffer.from([0, 255, 10]));
    const entries = await redis.scan();
    expect(entries.map((e) => e.key)).toEqual(['binary', 'customer-api-mcp:t:x:hash', 'customer-api-mcp:t:x:plain', 'other:list']);
    const byKey = Object.fromEntries(entries.map((e) => [e.key, e]));
    expect(byKey['customer-api-mcp:t:x:plain']).toMatchObject({ type: 'string', value: 'v1' });
    expect(byKey['customer-api-mcp:t:x:plain']!.ttlMs).toBeGreaterThan(50_000);
    expect(byKey['customer-api-mcp:t:x:hash']).toMatchObject({ type: 'hash', value: 'field\nv2', ttlMs: -1 });
    expect(byKey['other:list']!.value).toBe('a\nb');
    expect(Buffer.from(byKey.binary!.value, 'latin1')).toEqual(Buffer.from([0, 255, 10]));
    expect((await redis.scan('customer-api-mcp:*')).length).toBe(2);
  });

  it('counts commands from INFO commandstats', async () => {
    const before = await redis.commandCalls();
    for (let i = 0; i < 5; i++) await redis.command('GET', 'nothing');
    const after = await redis.commandCalls();
    expect(after.get! - (before.get ?? 0)).toBe(5);
  });

  it('stop drops connections; restart comes back on the same port, empty', async () => {
    const client = await connectRedis(redis.port);
    const port = redis.port;
    await redis.stop();
    expect(redis.running()).toBe(false);
    await expect(client.ping()).rejects.toThrow();
    await expect(connectRedis(port)).rejects.toThrow();
    await redis.restart();
    expect(redis.running()).toBe(true);
    expect(redis.port).toBe(port);
    expect(await redis.command('PING')).toBe('PONG');
    expect(await redis.scan()).toEqual([]);
    const again = await redis.connect();
    expect(await again.ping()).toBe('PONG');
    await again.close();
  });
});
