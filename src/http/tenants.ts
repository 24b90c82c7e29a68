import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { ConfigError, MIN_API_KEY_LENGTH, type AppConfig, type EndpointDefaults } from '../config.js';
import { OPTIONS } from '../config/options.js';
import { SANDBOX_TENANT_NAMES, sandboxUpstreams, type ClientLimits, type SandboxEndpoints, type SandboxTenantName } from '../sandbox-tenants.js';
import type { TenantUpstreams } from '../tenant-runtime.js';
import { unknownNames, type ToolSelection } from '../mcp/tool-selection.js';
import { isWeakKeyDigest } from './weak-keys.js';

/**
 * One tenant of the HTTP server, resolved: the SHA-256 digests of its API keys (the keys themselves are not kept)
 * and its upstream credentials. Built from a tenants file, from the environment (one tenant), or the sandbox.
 */
export interface TenantSpec extends TenantUpstreams {
  name: string;
  keyDigests: Buffer[];
  /** Overrides the server-wide per-tenant concurrency limit. */
  maxConcurrency?: number;
  /** Narrows the server's tool selection for this tenant (never widens it). */
  selection?: ToolSelection;
}

/** The API keys of the built-in sandbox tenants (demo values: they open only the local sandbox). */
export const SANDBOX_API_KEYS = { acme: 'sandbox-acme', globex: 'sandbox-globex' } as const;

export const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

// --- the tenants file ---------------------------------------------------------------------------------------

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const EnvRef = z.object({ env: z.string().regex(VARIABLE, 'must be an environment variable name') }).strict();

/** A credential: the value itself, or `{"env": "VARIABLE"}` read from the environment at start. */
const Secret = z.union([z.string().min(1), EnvRef], { error: 'must be a non-empty string or {"env": "VARIABLE_NAME"}' });

const Key = z
  .object({
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be the 64 hex digits of the SHA-256 of the key (`customer-api-mcp new-key` makes a key and prints its digest)')
      .optional(),
    env: z.string().regex(VARIABLE, 'must be an environment variable name').optional(),
  })
  .strict()
  .refine((key) => (key.sha256 === undefined) !== (key.env === undefined), {
    error: 'a key is either {"sha256": "<hex>"} or {"env": "VARIABLE_NAME"}',
  });

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const TenantEntry = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_" or "-"'),
    keys: z.array(Key).min(1, 'needs at least one key'),
    partssource: z
      .object({
        clientId: Secret,
        clientSecret: Secret,
        apiKey: Secret,
        baseUrl: httpUrl.optional(),
        tokenUrl: httpUrl.optional(),
        scope: Secret.optional(),
      })
      .strict()
      .optional(),
    augur: z.object({ token: Secret, siteId: Secret, baseUrl: httpUrl.optional() }).strict().optional(),
    /** With --sandbox: this tenant uses the embedded sandbox's tenant of that name (its demo credentials). */
    sandbox: z.enum(SANDBOX_TENANT_NAMES, { error: 'must be "acme" or "globex", a tenant of the embedded sandbox' }).optional(),
    maxConcurrency: z.number().int().min(OPTIONS.maxConcurrency.min).max(OPTIONS.maxConcurrency.max).optional(),
    toolsets: z.array(z.string().min(1)).optional(),
    tools: z.array(z.string().min(1)).optional(),
    excludeTools: z.array(z.string().min(1)).optional(),
    readOnly: z.boolean().optional(),
  })
  .strict()
  .refine((t) => t.partssource !== undefined || t.augur !== undefined || t.sandbox !== undefined, {
    error: 'a tenant needs "partssource" and/or "augur" credentials (or, with --sandbox, "sandbox": "acme" or "globex")',
  })
  .refine((t) => t.sandbox === undefined || (t.partssource === undefined && t.augur === undefined), {
    error: 'a tenant with "sandbox" takes its credentials from the sandbox: leave out "partssource" and "augur"',
  });

export const TenantsFile = z
  .object({ tenants: z.array(TenantEntry).min(1, 'needs at least one tenant') })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.tenants.forEach((tenant, index) => {
      if (seen.has(tenant.name)) ctx.addIssue({ code: 'custom', path: ['tenants', index, 'name'], message: `duplicate tenant name "${tenant.name}"` });
      seen.add(tenant.name);
    });
  });
export type TenantsFile = z.infer<typeof TenantsFile>;

/** `tenants[0].keys[1].sha256` from a zod path. */
function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '');
}

