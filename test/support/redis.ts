import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createClient, RESP_TYPES, type RedisArgument } from 'redis';

/**
 * A real Redis for tests and benchmarks: Debian's `redis-server` on a random loopback port with persistence off,
 * talked to with the `redis` package the server itself uses (src/state/redis.ts). No vitest import here:
 * bench/fleet.ts uses it too.
 */

/** A reply as RESP2 gives it: status and bulk strings as text (Buffers where asked), integers, arrays, null. */
export type RespValue = string | number | null | RespValue[] | Buffer;

/**
 * `REDIS_SERVER` when set (only it: a wrong path means "missing", which is how the skip and the CI failure are
 * tried out), else `redis-server` on PATH, else Debian's /usr/bin or /usr/sbin; undefined when missing.
 */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = env.REDIS_SERVER
    ? [env.REDIS_SERVER]
    : [...(env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'redis-server')), '/usr/bin/redis-server', '/usr/sbin/redis-server'];
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** A port the OS reports free right now (the server binds it next; a lost race just fails that start). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}


/**
 * A connection of the `redis` package that fails fast instead of waiting: no reconnect and no offline queue, so a
 * command on a stopped server rejects (the tests stop Redis on purpose), and RESP2 so replies are flat arrays.
 */
export async function connectRedis(port: number, host = '127.0.0.1', timeoutMs = 2_000): Promise<RedisConnection> {
  const client = createClient({ RESP: 2, disableOfflineQueue: true, socket: { host, port, connectTimeout: timeoutMs, reconnectStrategy: false } });
  // Without an error listener a dropped connection would crash the process.
  client.on('error', () => {});
  await client.connect();
  return client;
}

export type RedisConnection = ReturnType<typeof createClient<{}, {}, {}, 2>>;

/** Sends one command as written (`redis.command('SET', 'k', 'v', 'PX', 100)`). */
export function sendCommand(connection: RedisConnection, args: Array<string | number | Buffer>, buffers = false): Promise<RespValue> {
  const argv: RedisArgument[] = args.map((a) => (Buffer.isBuffer(a) ? a : String(a)));
  return connection.sendCommand<RespValue>(argv, buffers ? { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } } : undefined);
}

// ------------------------------------------------------------------------------------------ the server

export interface RedisEntry {
  key: string;
  type: string;
  /** PTTL: ms left, -1 = no expiry (keys deleted between SCAN and PTTL are left out). */
  ttlMs: number;
  /** Every byte of the value (members, fields and values joined by newlines), as latin1 so no byte is lost. */
  value: string;
}

export interface RedisServer {
  port: number;
  url: string;
  /** A fresh connection of the `redis` package (the caller closes it: `close()`), failing fast when Redis stops. */
  connect(): Promise<RedisConnection>;
  /** One command on the helper's own connection. */
  command(...args: Array<string | number | Buffer>): Promise<RespValue>;
  /** Every key and value (SCAN, then TYPE/PTTL and the type's read command per key). */
  scan(pattern?: string): Promise<RedisEntry[]>;
  /** `INFO section` as name → value. */
  info(section: string): Promise<Record<string, string>>;
  /** Calls per command from `INFO commandstats` (`get` → 12), the INFO calls themselves included. */
  commandCalls(): Promise<Record<string, number>>;
  running(): boolean;
  /** SIGTERM (SIGKILL with `hard`) and wait for the exit: clients see their connections drop. */
  stop(options?: { hard?: boolean }): Promise<void>;
  /** Start again on the same port (empty: persistence is off) and wait for PING. */
  restart(): Promise<void>;
  /** Log of redis-server (its stdout), for failure messages. */
  log(): string;
}

const START_TIMEOUT_MS = 10_000;

/**
 * Starts `redis-server` on 127.0.0.1 and a random free port, no persistence (`--save '' --appendonly no`), its
 * working directory a fresh temp dir, the DEBUG command allowed from loopback (tests use `DEBUG SLEEP` to make
 * Redis slow). Resolves once PING answers PONG.
 */
