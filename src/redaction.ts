/**
 * The credentials this process knows (client secrets, API keys, the Augur token, the current access tokens), so
 * that an upstream which echoes one back cannot put it in a tool result or a log line. One registry for the whole
 * process: in HTTP mode that covers every tenant's credentials, so no tenant's result can show another's either.
 * Clients register what they are configured with; the token provider registers the tokens it holds.
 */

export const REDACTED = '[redacted]';

/** Shorter values would match ordinary text; no real credential is this short. */
export const MIN_SECRET_LENGTH = 6;

/**
 * The forms an upstream could echo a value in: as is, in JSON, form- or URL-encoded, base64. The form encoding and
 * base64url are derived from encodeURIComponent and base64 (what URLSearchParams and a second Buffer would give):
 * a URLSearchParams per value was most of registering a 1,000-tenant file's credentials at start.
 */
function variants(value: string): string[] {
  const uriEncoded = encodeURIComponent(value);
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  const out = [value, JSON.stringify(value).slice(1, -1), uriEncoded, formEncoded(uriEncoded), base64, base64url(base64)];
  return out.filter((v) => v.length >= MIN_SECRET_LENGTH);
}

/** application/x-www-form-urlencoded as URLSearchParams writes it: space as `+`, and `!'()~` escaped as well. */
const formEncoded = (uriEncoded: string): string =>
  uriEncoded.replace(/%20|[!'()~]/g, (match) => (match === '%20' ? '+' : `%${match.charCodeAt(0).toString(16).toUpperCase()}`));

/** base64url (no padding) from base64. */
const base64url = (base64: string): string => base64.replace(/[+/=]/g, (c) => (c === '+' ? '-' : c === '/' ? '_' : ''));

/**
 * Where the secrets are looked for: every window of MIN_SECRET_LENGTH characters of a text is hashed (rolling, so
 * no string is allocated per position) and tested against a bitmap of the secrets' first windows; only a hit is
 * checked against the secrets that start with that window. Cost per character is constant, whatever the number of
 * secrets: one regular expression of every secret's forms cost 4 ms per 300-item result with one tenant and
 * 290 ms with 1,000 tenants (an alternation is tried at every position).
 */
const WINDOW = MIN_SECRET_LENGTH;
const BASE = 31;
const BASE_POW = Array.from({ length: WINDOW - 1 }).reduce<number>((pow) => Math.imul(pow, BASE), 1);
const BUCKET_BITS = 20;
const bucketOf = (hash: number) => Math.imul(hash, 0x9e3779b1) >>> (32 - BUCKET_BITS);

function windowHash(text: string, from: number): number {
  let hash = 0;
  for (let i = from; i < from + WINDOW; i++) hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) | 0;
  return hash;
}

interface SecretIndex {
  buckets: Uint8Array;
  /** Secrets by their first window, longest first (a secret that contains another is replaced whole). */
  byPrefix: Map<string, string[]>;
}

function buildIndex(secrets: Iterable<string>): SecretIndex | null {
  const buckets = new Uint8Array((1 << BUCKET_BITS) / 8);
  const byPrefix = new Map<string, string[]>();
  for (const secret of secrets) {
    const bucket = bucketOf(windowHash(secret, 0));
    buckets[bucket >>> 3]! |= 1 << (bucket & 7);
    const prefix = secret.slice(0, WINDOW);
    const list = byPrefix.get(prefix) ?? [];
    if (!list.includes(secret)) list.push(secret);
    byPrefix.set(prefix, list);
  }
  if (byPrefix.size === 0) return null;
  for (const list of byPrefix.values()) list.sort((a, b) => b.length - a.length);
  return { buckets, byPrefix };
}

/** `text` with every occurrence of an indexed secret replaced, leftmost first and longest at a position. */
function redactWith(index: SecretIndex, text: string): string {
  if (text.length < WINDOW) return text;
  let out = '';
  let copiedTo = 0;
  let hash = windowHash(text, 0);
  for (let i = 0; i + WINDOW <= text.length; i++) {
    if (i > 0) hash = (Math.imul((hash - Math.imul(text.charCodeAt(i - 1), BASE_POW)) | 0, BASE) + text.charCodeAt(i + WINDOW - 1)) | 0;
    if (i < copiedTo) continue; // inside a secret already replaced
    const bucket = bucketOf(hash);
    if ((index.buckets[bucket >>> 3]! & (1 << (bucket & 7))) === 0) continue;
    const found = index.byPrefix.get(text.slice(i, i + WINDOW))?.find((secret) => text.startsWith(secret, i));
    if (found === undefined) continue;
    out += text.slice(copiedTo, i) + REDACTED;
    copiedTo = i + found.length;
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo);
}

export class KnownSecrets {
  readonly #fixed = new Set<string>();
  /** Secrets that change (access tokens), by owner: only an owner's latest ones are kept. */
  readonly #rotating = new Map<object, string[]>();
  #index: SecretIndex | null | undefined;

  /** Registers configured credentials (empty and too-short values are ignored). */
  add(...values: Array<string | undefined>): void {
    for (const value of values) {
      if (value === undefined || value.length < MIN_SECRET_LENGTH || this.#fixed.has(value)) continue;
      for (const form of variants(value)) this.#fixed.add(form);
      this.#index = undefined;
    }
  }

  /** HTTP Basic credentials, as an `Authorization: Basic` header echo would show them. */
  addBasicPair(user: string, password: string): void {
    if (password.length < MIN_SECRET_LENGTH) return;
    const pair = Buffer.from(`${user}:${password}`, 'utf8');
    for (const form of [pair.toString('base64'), pair.toString('base64url')]) this.#fixed.add(form);
    this.#index = undefined;
  }

  /** Sets the current secrets of one owner (e.g. a token provider's current and previous access token). */
  replace(owner: object, values: string[]): void {
    this.#rotating.set(owner, values.filter((v) => v.length >= MIN_SECRET_LENGTH).flatMap(variants));
    this.#index = undefined;
  }

  /** `text` with every known secret (in any of its forms) replaced by `[redacted]`. */
  redact(text: string): string {
    if (this.#index === undefined) this.#index = buildIndex([...this.#fixed, ...[...this.#rotating.values()].flat()]);
    return this.#index ? redactWith(this.#index, text) : text;
  }
}

/** The process's registry. */
export const knownSecrets = new KnownSecrets();

export const redactSecrets = (text: string): string => knownSecrets.redact(text);
