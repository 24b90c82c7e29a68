import {
  InitializeRequestSchema,
  JSONRPCErrorResponseSchema,
  JSONRPCNotificationSchema,
  JSONRPCRequestSchema,
  JSONRPCResultResponseSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { readableIssues } from '../mcp/request-params.js';

/** A body the server answers itself, before the SDK (which would call all of these -32700 Parse error). */
export interface Refusal {
  code: number;
  message: string;
  /** The request's id when it carried a usable one; otherwise the error has no id (MCP 2025-11-25 schema). */
  id?: string | number;
}

const INVALID_REQUEST = -32600;
const INVALID_PARAMS = -32602;

/**
 * Checks a parsed POST body the way JSON-RPC 2.0 and MCP read it: valid JSON that is not a JSON-RPC message is
 * -32600 Invalid Request (not -32700, which is for JSON that does not parse), and an initialize without usable
 * params is -32602 Invalid params. Batches (arrays) are another module's concern; each element is checked here.
 */
export function refuseInvalidMessage(body: unknown): Refusal | undefined {
  for (const message of Array.isArray(body) ? body : [body]) {
    const refusal = refuseOne(message);
    if (refusal) return refusal;
  }
  return undefined;
}

function refuseOne(message: unknown): Refusal | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return invalid(`a JSON-RPC message is a JSON object, not ${describe(message)}`);
  }
  const fields = message as Record<string, unknown>;
  const idProblem = 'id' in fields ? problemWithId(fields.id) : undefined;
  if (idProblem) return invalid(idProblem);
  const id = fields.id as string | number | undefined;
  if (fields.jsonrpc !== '2.0') return invalid('"jsonrpc" must be "2.0"', id);
  if ('method' in fields) {
    if (typeof fields.method !== 'string') return invalid('"method" must be a string', id);
  } else if (!('result' in fields) && !('error' in fields)) {
    return invalid('a message has "method" (a request or notification) or "result"/"error" (a response)', id);
  }
  if (fields.method === 'initialize' && id !== undefined) {
    const initialize = InitializeRequestSchema.safeParse(message);
    if (!initialize.success) {
      return {
        code: INVALID_PARAMS,
        message:
          'Invalid params: initialize needs params {protocolVersion, capabilities, clientInfo: {name, version}}; ' +
          readableIssues(initialize.error as z.ZodError),
        id,
      };
    }
  }
  // The one shape the message claims to be, so that the issues name its fields (a union's say only "Invalid input").
  const shape =
    'method' in fields
      ? id !== undefined ? JSONRPCRequestSchema : JSONRPCNotificationSchema
      : 'result' in fields ? JSONRPCResultResponseSchema : JSONRPCErrorResponseSchema;
  const parsed = shape.safeParse(message);
  if (!parsed.success) return invalid(readableIssues(parsed.error as z.ZodError), id);
  return undefined;
}

/**
 * JSON-RPC ids are strings or numbers, MCP's are strings or integers. An integer beyond ±(2^53−1) has already lost
 * digits in JSON.parse, so echoing it would answer another id (and two such ids can collide): refused, with the way out.
 */
function problemWithId(id: unknown): string | undefined {
  if (typeof id === 'string') return undefined;
  if (typeof id === 'number' && Number.isInteger(id)) {
    return Number.isSafeInteger(id)
      ? undefined
      : 'the numeric "id" is beyond ±(2^53−1), where JSON numbers lose digits, so it could not be answered exactly; use a string id or a smaller integer';
  }
  return `"id" must be a string or an integer, not ${describe(id)}`;
}

function invalid(reason: string, id?: string | number): Refusal {
  return { code: INVALID_REQUEST, message: `Invalid Request: ${reason}`, ...(id !== undefined ? { id } : {}) };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isInteger(value)) return `the fraction ${value}`;
  return typeof value === 'object' ? 'an object' : `the ${typeof value} ${JSON.stringify(value)}`;
}
