import { ApiError, badRequest } from './envelope.js';

/**
 * Body rules for writes (reference §5 #22): JSON objects only; `[]` (what the PHP SDK sends for an empty payload)
 * and an empty body read as `{}`; anything else is a 400.
 */
export function parseBody(raw: Buffer): Record<string, unknown> {
  const text = raw.toString('utf8').trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('body', 'The request body is not valid JSON');
  }
  if (Array.isArray(value) && value.length === 0) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest('body', 'The request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

export type FieldSpec = { kind: 'string'; max: number } | { kind: 'int'; allowed?: readonly number[] };

/**
 * Checks the documented fields of a body (unknown keys are ignored, as a minimum-shape contract implies) and
 * returns only the fields that were present. Every problem is reported at once in `errors`.
 */
export function pickFields(body: Record<string, unknown>, specs: Record<string, FieldSpec>): Record<string, string | number | null> {
  const errors: Record<string, string> = {};
  const out: Record<string, string | number | null> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (!(name in body)) continue;
    const value = body[name];
    if (value === null) {
      out[name] = null;
    } else if (spec.kind === 'string') {
      if (typeof value !== 'string') errors[name] = `${name} must be a string or null`;
      else if (value.length > spec.max) errors[name] = `${name} must be at most ${spec.max} characters`;
      else out[name] = value;
    } else if (typeof value !== 'number' || !Number.isInteger(value)) {
      errors[name] = `${name} must be an integer or null`;
    } else if (spec.allowed && !spec.allowed.includes(value)) {
      errors[name] = `${name} must be one of ${spec.allowed.join(', ')}`;
    } else {
      out[name] = value;
    }
  }
  if (Object.keys(errors).length > 0) throw new ApiError(400, 'The request body is invalid', errors);
  return out;
}

/** Reads a key that P21 entity payloads may spell camelCase or PascalCase (`firstName` / `FirstName`). */
export function readText(source: Record<string, unknown>, name: string): string | null {
  const value = source[name] ?? source[name.charAt(0).toUpperCase() + name.slice(1)];
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}