export async function startRedis(options: { binary?: string } = {}): Promise<RedisServer> {
  const binary = options.binary ?? findRedisServer();
  if (!binary) throw new Error('redis-server not found (install it: apt-get install -y redis-server, or set REDIS_SERVER)');
  const dir = mkdtempSync(join(tmpdir(), 'redis-test-'));
  let port = 0;
  let child: ChildProcess | undefined;
  let log = '';
  let own: RedisConnection | undefined;

  async function launch(): Promise<void> {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
    args.push('--enable-debug-command', 'local', '--loglevel', 'warning', '--daemonize', 'no');
    const started = spawn(binary!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    started.stdout!.on('data', (d) => (log = (log + d).slice(-8000)));
    started.stderr!.on('data', (d) => (log = (log + d).slice(-8000)));
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (started.exitCode !== null) throw new Error(`redis-server exited (${started.exitCode}) on port ${port}: ${log}`);
      try {
        const conn = await connectRedis(port, '127.0.0.1', 500);
        if ((await conn.ping()) === 'PONG') {
          own = conn;
          return;
        }
        conn.destroy();
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`redis-server did not answer PING within ${START_TIMEOUT_MS} ms: ${log}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  // A port taken between freePort() and the bind only costs another try.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (error) {
      child?.kill('SIGKILL');
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  activeServers.add(() => child?.kill('SIGKILL'));

  const connection = (): RedisConnection => {
    if (!own) throw new Error('Redis is stopped');
    return own;
  };

  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    connect: () => connectRedis(port),
    command: (...args) => sendCommand(connection(), args),
    async scan(pattern = '*') {
      const conn = connection();
      const keys = new Set<string>();
      let cursor = '0';
      do {
        const [next, batch] = (await sendCommand(conn, ['SCAN', cursor, 'MATCH', pattern, 'COUNT', 1000], true)) as [Buffer, Buffer[]];
        cursor = next.toString();
        for (const key of batch) keys.add(key.toString('latin1'));
      } while (cursor !== '0');
      const entries: RedisEntry[] = [];
      for (const key of [...keys].sort()) {
        const name = Buffer.from(key, 'latin1');
        const type = String(await sendCommand(conn, ['TYPE', name]));
        const ttlMs = Number(await sendCommand(conn, ['PTTL', name]));
        if (ttlMs === -2) continue; // expired or deleted since SCAN listed it
        const read: Record<string, Array<string | number>> = {
          string: ['GET'],
          hash: ['HGETALL'],
          list: ['LRANGE', 0, -1],
          set: ['SMEMBERS'],
          zset: ['ZRANGE', 0, -1, 'WITHSCORES'],
          stream: ['XRANGE', '-', '+'],
        };
        const command = read[type];
        const value = command ? flatten(await sendCommand(conn, [command[0]!, name, ...command.slice(1)], true)) : '';
        entries.push({ key, type, ttlMs, value });
      }
      return entries;
    },
    async info(section) {
      const text = String((await sendCommand(connection(), ['INFO', section])) ?? '');
      const out: Record<string, string> = {};
      for (const line of text.split('\r\n')) {
        const at = line.indexOf(':');
        if (at > 0 && !line.startsWith('#')) out[line.slice(0, at)] = line.slice(at + 1);
      }
      return out;
    },
    async commandCalls() {
      const stats = await server.info('commandstats');
      const calls: Record<string, number> = {};
      for (const [name, value] of Object.entries(stats)) {
        const match = /^cmdstat_(.+)$/.exec(name);
        const count = /(?:^|,)calls=(\d+)/.exec(value);
        if (match && count) calls[match[1]!] = Number(count[1]);
      }
      return calls;
    },
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    async stop({ hard = false } = {}) {
      own?.destroy();
      own = undefined;
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      const exited = new Promise((resolve) => current.once('exit', resolve));
      current.kill(hard ? 'SIGKILL' : 'SIGTERM');
      const timer = setTimeout(() => current.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
    async restart() {
      await server.stop();
      await launch();
    },
    log: () => log,
  };
  cleanups.set(server, () => rmSync(dir, { recursive: true, force: true }));
  return server;
}

/** Every part of a reply as latin1 text, one part per line. */
function flatten(value: RespValue): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map(flatten).join('\n');
  return Buffer.isBuffer(value) ? value.toString('latin1') : String(value);
}

const activeServers = new Set<() => void>();
const cleanups = new Map<RedisServer, () => void>();

/** Stops a server for good and removes its temp dir. */
export async function disposeRedis(server: RedisServer | undefined): Promise<void> {
  if (!server) return;
  await server.stop({ hard: true });
  cleanups.get(server)?.();
  cleanups.delete(server);
}

// A test run that dies must not leave redis-server processes behind.
process.once('exit', () => activeServers.forEach((kill) => kill()));

// ------------------------------------------------------------------------------------------ availability

export type RedisAvailability =
  | { run: true; binary: string }
  | { run: false; reason: string }
  | { run: 'fail'; reason: string };

/**
 * Whether the Redis suites can run here: yes with a redis-server; without one they are skipped (and say so),
 * except in CI (CI=true), where a missing redis-server is a failure: CI must run them.
 */
export function redisAvailability(env: NodeJS.ProcessEnv = process.env): RedisAvailability {
  const binary = findRedisServer(env);
  if (binary) return { run: true, binary };
  const reason = 'redis-server not found (apt-get install -y redis-server, or set REDIS_SERVER to its path)';
  return env.CI === 'true' || env.CI === '1' ? { run: 'fail', reason } : { run: false, reason };
}
