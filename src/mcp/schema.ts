import * as z from 'zod';
import { advertisedIdForm } from '../tools/schema-parts.js';
import type { AnyTool } from '../tools/define.js';

/**
 * The schemas advertised in tools/list, kept lean: every tool's schemas are sent to the model in every conversation.
 * Lean, but never looser than the server for ordinary values, and valid under Ajv's strict mode (JSON Schema
 * 2020-12 and draft 7 alike), so that strict clients and UIs take them as they are.
 *
 * - Input: the zod schema as JSON Schema, as enforced: unknown keys refused (`additionalProperties: false`), integer
 *   types, minimums and maximums, non-empty strings. Left out is only what no ordinary value meets: the
 *   MAX_SAFE_INTEGER bound, string maximum lengths, and `$schema`. An id that may be a number or a string of digits is
 *   an `anyOf` of the two (a `type` list is not strict-mode JSON Schema). Formats (email, uuid) are not advertised:
 *   validators without format support refuse them under strict mode; the description names them and the server
 *   checks them.
 * - Output: `{type: "object"}` (see outputJsonSchema). Naming the payload's keys cost a fifth of the list (~1,600
 *   tokens) and told the agent nothing its arguments' descriptions and the first result do not; an error result
 *   `{error, correlationId}` validates against it too. The data is unchanged, validated by the clients' zod schemas.
 */

type Json = Record<string, unknown>;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export function inputJsonSchema(input: z.ZodType): Json {
  const schema = z.toJSONSchema(input, {
    target: 'draft-7',
    io: 'input',
    override: ({ zodSchema, jsonSchema }) => {
      const form = advertisedIdForm(zodSchema);
      if (!form) return;
      const { description } = jsonSchema;
      for (const key of Object.keys(jsonSchema)) delete (jsonSchema as Json)[key];
      const type = form === 'integer' ? { type: 'integer', minimum: 1 } : { type: 'string', pattern: DIGITS };
      Object.assign(jsonSchema, { ...type, ...(description ? { description } : {}) });
    },
  }) as Json;
  delete schema.$schema;
  return leanInput(schema) as Json;
}

/** A digit-string id as advertised (its 16-digit cap is no ordinary value). Kept beside a description. */
const DIGITS = '^[1-9]\\d*$';

/** A digit-string id's length cap (16 digits) is no ordinary value, and `{0,15}` costs tokens in every id. */
const leanPattern = (pattern: string) => pattern.replace('[0-9]{0,15}', '\\d*');

function leanInput(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(leanInput);
  if (!node || typeof node !== 'object') return node;
  const schema = { ...(node as Json) };
  if (schema.maximum === MAX_SAFE) delete schema.maximum;
  // Defaults are not constraints and the server applies them: offset 0 and flags false go without saying, and a page
  // size is not needed to page (hasMore, nextOffset).
  if (typeof schema.default === 'number' || schema.default === false) delete schema.default;
  // `additionalProperties: {}` (any value) is what an object allows anyway.
  if (isEmptyObject(schema.additionalProperties)) delete schema.additionalProperties;
  // "a positive integer" reads more plainly as minimum 1.
  if (schema.exclusiveMinimum === 0 && schema.type === 'integer') {
    delete schema.exclusiveMinimum;
    schema.minimum = 1;
  }
  if (schema.type === 'string') {
    if (schema.minLength !== 1) delete schema.minLength;
    delete schema.maxLength;
    if (schema.format) {
      delete schema.format;
      delete schema.pattern;
    }
    if (schema.description && schema.pattern !== DIGITS) delete schema.pattern;
    if (typeof schema.pattern === 'string') schema.pattern = leanPattern(schema.pattern);
  }
  delete schema.propertyNames;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value && typeof value === 'object') {
      schema.properties = Object.fromEntries(
        Object.entries(value as Json).map(([name, prop]) => [name, leanDescription(name, leanInput(prop) as Json)]),
      );
    } else if (key === 'items' || key === 'additionalProperties' || key === 'anyOf' || key === 'oneOf') {
      schema[key] = leanInput(value);
    }
  }
  return schema;
}

const isEmptyObject = (value: unknown) => !!value && typeof value === 'object' && Object.keys(value).length === 0;

/**
 * A property's description that only repeats its name goes; "customerId from X" becomes "From X"; a one-phrase
 * description loses its full stop (a token in each of ~60 arguments).
 */
function leanDescription(name: string, prop: Json): Json {
  if (typeof prop.description !== 'string') return prop;
  const onePhrase = !prop.description.slice(0, -1).includes('. ');
  const description = onePhrase ? prop.description.replace(/\.$/, '') : prop.description;
  const words = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (words(description) === words(name)) {
    const { description: _, ...rest } = prop;
    return rest;
  }
  if (description.startsWith(`${name} from `)) return { ...prop, description: `F${description.slice(name.length + 2)}` };
  return { ...prop, description };
}

/**
 * The advertised output schema of every tool: an object, nothing more. Declaring it keeps the SDK client checking
 * that every success carries structuredContent (and clients that read structuredContent only when a tool declares
 * one reading it); the payload itself is described where the agent reads it: each id's source in the arguments'
 * descriptions ("From list_invoices"), paging and correlationId once in the server instructions.
 */
export function outputJsonSchema(): Json {
  return { type: 'object' };
}

/** Whether the tool returns a page of `items` (a list tool: paging, `detail` and `fields`). */
export function isListTool(tool: AnyTool): boolean {
  return 'items' in tool.output;
}
