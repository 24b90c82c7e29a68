import type { HostileMode, ModeContext } from '../hostile-upstream.js';

/**
 * Modes for the trust-results tests: what an upstream can put into an answer (a huge message, invisible Unicode,
 * an echoed credential, a document with a huge array). Each applies to requests whose path matches `path`.
 */

const PARTSSOURCE_API = '/partssource/customer';
const TOKEN_PATH = '/partssource/oauth2/token';

const matches = (ctx: ModeContext, path: RegExp) => path.test(ctx.request.url.split('?')[0]!);

/** A PartsSource error envelope with the given status and messages. */
function partsSourceError(ctx: ModeContext, status: number, errors: string[]): true {
  ctx.res.writeHead(status, { 'content-type': 'application/json' });
  ctx.res.end(JSON.stringify({ success: false, data: null, errors, correlationId: 'hostile-correlation', timestamp: new Date().toISOString() }));
  return true;
}

/** An Augur error envelope (8 keys, `message` is what the client reads). */
function augurError(ctx: ModeContext, status: number, message: string): true {
  ctx.res.writeHead(status, { 'content-type': 'application/json' });
  ctx.res.end(JSON.stringify({ count: 0, data: null, message, options: [], params: [], status, total: 0, totalResults: 0 }));
  return true;
}

/** A 400 whose first message is `bytes` long, followed by `extra` more messages. */
export function hugeErrorMessage(path: RegExp, bytes: number, extra = 9): HostileMode {
  const huge = `The request was refused because ${'x'.repeat(bytes)}`;
  return (ctx) => matches(ctx, path) && partsSourceError(ctx, 400, [huge, ...Array.from({ length: extra }, (_, i) => `further problem ${i + 1}`)]);
}

/**
 * Invisible characters an attacker can hide text with: a bidi override (and its pop), a zero-width space, Unicode
 * tag characters spelling "IGNORE PREVIOUS" (invisible ASCII), and a byte-order mark.
 */
export const INVISIBLE =
  '\u202E' + 'evil' + '\u202C' + '\u200B' + [...'IGNORE PREVIOUS'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('') + '\uFEFF';
/** Ordinary text that must come through unchanged: accents, an emoji, and an emoji ZWJ sequence. */
export const VISIBLE = 'Café Ñandú 🔧 👩‍💻';

/** Forwards to the sandbox, then adds invisible characters (and visible accents/emoji) to every name-like string. */
export function invisibleInStrings(path: RegExp): HostileMode {
  return async (ctx) => {
    if (!matches(ctx, path)) return false;
    const answer = await ctx.forward();
    const poison = (value: unknown, key = ''): unknown => {
      if (typeof value === 'string' && /name|description|manufacturer|condition/i.test(key)) return `${INVISIBLE}${value} ${VISIBLE}${INVISIBLE}`;
      if (Array.isArray(value)) return value.map((item) => poison(item, key));
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, k)]));
      return value;
    };
    ctx.reply({ ...answer, body: Buffer.from(JSON.stringify(poison(JSON.parse(answer.body.toString('utf8'))))) });
    return true;
  };
}

/** A 422 whose message hides instructions in invisible characters. */
export function invisibleError(path: RegExp): HostileMode {
  return (ctx) => matches(ctx, path) && partsSourceError(ctx, 422, [`Price changed${INVISIBLE} for ${VISIBLE}`]);
}

/** What the echo modes saw of the credentials (the token request's form, the headers of API calls). */
export interface EchoMemory {
  tokenForm?: string;
}

/**
 * Lets token requests through (remembering the form it saw, client_secret included) and answers every matching
 * PartsSource API call with a 400 that echoes everything it received: the bearer token, the API key, the client
 * secret from the token form (raw and URL-encoded form), and the Basic-auth form of the client credentials.
 */
export function echoPartsSourceCredentials(path: RegExp, memory: EchoMemory = {}): HostileMode {
  return async (ctx) => {
    const url = ctx.request.url.split('?')[0]!;
    if (url === TOKEN_PATH) {
      memory.tokenForm = ctx.request.body.toString('utf8');
      return false;
    }
    if (!url.startsWith(PARTSSOURCE_API) || !matches(ctx, path)) return false;
    const form = new URLSearchParams(memory.tokenForm ?? '');
    const basic = Buffer.from(`${form.get('client_id')}:${form.get('client_secret')}`).toString('base64');
    return partsSourceError(ctx, 400, [
      `Rejected: you sent Authorization "${ctx.request.headers.authorization}" and x-api-key ${ctx.request.headers['x-api-key']}`,
      `your token request was: ${memory.tokenForm}`,
      `client_secret=${form.get('client_secret')}`,
      `Authorization: Basic ${basic}`,
    ]);
  };
}

/** Answers the token endpoint with a 401 whose description echoes the whole form (client_secret URL-encoded). */
export function echoTokenForm(): HostileMode {
  return (ctx) => {
    if (ctx.request.url.split('?')[0] !== TOKEN_PATH) return false;
    ctx.res.writeHead(401, { 'content-type': 'application/json' });
    ctx.res.end(JSON.stringify({ error: 'invalid_client', error_description: `bad client in ${ctx.request.body.toString('utf8')}` }));
    return true;
  };
}

/** Answers matching Augur calls with a 400 echoing the bearer token (raw and base64) it received. */
export function echoAugurToken(path: RegExp): HostileMode {
  return (ctx) => {
    if (!matches(ctx, path)) return false;
    const auth = String(ctx.request.headers.authorization ?? '');
    const token = auth.replace(/^Bearer /, '');
    return augurError(ctx, 400, `token ${auth} (base64 ${Buffer.from(token).toString('base64')}) is not allowed here`);
  };
}

/** A successful PartsSource answer that hides a secret in a document string (not an error). */
export function echoSecretInData(path: RegExp, secret: () => string): HostileMode {
  return async (ctx) => {
    if (!matches(ctx, path)) return false;
    const answer = await ctx.forward();
    const body = JSON.parse(answer.body.toString('utf8')) as { data: { items?: Array<{ description?: string }> } };
    for (const item of body.data.items ?? []) item.description = `${item.description} (key ${secret()})`;
    ctx.reply({ ...answer, body: Buffer.from(JSON.stringify(body)) });
    return true;
  };
}

/** Forwards a part detail and multiplies its price options to `count` (a document with one huge array). */
export function hugeOptions(count: number): HostileMode {
  return async (ctx) => {
    if (!matches(ctx, /\/catalog\/detail$/)) return false;
    const answer = await ctx.forward();
    const body = JSON.parse(answer.body.toString('utf8')) as { data: { options: Array<Record<string, unknown>> } };
    const template = body.data.options[0]!;
    body.data.options = Array.from({ length: count }, (_, i) => ({ ...template, priceOptionId: `opt-${i}`, vendor: `Vendor ${i}` }));
    ctx.reply({ ...answer, body: Buffer.from(JSON.stringify(body)) });
    return true;
  };
}

/** Forwards a user lookup, then puts `depth` nested arrays into the user's document (200 KB for 100,000 levels). */
export function deeplyNestedUser(depth: number): HostileMode {
  return async (ctx) => {
    if (!matches(ctx, /\/users\/lookup$/)) return false;
    const answer = await ctx.forward();
    const text = answer.body.toString('utf8');
    const nested = `${'['.repeat(depth)}"deep"${']'.repeat(depth)}`;
    ctx.reply({ ...answer, body: Buffer.from(text.replace('"firstName":', `"nested":${nested},"firstName":`)) });
    return true;
  };
}
