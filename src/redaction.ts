/**
 * The credentials this process knows (client secrets, API keys, the Augur token, the current access tokens), so
 * that an upstream which echoes one back cannot put it in a tool result or a log line. One registry for the whole
 * process: in HTTP mode that covers every tenant's credentials, so no tenant's result can show another's either.
 * Clients register what they are configured with; the token provider registers the tokens it holds.
 */

export const REDACTED = '[redacted]';

/** Shorter values would match ordinary text; no real credential is this short. */
export const MIN_SECRET_LENGTH = 6;

/** The forms an upstream could echo a value in: as is, in JSON, form- or URL-encoded, base64. */
function variants(value: string): string[] {
  const out = [
    value,
    JSON.stringify(value).slice(1, -1),
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    Buffer.from(value, 'utf8').toString('base64'),
    Buffer.from(value, 'utf8').toString('base64url'),
  ];
  return out.filter((v) => v.length >= MIN_SECRET_LENGTH);
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class KnownSecrets {
  readonly #fixed = new Set<string>();
  /** Secrets that change (access tokens), by owner: only an owner's latest ones are kept. */
  readonly #rotating = new Map<object, string[]>();
  #pattern: RegExp | null | undefined;

  /** Registers configured credentials (empty and too-short values are ignored). */
  add(...values: Array<string | undefined>): void {
    for (const value of values) {
      if (value === undefined || value.length < MIN_SECRET_LENGTH || this.#fixed.has(value)) continue;
      for (const form of variants(value)) this.#fixed.add(form);
      this.#pattern = undefined;
    }
  }

  /** HTTP Basic credentials, as an `Authorization: Basic` header echo would show them. */
  addBasicPair(user: string, password: string): void {
    if (password.length < MIN_SECRET_LENGTH) return;
    const pair = Buffer.from(`${user}:${password}`, 'utf8');
    for (const form of [pair.toString('base64'), pair.toString('base64url')]) this.#fixed.add(form);
    this.#pattern = undefined;
  }

  /** Sets the current secrets of one owner (e.g. a token provider's current and previous access token). */
  replace(owner: object, values: string[]): void {
    this.#rotating.set(owner, values.filter((v) => v.length >= MIN_SECRET_LENGTH).flatMap(variants));
    this.#pattern = undefined;
  }

  /** `text` with every known secret (in any of its forms) replaced by `[redacted]`. */
  redact(text: string): string {
    const pattern = this.#compiled();
    if (!pattern || text.length < MIN_SECRET_LENGTH) return text;
    pattern.lastIndex = 0;
    return text.replace(pattern, REDACTED);
  }

  #compiled(): RegExp | null {
    if (this.#pattern !== undefined) return this.#pattern;
    const all = new Set([...this.#fixed, ...[...this.#rotating.values()].flat()]);
    // Longest first, so a secret that contains another is replaced whole.
    const sorted = [...all].sort((a, b) => b.length - a.length);
    this.#pattern = sorted.length ? new RegExp(sorted.map(escape).join('|'), 'g') : null;
    return this.#pattern;
  }
}

/** The process's registry. */
export const knownSecrets = new KnownSecrets();

export const redactSecrets = (text: string): string => knownSecrets.redact(text);
