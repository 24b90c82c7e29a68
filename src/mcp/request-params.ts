import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';

/**
 * The SDK parses a request with its handler's schema and turns a mismatch into -32603 Internal error with the raw
 * zod dump (for tools/call, into -32602 with the dump). A handler registered with `lenient(schema)` instead gets
 * -32602 Invalid params with a sentence: the check throws the McpError from inside the SDK's parse, before any
 * wrapper of the SDK sees the request. The handler reads the request with `strictParams(schema, request)`.
 */
export function lenient<M extends string>(schema: z.ZodObject<{ method: z.ZodLiteral<M> }>) {
  let built = LENIENT.get(schema) as ReturnType<typeof buildLenient<M>> | undefined;
  if (!built) LENIENT.set(schema, (built = buildLenient(schema)));
  return built;
}

/** One lenient schema per request schema: stateless HTTP installs the handlers on a new server per request. */
const LENIENT = new WeakMap<z.ZodType, z.ZodType>();

function buildLenient<M extends string>(schema: z.ZodObject<{ method: z.ZodLiteral<M> }>) {
  return z
    .looseObject({ method: schema.shape.method, params: z.unknown().optional() })
    .superRefine((request) => void strictParams(schema, request));
}

export function strictParams<S extends z.ZodObject<{ method: z.ZodLiteral<string> }>>(schema: S, request: unknown): z.output<S> {
  const parsed = schema.safeParse(request);
  if (parsed.success) return parsed.data;
  const method = schema.shape.method.value;
  throw new McpError(ErrorCode.InvalidParams, `Invalid params for ${method}: ${readableIssues(parsed.error)}`);
}

/** `params.name: expected string, received undefined; params.arguments: expected object, received array`. */
export function readableIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      const what = issue.message.replace(/^Invalid input: /, '').replace(/expected record/, 'expected object');
      return `${where}${what}`;
    })
    .join('; ');
}
