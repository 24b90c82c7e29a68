import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  LoggingLevelSchema,
  McpError,
  SetLevelRequestSchema,
  type CallToolRequest,
  type CallToolResult,
  type ServerNotification,
  type ServerRequest,
  type LoggingLevel,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { createCallLog, DEFAULT_CLIENT_LOG_LEVEL } from './mcp/client-logging.js';
import {
  ConfirmationError,
  ConfirmationTokens,
  DEFAULT_CONFIRMATION_TTL_MS,
  summarizeWrite,
  type ConfirmWrites,
} from './mcp/confirmation.js';
import { holdDeadline, type HeldDeadline } from './deadline.js';
import type { Logger } from './logger.js';
import type { TenantState } from './state/tenant.js';
import { serverInstructions } from './mcp/instructions.js';
import { registerPrompts } from './mcp/prompts.js';
import { lenient, strictParams } from './mcp/request-params.js';
import { cleanDeep } from './text-safety.js';
import { DEFAULT_MAX_RESULT_BYTES, capDocument, capItems, parseStringifiedArguments, projectItems } from './mcp/budget.js';
import type { AnyTool, ToolAnnotations, UpstreamClients } from './tools/define.js';
import { describeError, errorCorrelationId, errorIdempotencyKey, upstreamWords } from './mcp/error-results.js';
import { ALL_TOOLS } from './tools/index.js';
import { inputJsonSchema, isListTool, outputJsonSchema } from './mcp/schema.js';
import { assertKnown, isWriteTool, offeredTools, type ToolSelection } from './mcp/tool-selection.js';
import { VERSION } from './version.js';

export interface ServerOptions {
  clients: UpstreamClients;
  log: Logger;
  /** Tools to consider (default: all); a tool whose upstream is not configured is never offered. */
  tools?: readonly AnyTool[];
  /** Offer admin tools (the Augur refresh triggers). Off by default. */
  enableAdmin?: boolean;
  /** A tool call's own deadline in ms (default 30 s): no retry or Retry-After wait goes past it. */
  toolTimeoutMs?: number;
  /** Toolsets to offer (`partssource`, `augur.tags`, ...; default all); see src/mcp/tool-selection.ts. */
  toolsets?: readonly string[];
  /** Individual tools to offer (added to toolsets; alone, the whole selection). */
  toolNames?: readonly string[];
  /** Tools never offered. */
  excludeTools?: readonly string[];
  /** Offer no write tool. */
  readOnly?: boolean;
  /** Further selections that can only remove tools (HTTP: the tenant's, then the session's). */
  narrow?: ReadonlyArray<ToolSelection | undefined>;
  /**
   * Largest result in bytes of JSON (default 50 000; 0: no cap): a list drops whole items from the end, a document
   * has its longest arrays (then strings) cut, with `truncated` and `truncatedFields` saying what was cut.
   */
  maxResultBytes?: number;
  /** How writes are confirmed (default `auto`); see src/mcp/confirmation.ts. */
  confirmWrites?: ConfirmWrites;
  /** Key of confirmation tokens (default: random per server). HTTP mode passes one per tenant. */
  confirmationSecret?: Buffer;
  /** The state seam: where used confirmation tokens are remembered (default: this server's memory). */
  state?: TenantState;
  /** Lifetime of a confirmation token (default 5 min). */
  confirmationTtlMs?: number;
  /** Clock of confirmation tokens (tests). */
  now?: () => number;
  /** How long a human may take to answer an elicitation (default 10 min). */
  elicitationTimeoutMs?: number;
  /** Cancels every call in flight (stdio shutdown after its grace); each still sends its error result. */
  stop?: AbortSignal;
}

export const DEFAULT_TOOL_TIMEOUT_MS = 30_000;
const DEFAULT_ELICITATION_TIMEOUT_MS = 10 * 60_000;

/**
 * One JSON-schema validator (it checks elicitation answers) for every McpServer, built on first use: stateless HTTP
 * builds a server per request, and a new Ajv per server was 12 % of the CPU there (BENCHMARKS.md).
 */
let ajv: AjvJsonSchemaValidator | undefined;
const sharedValidator: jsonSchemaValidator = {
  getValidator: (schema) => (ajv ??= new AjvJsonSchemaValidator()).getValidator(schema),
};

/** logging/setLevel with any level string, so that an unknown one gets a helpful InvalidParams error. */
const AnyLevelRequestSchema = SetLevelRequestSchema.extend({ params: SetLevelRequestSchema.shape.params.extend({ level: z.string() }) });

const Fields = z.array(z.string().min(1).max(100)).min(1).max(100);

