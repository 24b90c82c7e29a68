import * as z from 'zod';
import type { AnyTool } from './define.js';

/**
 * The schemas advertised in tools/list, kept lean: every tool's schemas are sent to the model in every conversation.
 *
 * - Input: the zod schema as draft-7 JSON Schema, minus noise the server enforces anyway (`$schema`, string lengths,
 *   MAX_SAFE_INTEGER bounds); an id that may be a number or a string of digits is `type: [integer, string]`.
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
  const schema = z.toJSONSchema(input, { target: 'draft-7', io: 'input' }) as Json;
  delete schema.$schema;
  // Unknown top-level keys are refused by the server with a message naming them; the model need not read it here.
  delete schema.additionalProperties;
  return leanInput(schema) as Json;
}

function leanInput(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(leanInput);
  if (!node || typeof node !== 'object') return node;
  const schema = { ...(node as Json) };
  const union = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (union && union.every((branch) => typeof branch.type === 'string' && branch.type !== 'object' && branch.type !== 'array')) {
    delete schema.anyOf;
    delete schema.oneOf;
    schema.type = [...new Set(union.map((branch) => branch.type as string))];
  }
  if (schema.maximum === MAX_SAFE) delete schema.maximum;
  // Natural lower bounds and defaults (offset 0, ids from 1, flags false) go without saying; the server checks them.
  if (schema.default === 0 || schema.default === false) delete schema.default;
  if (schema.minimum === 0 || (schema.minimum === 1 && schema.type === 'integer')) delete schema.minimum;
  if (schema.exclusiveMinimum === 0 && schema.type === 'integer') delete schema.exclusiveMinimum;
  if (schema.type === 'string') {
    delete schema.minLength;
    delete schema.maxLength;
    if (schema.format || schema.description) delete schema.pattern;
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
    out.items = properties ? { properties } : {};
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
      return [name, nested ? { items: { properties: nested } } : listsOnly ? undefined : {}];
    })
    .filter((entry): entry is [string, Json] => entry[1] !== undefined)
    .slice(0, MAX_KEY_FIELDS);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** Names of a list tool's item fields (for `fields` projection), or undefined when the tool returns no `items`. */
export function isListTool(tool: AnyTool): boolean {
  return 'items' in tool.output;
}
