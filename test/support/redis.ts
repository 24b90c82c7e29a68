import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * A real Redis for tests and benchmarks: Debian's `redis-server` on a random loopback port with persistence off,
 * and a tiny RESP2 client on a raw socket (so the helper needs neither `redis-cli` nor any Redis library, and
 * does not depend on which client the project uses). No vitest import here: bench/fleet.ts uses it too.
 */

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

// ------------------------------------------------------------------------------------------ RESP2 on a socket

/** Parses one RESP2 reply from `buf` at `offset`; undefined when the reply is not complete yet. */
function parseReply(buf: Buffer, offset: number): { value: RespValue | Error; next: number } | undefined {
  const lineEnd = buf.indexOf('\r\n', offset);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buf[offset]!);
  const line = buf.toString('utf8', offset + 1, lineEnd);
  const after = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, next: after };
    case '-':
      return { value: new Error(line), next: after };
    case ':':
      return { value: Number(line), next: after };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, next: after };
      if (buf.length < after + length + 2) return undefined;
      return { value: buf.subarray(after, after + length), next: after + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, next: after };
      const items: RespValue[] = [];
      let next = after;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, next);
        if (!item) return undefined;
        if (item.value instanceof Error) throw item.value;
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)}`);
  }
}

/** One connection; commands are pipelined and answered in order. Bulk strings come back as Buffers. */
export class RespConnection {
  #buffer: Buffer = Buffer.alloc(0);
  #pending: Array<{ resolve: (v: RespValue) => void; reject: (e: Error) => void }> = [];
  #closed: Error | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    const fail = (error: Error) => {
      this.#closed = error;
      for (const p of this.#pending.splice(0)) p.reject(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(this.#closed ?? new Error('the Redis connection closed')));
  }

  static open(port: number, host = '127.0.0.1', timeoutMs = 2_000): Promise<RespConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no connection to Redis at ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new RespConnection(socket));
      });
    });
  }

  command(...args: Array<string | number | Buffer>): Promise<RespValue> {
    if (this.#closed) return Promise.reject(this.#closed);
    const parts = args.map((a) => (Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'utf8')));
    const head = Buffer.from(`*${parts.length}\r\n`);
    const body = parts.flatMap((p) => [Buffer.from(`$${p.length}\r\n`), p, Buffer.from('\r\n')]);
    return new Promise((resolve, reject) => {
      this.#pending.push({ resolve, reject });
      this.socket.write(Buffer.concat([head, ...body]));
    });
  }

  /** A command whose reply is text (bulk string or status), e.g. GET, INFO, PING. */
  async text(...args: Array<string | number>): Promise<string | null> {
    const value = await this.command(...args);
    return value === null ? null : Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  }

  close(): void {
    this.socket.destroy();
  }

  #onData(chunk: Buffer): void {
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
    let offset = 0;
    while (offset < this.#buffer.length && this.#pending.length) {
      const reply = parseReply(this.#buffer, offset);
      if (!reply) break;
      offset = reply.next;
      const waiter = this.#pending.shift()!;
      if (reply.value instanceof Error) waiter.reject(reply.value);
      else waiter.resolve(reply.value);
    }
    this.#buffer = this.#buffer.subarray(offset);
  }
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
  /** A fresh connection (the caller closes it). */
  connect(): Promise<RespConnection>;
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
  let own: RespConnection | undefined;

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
        const conn = await RespConnection.open(port, '127.0.0.1', 500);
        if ((await conn.text('PING')) === 'PONG') {
          own = conn;
          return;
        }
        conn.close();
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

  const connection = (): RespConnection => {
    if (!own) throw new Error('Redis is stopped');
    return own;
  };

  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    connect: () => RespConnection.open(port),
    command: (...args) => connection().command(...args),
    async scan(pattern = '*') {
      const conn = connection();
      const keys = new Set<string>();
      let cursor = '0';
      do {
        const [next, batch] = (await conn.command('SCAN', cursor, 'MATCH', pattern, 'COUNT', 1000)) as [Buffer, Buffer[]];
        cursor = next.toString();
        for (const key of batch) keys.add(key.toString('latin1'));
      } while (cursor !== '0');
      const entries: RedisEntry[] = [];
      for (const key of [...keys].sort()) {
        const name = Buffer.from(key, 'latin1');
        const type = String(await conn.command('TYPE', name));
        const ttlMs = Number(await conn.command('PTTL', name));
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
        const value = command ? flatten(await conn.command(command[0]!, name, ...command.slice(1))) : '';
        entries.push({ key, type, ttlMs, value });
      }
      return entries;
    },
    async info(section) {
      const text = (await connection().text('INFO', section)) ?? '';
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
      own?.close();
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