/**
 * Builds one MCP server over the given upstream clients. Tools are served through one boundary that gives every
 * call a correlation id, validates arguments before any request, and turns every failure into an `isError` result.
 */
export function createMcpServer(options: ServerOptions): McpServer {
  const selection: ToolSelection = {
    ...(options.toolsets ? { toolsets: options.toolsets } : {}),
    ...(options.toolNames ? { tools: options.toolNames } : {}),
    ...(options.excludeTools ? { excludeTools: options.excludeTools } : {}),
    ...(options.readOnly ? { readOnly: true } : {}),
  };
  for (const s of [selection, ...(options.narrow ?? [])]) if (s) assertKnown(s);
  const tools = offeredTools(options.tools ?? ALL_TOOLS, {
    upstreams: options.clients,
    ...(options.enableAdmin !== undefined ? { enableAdmin: options.enableAdmin } : {}),
    selections: [selection, ...(options.narrow ?? [])],
  });
  const confirmWrites = options.confirmWrites ?? 'auto';
  const tokens = new ConfirmationTokens(
    options.confirmationSecret,
    options.confirmationTtlMs ?? DEFAULT_CONFIRMATION_TTL_MS,
    options.now,
    options.state,
  );
  const maxResultBytes = options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const listed = tools.map((tool) => listedTool(tool, confirmWrites === 'always' && isWriteTool(tool)));

  const mcp = new McpServer(
    { name: 'customer-api-mcp', version: VERSION, title: 'Customer API MCP (PartsSource + Augur)' },
    { capabilities: { tools: { listChanged: false }, logging: {} }, instructions: serverInstructions(tools), jsonSchemaValidator: sharedValidator },
  );
  registerPrompts(mcp, new Set(byName.keys()));
  // The client's log threshold lives as long as this server: one stdio connection or one HTTP session (a stateless
  // request builds a server of its own, so there the default applies). Our handler instead of the SDK's, which
  // keeps the level for sendLoggingMessage only and accepts an unknown level silently.
  let clientLogLevel: LoggingLevel = DEFAULT_CLIENT_LOG_LEVEL;
  mcp.server.setRequestHandler(lenient(AnyLevelRequestSchema), (raw) => {
    const request = strictParams(AnyLevelRequestSchema, raw);
    const level = LoggingLevelSchema.safeParse(request.params.level);
    if (!level.success) {
      throw new McpError(ErrorCode.InvalidParams, `Unknown log level ${JSON.stringify(request.params.level)}; use one of ${LoggingLevelSchema.options.join(', ')}`);
    }
    clientLogLevel = level.data;
    return {};
  });
  // Our own tools/list and tools/call (instead of McpServer.registerTool) so that an argument error, too, is a
  // result with a correlationId and a machine-readable code, not the SDK's bare validation message.
  mcp.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));
  // Every result leaves through one function: no format character and no known credential in it (text-safety.ts).
  // Params are checked first: -32602 with a sentence, not the SDK's -32603 zod dump.
  mcp.server.setRequestHandler(lenient(CallToolRequestSchema), async (raw, extra): Promise<CallToolResult> =>
    cleanDeep(await callTool(strictParams(CallToolRequestSchema, raw), extra)),
  );

  async function callTool(
    request: CallToolRequest,
    extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
  ): Promise<CallToolResult> {
    const tool = byName.get(request.params.name);
    if (!tool) {
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool ${request.params.name}; call tools/list for the tools offered`);
    }
    const correlationId = randomUUID();
    const log = options.log.child({ tool: tool.name, correlationId });
    const callLog = createCallLog({ correlationId, log, threshold: () => clientLogLevel, send: (n) => extra.sendNotification(n) });
    const started = performance.now();
    const list = isListTool(tool);
    const write = isWriteTool(tool) && confirmWrites !== 'never';
    const progressToken = extra._meta?.progressToken;
    const progress = async (done: number, message: string) => {
      if (progressToken === undefined) return;
      await extra
        .sendNotification({ method: 'notifications/progress', params: { progressToken, progress: done, total: 1, message } })
        .catch(() => {});
    };
    let callDeadline: HeldDeadline | undefined;
    try {
      // Validation first: nothing is asked of the human or sent upstream for arguments that are wrong.
      const raw = { ...parseStringifiedArguments(request.params.arguments ?? {}, listedTool(tool, false).inputSchema) };
      let fields: string[] | undefined;
      if (list && raw.fields !== undefined) {
        fields = z.object({ fields: Fields }).parse({ fields: raw.fields }).fields;
        delete raw.fields;
      }
      let confirmationToken: unknown;
      if (write && confirmWrites === 'always' && raw.confirmationToken !== undefined) {
        confirmationToken = raw.confirmationToken;
        delete raw.confirmationToken;
      }
      const args = tool.input.parse(raw);

      if (write) {
        const preview = await confirm(tool, args as Record<string, unknown>, confirmationToken, extra.requestId);
        if (preview) {
          const structuredContent = { ...preview, correlationId };
          log.info('write previewed; waiting for the confirmation token');
          return { content: [{ type: 'text', text: JSON.stringify(structuredContent) }], structuredContent };
        }
      }

      // One deadline for the whole call (token, attempts, waits, body reads), held until the call ends.
      const timeoutMs = options.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
      // Ends at the deadline, on the client's cancellation, or when the process stops (stdio shutdown after its grace).
      callDeadline = holdDeadline(timeoutMs, [extra.signal, options.stop], `the tool call's ${timeoutMs} ms deadline passed`);
      const { signal, at: deadline } = callDeadline;
      if (list) await progress(0, `${tool.name}: requesting a page from the upstream`);
      const outcome = await tool.handler(args, {
        correlationId,
        signal,
        call: { correlationId, signal, deadline, observer: callLog.observe },
        log,
        clients: options.clients as Required<UpstreamClients>,
        configured: options.clients,
      });
      let data = outcome.data as Record<string, unknown>;
      if (list && Array.isArray(data.items)) {
        if (fields) data = { ...data, items: projectItems(data.items, fields) };
        data = capItems(data as { items: unknown[] }, maxResultBytes);
        const count = (data.items as unknown[]).length;
        await progress(1, data.truncated ? `${count} items (cut to the ${maxResultBytes}-byte budget; continue at nextOffset)` : `${count} items`);
      }
      // A document (or a list's one item) still over the budget has its long arrays and strings cut, and says so.
      data = capDocument(data, maxResultBytes, list ? 'items' : undefined);
      const structuredContent = { ...data, correlationId: outcome.correlationId };
      log.debug({ ms: Math.round(performance.now() - started) }, 'tool call succeeded');
      await callLog.flush();
      return { content: [{ type: 'text', text: JSON.stringify(structuredContent) }], structuredContent };
    } catch (error) {
      const facts = describeError(error, tool.name);
      const errorId = errorCorrelationId(error) ?? correlationId;
      // A write with an idempotency key reports it on every error, so the agent can retry without a duplicate.
      const idempotencyKey = errorIdempotencyKey(error) ?? keyArgument(tool, request.params.arguments);
      log.warn(
        { code: facts.code, upstreamStatus: facts.upstreamStatus, upstreamMessages: facts.upstreamMessages, ms: Math.round(performance.now() - started) },
        facts.message,
      );
      // The upstream's own words appear once in each form: upstreamMessages in structuredContent, a sentence in the text.
      const structuredContent = { error: facts, correlationId: errorId, ...(idempotencyKey ? { idempotencyKey } : {}) };
      await callLog.flush();
      const status = facts.upstreamStatus !== undefined ? `HTTP ${facts.upstreamStatus}, ` : '';
      const key = idempotencyKey && !facts.message.includes(idempotencyKey) ? `, idempotencyKey ${idempotencyKey}` : '';
      return {
        isError: true,
        content: [{ type: 'text', text: `${facts.message}${upstreamWords(error)} (${status}code ${facts.code}, correlationId ${errorId}${key})` }],
        structuredContent,
      };
    } finally {
      callDeadline?.dispose();
    }
  }

  /**
   * Asks for confirmation of a write. Returns a preview payload when the caller must come back with a token;
   * throws ConfirmationError when the human declined or the token does not hold; returns undefined to proceed.
   */
  async function confirm(
    tool: AnyTool,
    args: Record<string, unknown>,
    token: unknown,
    requestId: string | number,
  ): Promise<Record<string, unknown> | undefined> {
    const summary = summarizeWrite(tool.name, tool.title, args);
    if (mcp.server.getClientCapabilities()?.elicitation) {
      let answer;
      try {
        answer = await mcp.server.elicitInput(
          {
            mode: 'form',
            message: `${summary}\n\nConfirm to proceed; nothing is sent until you do.`,
            requestedSchema: {
              type: 'object',
              properties: { confirm: { type: 'boolean', title: 'Confirm', description: `Run ${tool.name} as shown` } },
              required: ['confirm'],
            },
          },
          { relatedRequestId: requestId, timeout: options.elicitationTimeoutMs ?? DEFAULT_ELICITATION_TIMEOUT_MS },
        );
      } catch (error) {
        throw new ConfirmationError('not_confirmed', `The confirmation request failed (${(error as Error).message}); ${tool.name} was not performed and nothing was sent.`);
      }
      if (answer.action === 'accept' && answer.content?.confirm === true) return undefined;
      const how = answer.action === 'accept' ? 'did not confirm' : answer.action === 'decline' ? 'declined' : 'cancelled';
      throw new ConfirmationError('not_confirmed', `The user ${how} ${tool.name}; it was not performed and nothing was sent. Ask the user before trying again.`);
    }
    if (confirmWrites !== 'always') return undefined;
    if (token === undefined) {
      const issued = tokens.issue(tool.name, args);
      return {
        confirmationRequired: true,
        summary: `${summary}\nNot done yet: show this to the user; if they confirm, call ${tool.name} again with the same arguments plus confirmationToken (valid until ${issued.expiresAt}).`,
        confirmationToken: issued.token,
        expiresAt: issued.expiresAt,
      };
    }
    const check = typeof token === 'string' ? tokens.check(tool.name, args, token) : 'invalid';
    if (check === 'expired') {
      throw new ConfirmationError('confirmation_expired', `The confirmationToken has expired; ${tool.name} was not performed. Call it without the token for a new preview.`);
    }
    if (check === 'invalid') {
      throw new ConfirmationError(
        'confirmation_invalid',
        `The confirmationToken does not match these arguments (or is not one of this server's); ${tool.name} was not performed. Call it without the token for a new preview.`,
      );
    }
    if (!(await tokens.redeem(token as string))) {
      throw new ConfirmationError('confirmation_invalid', `The confirmationToken was already used; ${tool.name} was not performed again. Call it without the token for a new preview.`);
    }
    return undefined;
  }
  return mcp;
}

