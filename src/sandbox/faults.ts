import * as z from 'zod';
import type { SandboxResponse } from './types.js';

/**
 * Fault injection for the sandbox: make a route of one API (optionally for one tenant or site, matched on a
 * request header) slow, failing or broken, for the next N matching calls or a fraction of them. Used by tests and
 * by `customer-api-mcp sandbox --faults FILE`. The real upstreams fail in these ways; the sandbox can too.
 */
export const FaultRule = z
  .object({
    api: z.enum(['partssource', 'augur']).optional(),
    method: z.string().toUpperCase().optional(),
    /** Regular expression tested against the module-relative path, e.g. `^/customer/orders$`. */
    path: z.string().optional(),
    /** Header values the request must carry, e.g. `{"x-site-id": "acme-site"}` or an `x-api-key` (one tenant). */
    headers: z.record(z.string(), z.string()).optional(),
    /** Apply to the next N matching calls only (default: every matching call). */
    times: z.number().int().positive().optional(),
    /** Apply to this fraction of matching calls (default 1). */
    probability: z.number().min(0).max(1).optional(),
    /** Delay before the request is handled (or before the injected failure is sent). */
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    /** Answer with this status instead of handling the request. */
    status: z.number().int().min(100).max(599).optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
    /** Body of the injected answer (default: a JSON `{message}`). */
    body: z.enum(['json', 'html', 'malformed-json', 'truncated-json', 'empty', 'envelope-failure']).optional(),
    /** Destroy the connection without answering. */
    reset: z.boolean().optional(),
  })
  .strict();
export type FaultRule = z.input<typeof FaultRule>;

export const FaultFile = z.object({ faults: z.array(FaultRule) }).strict();

/** What the composition server does with one request. */
export type FaultDecision =
  | { kind: 'pass'; latencyMs: number }
  | { kind: 'respond'; latencyMs: number; response: SandboxResponse }
  | { kind: 'reset'; latencyMs: number };

interface ActiveRule {
  rule: z.output<typeof FaultRule>;
  pathPattern?: RegExp;
  remaining: number;
}

export interface FaultRequest {
  api: 'partssource' | 'augur';
  method: string;
  path: string;
  headers: Record<string, string>;
}

export class FaultInjector {
  #rules: ActiveRule[] = [];

  constructor(rules: FaultRule[] = []) {
    rules.forEach((rule) => this.add(rule));
  }

  add(rule: FaultRule): void {
    const parsed = FaultRule.parse(rule);
    this.#rules.push({
      rule: parsed,
      ...(parsed.path ? { pathPattern: new RegExp(parsed.path) } : {}),
      remaining: parsed.times ?? Number.POSITIVE_INFINITY,
    });
  }

  clear(): void {
    this.#rules = [];
  }

  get rules(): ReadonlyArray<z.output<typeof FaultRule>> {
    return this.#rules.map((r) => r.rule);
  }

  /** The first rule that matches (and still has calls left) decides; others are not consumed. */
  decide(request: FaultRequest): FaultDecision {
    for (const active of this.#rules) {
      const { rule } = active;
      if (active.remaining <= 0) continue;
      if (rule.api && rule.api !== request.api) continue;
      if (rule.method && rule.method !== request.method.toUpperCase()) continue;
      if (active.pathPattern && !active.pathPattern.test(request.path)) continue;
      if (rule.headers && !Object.entries(rule.headers).every(([k, v]) => request.headers[k.toLowerCase()] === v)) continue;
      if (rule.probability !== undefined && Math.random() >= rule.probability) continue;
      active.remaining--;
      const latencyMs = rule.latencyMs ?? 0;
      if (rule.reset) return { kind: 'reset', latencyMs };
      if (rule.status === undefined && rule.body === undefined) return { kind: 'pass', latencyMs };
      return { kind: 'respond', latencyMs, response: injectedResponse(rule) };
    }
    return { kind: 'pass', latencyMs: 0 };
  }
}

function injectedResponse(rule: z.output<typeof FaultRule>): SandboxResponse {
  const status = rule.status ?? 200;
  const headers: Record<string, string> = {};
  if (rule.retryAfterSeconds !== undefined) headers['retry-after'] = String(rule.retryAfterSeconds);
  switch (rule.body ?? 'json') {
    case 'html':
      return {
        status,
        headers: { ...headers, 'content-type': 'text/html' },
        body: `<html><head><title>${status} Gateway Error</title></head><body><h1>${status}</h1>injected by the sandbox</body></html>`,
      };
    case 'malformed-json':
      return { status, headers: { ...headers, 'content-type': 'application/json' }, body: '{"success": true, "data": {"items": [' };
    case 'truncated-json':
      return { status, headers: { ...headers, 'content-type': 'application/json' }, body: '{"success":true,"data":{"contactId":123' };
    case 'empty':
      return { status, headers };
    case 'envelope-failure':
      return {
        status,
        headers,
        body: { success: false, data: null, errors: ['injected failure'], correlationId: 'injected', timestamp: new Date().toISOString() },
      };
    case 'json':
      return { status, headers, body: { message: `injected fault (HTTP ${status})` } };
  }
}