/**
 * Reads, validates and resolves a tenants file. Errors name the file and the field, never a value. `sandbox` (the
 * in-process sandbox of --sandbox) is what tenants with `"sandbox": "acme"` use; with it, every tenant must be one.
 */
export function loadTenantsFile(path: string, env: NodeJS.ProcessEnv, defaults: EndpointDefaults, sandbox?: SandboxEndpoints): TenantSpec[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the tenants file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`the tenants file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return resolveTenants(json, env, defaults, path, sandbox);
}

/** Validates a parsed tenants document and reads its environment references. */
export function resolveTenants(
  json: unknown,
  env: NodeJS.ProcessEnv,
  defaults: EndpointDefaults,
  source = 'tenants file',
  sandbox?: SandboxEndpoints,
): TenantSpec[] {
  const parsed = TenantsFile.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${fieldPath(issue.path) || '(top level)'}: ${issue.message}`);
    throw new ConfigError(`invalid ${source}: ${issues.join('; ')}`);
  }
  const read: ReadSecret = (value, field) => {
    if (typeof value === 'string') return value;
    const found = env[value.env];
    if (found === undefined || found === '') throw new ConfigError(`${source}: ${field} refers to ${value.env}, which is not set`);
    return found;
  };
  const tenants = parsed.data.tenants.map((entry, index) => resolveEntry(entry, { at: `tenants[${index}]`, source, read, defaults, sandbox }));
  assertUniqueKeys(tenants, source);
  return tenants;
}

type TenantEntry = TenantsFile['tenants'][number];
/** A credential's value: the string itself, or the environment variable it names (which must be set). */
type ReadSecret = (value: string | { env: string }, field: string) => string;

/** Where an entry is (`tenants[2]`, in which file) and what it is resolved with. */
interface EntryContext {
  at: string;
  source: string;
  read: ReadSecret;
  defaults: EndpointDefaults;
  sandbox: SandboxEndpoints | undefined;
}

function resolveEntry(entry: TenantEntry, ctx: EntryContext): TenantSpec {
  const keyDigests = entry.keys.map((key, k) => keyDigest(key, `${ctx.at}.keys[${k}]`, entry.name, ctx));
  assertSandboxUse(entry, ctx);
  const selection = selectionOf(entry, ctx);
  const common = {
    name: entry.name,
    keyDigests,
    ...(entry.maxConcurrency ? { maxConcurrency: entry.maxConcurrency } : {}),
    ...(selection ? { selection } : {}),
  };
  const limits = { timeoutMs: ctx.defaults.timeoutMs, ...(ctx.defaults.maxResponseBytes ? { maxResponseBytes: ctx.defaults.maxResponseBytes } : {}) };
  if (entry.sandbox !== undefined) return { ...common, ...sandboxUpstreams(ctx.sandbox!, entry.sandbox, limits) };
  return { ...common, ...upstreamsOf(entry, ctx, limits) };
}

/** The SHA-256 digest of one key entry: given as hex, or of the key in the environment variable it names. */
function keyDigest(key: TenantEntry['keys'][number], at: string, tenant: string, ctx: EntryContext): Buffer {
  let digest: Buffer;
  if (key.sha256 !== undefined) {
    digest = Buffer.from(key.sha256, 'hex');
  } else {
    const value = ctx.read({ env: key.env! }, `${at}.env`);
    if (value.length < MIN_API_KEY_LENGTH || /\s/.test(value)) {
      throw new ConfigError(`${ctx.source}: ${at}: ${key.env} must be at least ${MIN_API_KEY_LENGTH} characters without spaces`);
    }
    digest = sha256(value);
  }
  if (isWeakKeyDigest(digest.toString('hex'))) {
    throw new ConfigError(
      `${ctx.source}: ${at} (tenant "${tenant}") is a well-known weak key (e.g. "test" or a README example): ` +
        'anyone could guess it. Make a new one with `customer-api-mcp new-key` and use the digest it prints.',
    );
  }
  return digest;
}

/** With --sandbox every tenant names a sandbox tenant; without it none may. */
function assertSandboxUse(entry: TenantEntry, ctx: EntryContext): void {
  if (entry.sandbox !== undefined && !ctx.sandbox) {
    throw new ConfigError(`${ctx.source}: ${ctx.at}.sandbox (tenant "${entry.name}") names a sandbox tenant: start the server with --sandbox`);
  }
  if (ctx.sandbox && entry.sandbox === undefined) {
    throw new ConfigError(
      `${ctx.source}: ${ctx.at} (tenant "${entry.name}"): with --sandbox every tenant uses the embedded sandbox; give it "sandbox": "acme" or "globex" instead of credentials`,
    );
  }
}

