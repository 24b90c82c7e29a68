import * as z from 'zod';
import { isAdvertisedAsInteger } from '../tools/schema-parts.js';
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
 * - Output: the payload's top-level keys with short types. An object or the items of a list name only their key
 *   fields (ids, numbers, names, status) and allow any other; nothing is required but `correlationId`, because an
 *   error result is `{error, correlationId}` and clients validate both against the same schema. The data itself is
 *   unchanged: the full upstream documents, validated by the clients' zod schemas.
 */

type Json = Record<string, unknown>;

/** Key fields listed in output schemas: identifiers and the few facts an agent chains on. */
const KEY_FIELD = /(^id$|Id$|Uid$|No$|^name$|Name$|^status$|^price$|^total$|^options$)/;
const MAX_KEY_FIELDS = 2;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const PAGING = new Set(['total', 'hasMore', 'nextOffset']);

export function inputJsonSchema(input: z.ZodType): Json {
  const schema = z.toJSONSchema(input, {
    target: 'draft-7',
    io: 'input',
    override: ({ zodSchema, jsonSchema }) => {
      if (!isAdvertisedAsInteger(zodSchema)) return;
      const { description } = jsonSchema;
      for (const key of Object.keys(jsonSchema)) delete (jsonSchema as Json)[key];
      Object.assign(jsonSchema, { type: 'integer', minimum: 1, ...(description ? { description } : {}) });
    },
  }) as Json;
  delete schema.$schema;
  return leanInput(schema) as Json;
}

/** A digit-string id's length cap (16 digits) is no ordinary value, and `{0,15}` costs tokens in every id. */
const leanPattern = (pattern: string) => pattern.replace('[0-9]{0,15}', '\\d*');

function leanInput(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(leanInput);
  if (!node || typeof node !== 'object') return node;
  const schema = { ...(node as Json) };
  if (schema.maximum === MAX_SAFE) delete schema.maximum;
  // Defaults that go without saying (offset 0, flags false) are not constraints; the server applies them.
  if (schema.default === 0 || schema.default === false) delete schema.default;
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
    if (schema.description) delete schema.pattern;
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

/** A property's description that only repeats its name goes; "customerId from X" becomes "From X". */
function leanDescription(name: string, prop: Json): Json {
  const description = prop.description;
  if (typeof description !== 'string') return prop;
  const words = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (words(description) === words(name)) {
    const { description: _, ...rest } = prop;
    return rest;
  }
  if (description.startsWith(`${name} from `)) return { ...prop, description: `F${description.slice(name.length + 2)}` };
  return prop;
}

/** The advertised output schema of a tool; `extra` are further optional top-level payload keys. */
export function outputJsonSchema(output: z.ZodRawShape, input: z.ZodType, extra: Record<string, Json> = {}): Json {
  const known = argumentNames(input);
  const full = z.toJSONSchema(z.object(output), { target: 'draft-7', io: 'output', unrepresentable: 'any' }) as Json;
  const properties: Record<string, Json> = {};
  const list = 'items' in output;
  for (const [name, prop] of Object.entries((full.properties ?? {}) as Record<string, Json>)) {
    if (list && (name === 'limit' || name === 'offset')) continue; // they echo the arguments
    // The paging facts every list has are named only: their meaning is the same in every tool.
    properties[name] = list && PAGING.has(name) ? {} : compact(prop, known);
  }
  return { type: 'object', properties: { ...properties, ...extra, correlationId: { type: 'string' } } };
}

/** The tool's argument names: an output field the agent passed in itself is not worth listing again. */
function argumentNames(input: z.ZodType): Set<string> {
  const shape = (input as unknown as { shape?: Record<string, unknown> }).shape;
  return new Set(shape ? Object.keys(shape) : []);
}

/** Types of a schema, nulls and unions included; undefined when it cannot be said briefly (accept anything). */
function typesOf(schema: Json): string[] | undefined {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type as string[];
  const union = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (union) {
    const all = union.map(typesOf);
    if (all.some((t) => t === undefined)) return undefined;
    return [...new Set(all.flat() as string[])];
  }
  if (Array.isArray(schema.enum)) {
    return [...new Set((schema.enum as unknown[]).map((v) => (v === null ? 'null' : typeof v === 'number' ? 'number' : typeof v)))];
  }
  if (schema.const !== undefined) return [schema.const === null ? 'null' : typeof schema.const === 'number' ? 'number' : typeof schema.const];
  return undefined;
}

function typeValue(types: string[]): string | string[] {
  const set = new Set(types);
  if (set.has('number')) set.delete('integer');
  const list = [...set];
  return list.length === 1 ? list[0]! : list;
}

/** The branch of a (nullable) union that carries the structure, if any. */
function structural(schema: Json, kind: 'object' | 'array'): Json | undefined {
  if (schema.type === kind || (Array.isArray(schema.type) && schema.type.includes(kind) && (schema.properties || schema.items))) return schema;
  const union = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  return union?.map((branch) => structural(branch, kind)).find(Boolean);
}

/**
 * A top-level payload key: its type, and for an object (or a list's items) the names of its key fields. Below the
 * top level only names are given (`{}` accepts any value): the name is what tells the agent where an id comes from.
 */
function compact(schema: Json, known: Set<string>): Json {
  const types = typesOf(schema);
  if (!types) return {};
  const out: Json = { type: typeValue(types) };
  const array = types.includes('array') ? structural(schema, 'array') : undefined;
  const object = types.includes('object') ? structural(schema, 'object') : undefined;
  if (array?.items && typeof array.items === 'object') {
    const item = structural(array.items as Json, 'object');
    const properties = item && keyFields(item, known, 1);
    out.items = properties ? { type: 'object', properties } : {};
  }
  if (object) {
    // An object payload (one document) lists only key fields that are lists of objects (e.g. a part's options).
    const properties = keyFields(object, known, 1, true);
    if (properties) out.properties = properties;
  }
  return out;
}

/** The key fields of an object schema, as `{}`; a key field that is a list of objects names its items' key fields. */
function keyFields(object: Json, known: Set<string>, depth: number, listsOnly = false): Json | undefined {
  const entries = Object.entries((object.properties ?? {}) as Record<string, Json>)
    .filter(([name]) => KEY_FIELD.test(name) && !known.has(name))
    .map(([name, prop]): [string, Json | undefined] => {
      const array = depth < 2 ? structural(prop, 'array') : undefined;
      const item = array?.items && typeof array.items === 'object' ? structural(array.items as Json, 'object') : undefined;
      const nested = item && keyFields(item, known, depth + 1);
      // Strict mode: `items` and `properties` only under the type they apply to.
      return [name, nested ? { type: 'array', items: { type: 'object', properties: nested } } : listsOnly ? undefined : {}];
    })
    .filter((entry): entry is [string, Json] => entry[1] !== undefined)
    .slice(0, MAX_KEY_FIELDS);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** Names of a list tool's item fields (for `fields` projection), or undefined when the tool returns no `items`. */
export function isListTool(tool: AnyTool): boolean {
  return 'items' in tool.output;
}
