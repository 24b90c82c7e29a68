import { createHash } from 'node:crypto';
import type { SandboxResponse } from '../types.js';

const KEY_TTL_MS = 24 * 60 * 60 * 1000;
/** The documented format: a UUID with dashes (v4 recommended, any version accepted). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isValidIdempotencyKey(key: string): boolean {
  return UUID.test(key);
}

interface Entry {
  fingerprint: string;
  inFlight: boolean;
  response?: SandboxResponse;
  expiresAtMs: number;
}

export type Begin =
  | { kind: 'new' }
  | { kind: 'replay'; response: SandboxResponse }
  | { kind: 'body-mismatch' }
  | { kind: 'in-flight' };

/**
 * Idempotency keys per tenant: 2xx and 5xx replayed for 24 h, 4xx forgotten (the caller fixes the request and
 * retries with the same key), a different body under a known key or a second request while the first is still
 * being processed: conflict.
 */
export class IdempotencyStore {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly now: () => number) {}

  begin(tenant: string, key: string, body: unknown): Begin {
    const id = `${tenant}|${key.toLowerCase()}`;
    const fingerprint = fingerprintOf(body);
    const existing = this.#entries.get(id);
    if (existing && existing.expiresAtMs <= this.now()) this.#entries.delete(id);
    const entry = this.#entries.get(id);
    if (!entry) {
      this.#entries.set(id, { fingerprint, inFlight: true, expiresAtMs: this.now() + KEY_TTL_MS });
      return { kind: 'new' };
    }
    if (entry.fingerprint !== fingerprint) return { kind: 'body-mismatch' };
    if (entry.inFlight || !entry.response) return { kind: 'in-flight' };
    return { kind: 'replay', response: entry.response };
  }

  complete(tenant: string, key: string, response: SandboxResponse): void {
    const id = `${tenant}|${key.toLowerCase()}`;
    const entry = this.#entries.get(id);
    if (!entry) return;
    if (response.status >= 400 && response.status < 500) {
      this.#entries.delete(id);
      return;
    }
    entry.inFlight = false;
    entry.response = response;
  }
}

/** Same JSON, same fingerprint, whatever the key order or whitespace. */
function fingerprintOf(body: unknown): string {
  return createHash('sha256').update(canonical(body)).digest('hex');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