/** The tenant's narrowing of the tool selection, if it has one; unknown toolsets or tools are an error. */
function selectionOf(entry: TenantEntry, ctx: EntryContext): ToolSelection | undefined {
  const selection: ToolSelection = {
    ...(entry.toolsets ? { toolsets: entry.toolsets } : {}),
    ...(entry.tools ? { tools: entry.tools } : {}),
    ...(entry.excludeTools ? { excludeTools: entry.excludeTools } : {}),
    ...(entry.readOnly ? { readOnly: true } : {}),
  };
  const unknown = unknownNames(selection);
  if (unknown.length > 0) throw new ConfigError(`${ctx.source}: ${ctx.at}: unknown ${unknown.join(', ')}`);
  return Object.keys(selection).length > 0 ? selection : undefined;
}

/** The entry's own upstream credentials, completed with the default endpoints. */
function upstreamsOf(entry: TenantEntry, ctx: EntryContext, limits: ClientLimits): TenantUpstreams {
  const { at, read, defaults } = ctx;
  const ps = entry.partssource;
  const augur = entry.augur;
  const scope = ps?.scope !== undefined ? read(ps.scope, `${at}.partssource.scope`) : defaults.partssourceScope;
  return {
    ...(ps
      ? {
          partssource: {
            baseUrl: ps.baseUrl ?? defaults.partssourceBaseUrl,
            tokenUrl: ps.tokenUrl ?? defaults.partssourceTokenUrl,
            clientId: read(ps.clientId, `${at}.partssource.clientId`),
            clientSecret: read(ps.clientSecret, `${at}.partssource.clientSecret`),
            apiKey: read(ps.apiKey, `${at}.partssource.apiKey`),
            ...(scope ? { scope } : {}),
            ...limits,
            credentialsLabel: `tenant "${entry.name}" in the tenants file (partssource.clientId / clientSecret / scope / apiKey)`,
          },
        }
      : {}),
    ...(augur
      ? {
          augur: {
            baseUrl: augur.baseUrl ?? defaults.augurBaseUrl,
            token: read(augur.token, `${at}.augur.token`),
            siteId: read(augur.siteId, `${at}.augur.siteId`),
            ...limits,
            credentialsLabel: `tenant "${entry.name}" in the tenants file (augur.token)`,
          },
        }
      : {}),
  };
}

/** One key must open exactly one tenant. */
function assertUniqueKeys(tenants: TenantSpec[], source: string): void {
  const owner = new Map<string, string>();
  for (const tenant of tenants) {
    for (const digest of tenant.keyDigests) {
      const hex = digest.toString('hex');
      const previous = owner.get(hex);
      if (previous !== undefined && previous !== tenant.name) {
        throw new ConfigError(`${source}: tenants "${previous}" and "${tenant.name}" share an API key; every key must belong to one tenant`);
      }
      owner.set(hex, tenant.name);
    }
  }
}

// --- the other two sources ------------------------------------------------------------------------------------

/** Without a tenants file: one tenant, `default`, with the credentials of the environment and MCP_HTTP_API_KEY. */
export function environmentTenant(config: AppConfig, apiKey: string): TenantSpec {
  return {
    name: 'default',
    keyDigests: [sha256(apiKey)],
    ...(config.partssource ? { partssource: config.partssource } : {}),
    ...(config.augur ? { augur: config.augur } : {}),
  };
}

/**
 * The built-in sandbox tenants: key `sandbox-acme` opens PartsSource tenant acme and Augur site acme, key
 * `sandbox-globex` globex and its site, all against the given (in-process) sandbox. `extraAcmeKey`
 * (MCP_HTTP_API_KEY in sandbox mode) also opens acme.
 */
export function sandboxTenants(sandbox: SandboxEndpoints, options: { timeoutMs?: number; maxResponseBytes?: number; extraAcmeKey?: string } = {}): TenantSpec[] {
  const limits = { timeoutMs: options.timeoutMs ?? OPTIONS.httpTimeoutMs.default, ...(options.maxResponseBytes ? { maxResponseBytes: options.maxResponseBytes } : {}) };
  const tenant = (name: SandboxTenantName, extraKeys: string[] = []): TenantSpec => ({
    name,
    keyDigests: [SANDBOX_API_KEYS[name], ...extraKeys].map(sha256),
    ...sandboxUpstreams(sandbox, name, limits),
  });
  return [tenant('acme', options.extraAcmeKey ? [options.extraAcmeKey] : []), tenant('globex')];
}