/** The idempotencyKey the agent passed, when the tool takes one and it is a valid one (echoed on argument errors). */
function keyArgument(tool: AnyTool, args: Record<string, unknown> | undefined): string | undefined {
  const shape = (tool.input as { shape?: Record<string, z.ZodType> }).shape;
  const key = args?.idempotencyKey;
  return shape?.idempotencyKey && shape.idempotencyKey.safeParse(key).success && typeof key === 'string' ? key : undefined;
}

/** JSON Schema conversion costs ~0.4 ms a tool; HTTP mode builds one server per session (or per request). */
const LISTED = new WeakMap<AnyTool, Tool>();
const LISTED_WITH_TOKEN = new WeakMap<AnyTool, Tool>();
function listedTool(tool: AnyTool, withToken: boolean): Tool {
  const cache = withToken ? LISTED_WITH_TOKEN : LISTED;
  let listed = cache.get(tool);
  if (!listed) cache.set(tool, (listed = toListedTool(tool, withToken)));
  return listed;
}

/**
 * The advertised tool (see src/mcp/schema.ts for why the schemas are lean). List tools take `fields` and may
 * say `truncated`; in `--confirm-writes always` mode a write takes `confirmationToken` and may return a preview.
 */
function toListedTool(tool: AnyTool, withToken: boolean): Tool {
  const inputSchema = inputJsonSchema(tool.input) as { properties?: Record<string, unknown> };
  const extraOutput: Record<string, Record<string, unknown>> = {};
  if (isListTool(tool)) {
    inputSchema.properties = { ...inputSchema.properties, fields: { type: 'array', items: { type: 'string' } } };
    extraOutput.truncated = {};
  }
  if (withToken) {
    inputSchema.properties = {
      ...inputSchema.properties,
      confirmationToken: { type: 'string', description: 'From the preview result, after the user confirmed.' },
    };
    Object.assign(extraOutput, {
      confirmationRequired: { type: 'boolean' },
      summary: { type: 'string' },
      confirmationToken: { type: 'string' },
      expiresAt: { type: 'string' },
    });
  }
  // No `title`: it is for UIs (clients fall back to the name), and tools/list is paid for in every conversation.
  return {
    name: tool.name,
    description: tool.description,
    inputSchema: inputSchema as Tool['inputSchema'],
    outputSchema: outputJsonSchema(tool.output, tool.input, extraOutput) as Tool['outputSchema'],
    annotations: listedAnnotations(tool.annotations),
  };
}

/**
 * The annotations as sent: every tool declares all four, and tools/list states each one whose value the MCP spec does
 * not already imply. readOnlyHint always; destructiveHint and idempotentHint only for write tools (the spec makes
 * them meaningful only when readOnlyHint is false); openWorldHint only when false (the spec's default is true).
 */
function listedAnnotations(a: ToolAnnotations): Tool['annotations'] {
  return {
    readOnlyHint: a.readOnlyHint,
    ...(a.readOnlyHint ? {} : { destructiveHint: a.destructiveHint, idempotentHint: a.idempotentHint }),
    ...(a.openWorldHint ? {} : { openWorldHint: false }),
  };
}
