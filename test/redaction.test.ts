import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KnownSecrets, MIN_SECRET_LENGTH, REDACTED } from '../src/redaction.js';

/** The obvious implementation the indexed one must agree with: one alternation, longest first, leftmost match. */
function reference(secrets: string[], text: string): string {
  const forms = [...new Set(secrets)].sort((a, b) => b.length - a.length);
  if (forms.length === 0) return text;
  const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(forms.map(escape).join('|'), 'g'), REDACTED);
}

describe('KnownSecrets.redact', () => {
  it('replaces every secret wherever it sits: glued to other text, repeated, overlapping a longer one', () => {
    const known = new KnownSecrets();
    known.add('s3cr3t-value', 's3cr3t-value-longer', 'apikey123456');
    expect(known.redact('xs3cr3t-valuey and apikey123456apikey123456')).toBe(`x${REDACTED}y and ${REDACTED}${REDACTED}`);
    expect(known.redact('s3cr3t-value-longer!')).toBe(`${REDACTED}!`);
    expect(known.redact(Buffer.from('apikey123456').toString('base64'))).toBe(REDACTED);
    expect(known.redact('nothing here')).toBe('nothing here');
  });

  it('agrees with a plain regular expression on random texts and secrets (property)', () => {
    // A small alphabet makes secrets, their prefixes and near-misses collide often.
    const chars = fc.constantFrom('a', 'b', 'c', '1', '=', '-');
    const secret = fc.string({ unit: chars, minLength: MIN_SECRET_LENGTH, maxLength: 12 });
    fc.assert(
      fc.property(fc.uniqueArray(secret, { minLength: 1, maxLength: 6 }), fc.array(fc.oneof(secret, fc.string({ unit: chars, maxLength: 8 })), { maxLength: 8 }), (secrets, parts) => {
        const known = new KnownSecrets();
        known.replace({}, secrets); // as given (no encoded forms), to compare with the reference
        const text = parts.join('');
        expect(known.redact(text)).toBe(reference(secrets.flatMap((s) => [s, encodeURIComponent(s), Buffer.from(s).toString('base64'), Buffer.from(s).toString('base64url'), JSON.stringify(s).slice(1, -1), new URLSearchParams({ v: s }).toString().slice(2)]).filter((s) => s.length >= MIN_SECRET_LENGTH), text));
      }),
      { numRuns: 500 },
    );
  });

  it('redacts a configured value in each form an upstream could echo it in, whatever its characters (property)', () => {
    // Characters that URL, form and JSON encodings treat differently, and some outside ASCII.
    const chars = fc.constantFrom('a', 'Z', '7', ' ', '!', "'", '(', ')', '~', '*', '-', '_', '.', '+', '/', '=', '%', '&', '"', '\\', 'é', '€', '😀');
    fc.assert(
      fc.property(fc.string({ unit: chars, minLength: MIN_SECRET_LENGTH, maxLength: 16 }), (value) => {
        const known = new KnownSecrets();
        known.add(value);
        const bytes = Buffer.from(value, 'utf8');
        const forms = [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2), bytes.toString('base64'), bytes.toString('base64url')];
        for (const form of forms) expect(known.redact(`<${form}>`)).toBe(`<${REDACTED}>`);
      }),
      { numRuns: 500 },
    );
  });
});
