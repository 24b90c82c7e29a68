import type { ServerResponse } from 'node:http';
import type { HttpContext } from '../context.js';
import { rpcError } from '../responses.js';
import type { Caller } from '../tenant-directory.js';
import { callerFields } from './authenticate.js';
import { bearerChallenge } from './metadata.js';
import { missingScopes } from './scopes.js';

/**
 * A tools/call the caller's token has no scope for: HTTP 403 with `error="insufficient_scope"` and every scope the
 * request needs (MCP step-up authorization), before the tool runs. True when the refusal was sent.
 */
export function refuseMissingScopes(ctx: HttpContext, res: ServerResponse, caller: Caller, body: unknown): boolean {
  if (!ctx.oauth || !caller.principal) return false;
  const missing = missingScopes(body, caller.principal.scopes, ctx.oauth.names);
  if (!missing) return false;
  const description = `the access token lacks the scope for ${missing.tools.join(', ')}`;
  caller.tenant.log.warn({ ...callerFields(caller.principal), tools: missing.tools, needed: missing.needed }, 'OAuth: tool call refused with 403 insufficient_scope');
  const challenge = bearerChallenge(ctx.oauth.config, { error: 'insufficient_scope', description, scope: missing.needed });
  rpcError(res, 403, -32001, `Forbidden: ${description}; ask the authorization server for the scopes ${missing.needed.join(' ')}`, { 'www-authenticate': challenge });
  return true;
}
