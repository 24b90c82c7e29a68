import type { SandboxResponse } from '../types.js';

/**
 * The service's 8-key envelope (reference §3.1). Clients recognise an envelope only when all 8 keys are present,
 * so errors use it too (reference §5 #1), with `errors` (field → message) added on 400.
 */
export interface Envelope {
  count: number;
  data: unknown;
  message: string;
  options: unknown[] | Record<string, unknown>;
  params: unknown[] | Record<string, unknown>;
  status: number;
  total: number;
  totalResults: number;
  errors?: Record<string, string>;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/** A handler's successful answer before it is wrapped. */
export interface Result {
  data: unknown;
  /** All matches before paging; defaults to 1 for single objects (reference §5 #3). */
  totalResults?: number;
  message?: string;
}

export function list(page: unknown[], totalResults: number): Result {
  return { data: page, totalResults };
}

export function single(data: unknown): Result {
  return { data };
}

export function okResponse(result: Result, params: Record<string, string>): SandboxResponse {
  const count = Array.isArray(result.data) ? result.data.length : 1;
  const totalResults = result.totalResults ?? count;
  const body: Envelope = {
    count,
    data: result.data,
    message: result.message ?? 'Ok',
    options: [],
    // PHP sends an empty array for "no params" and an object otherwise; keep that quirk.
    params: Object.keys(params).length > 0 ? params : [],
    status: 200,
    // `total` mirrors `totalResults` (the TS SDK treats them as one value; reference §5 #3).
    total: totalResults,
    totalResults,
  };
  return { status: 200, headers: JSON_HEADERS, body };
}

/** Thrown by handlers and validators; turned into an error envelope at the top. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (field: string, message: string): ApiError => new ApiError(400, message, { [field]: message });
export const notFound = (message: string): ApiError => new ApiError(404, message);

export function errorResponse(error: ApiError, params: Record<string, string> = {}): SandboxResponse {
  const body: Envelope = {
    count: 0,
    data: null,
    message: error.message,
    options: [],
    params: Object.keys(params).length > 0 ? params : [],
    status: error.status,
    total: 0,
    totalResults: 0,
  };
  if (error.status === 400) body.errors = error.errors ?? { request: error.message };
  return { status: error.status, headers: JSON_HEADERS, body };
}
