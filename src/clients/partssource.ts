import * as z from 'zod';
import { untilAborted } from '../deadline.js';
import { MemoryStore } from '../state/memory.js';
import { StateUnavailableError } from '../state/store.js';
import type { TenantState } from '../state/tenant.js';
import { knownSecrets } from '../redaction.js';
import { UpstreamError, labelCredentials } from './errors.js';
import { createHttpCore, segment, type HttpCore, type HttpRequest } from './http-core.js';
import { IdempotencyConflictError, IdempotencyRecord } from './idempotency.js';
import { OrderAttemptError, OrderAttempts, type OrderClaim } from './order-attempts.js';
import { ClientCredentialsTokenProvider } from './partssource-auth.js';
import {
  CatalogDetail,
  CatalogItem,
  Envelope,
  Manufacturer,
  Order,
  OrderSummary,
  UserProfile,
  UserSummary,
  page,
} from './partssource-schemas.js';
import type { CallContext, Result } from './types.js';

export interface PartsSourceConfig {
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  apiKey: string;
  scope?: string;
  timeoutMs?: number;
  /**
   * Where these credentials are configured, named when they are refused: e.g. `tenant "acme" in the tenants file
   * (partssource.clientId / clientSecret / apiKey)`. Default: the PARTSSOURCE_* environment variables.
   */
  credentialsLabel?: string;
  /** Largest response body read (UPSTREAM_MAX_RESPONSE_BYTES; default 10 MB). */
  maxResponseBytes?: number;
}

export type SortDir = 'Asc' | 'Desc';

export interface GetSearch {
  q?: string;
  limit?: number;
  offset?: number;
  sortBy?: string;
  sortDir?: SortDir;
}

export interface CatalogSearch {
  keyword?: string;
  filters?: { manufacturerId?: number; manufacturer?: string; partNumber?: string };
  pagination?: { limit?: number; offset?: number; sortBy?: string; sortDir?: SortDir };
}

export interface OrderRequest {
  requesterId: number;
  facilityId: number;
  shippingAddressId: number;
  billingAddressId: number;
  shippingMethod: string;
  useShippingAccount?: boolean;
  poNumber?: string;
  quoteItems: Array<{
    priceOptionId: string;
    productId: string;
    quantity: number;
    price: number;
    requiredFields?: Record<string, string>;
  }>;
}

/**
 * The PartsSource Customer API client: Bearer token + x-api-key on every call, envelope unwrapping, one token
 * refetch and retry after a 401. Knows HTTP and auth, nothing of MCP.
 */
export class PartsSourceClient {
  readonly #http: HttpCore;
  readonly #auth: ClientCredentialsTokenProvider;
  readonly #apiKey: string;
  readonly #credentialsLabel: string | undefined;
  readonly #orders: IdempotencyRecord<Result<z.infer<typeof Order>>>;
  readonly #attempts: OrderAttempts;

  /**
   * `state` shares the token cache and the order record through a store (a fleet on Redis). Without it the
   * client keeps both in this process (its own in-memory store), as a single instance needs.
   */
  constructor(config: PartsSourceConfig, state: TenantState = { store: new MemoryStore(), tenant: 'default' }) {
    this.#http = createHttpCore({
      upstream: 'partssource',
      baseUrl: config.baseUrl,
      ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
      ...(config.maxResponseBytes ? { maxResponseBytes: config.maxResponseBytes } : {}),
    });
    // The config carries the credential set (token URL, client id and secret, scope, timeout, label).
    this.#auth = new ClientCredentialsTokenProvider(config, state);
    this.#orders = IdempotencyRecord.ofOrders(state);
    this.#attempts = OrderAttempts.ofTenant(state);
    this.#apiKey = config.apiKey;
    // An upstream that echoes a credential (or its Basic-auth form) must not get it into a result or a log line.
    knownSecrets.add(config.clientSecret, config.apiKey);
    knownSecrets.addBasicPair(config.clientId, config.clientSecret);
    this.#credentialsLabel = config.credentialsLabel;
  }

  /** Token requests this client has sent (diagnostics). */
  get tokenRequestCount(): number {
    return this.#auth.requestCount;
  }

  /** Health probe: obtains a token (cached or fresh) through the token provider; throws its UpstreamError. */
  async checkToken(ctx: CallContext): Promise<{ latencyMs: number }> {
    const started = performance.now();
    await this.#auth.getToken(ctx.correlationId);
    return { latencyMs: Math.round(performance.now() - started) };
  }

  lookupUser(by: { userId: number } | { username: string }, ctx: CallContext): Promise<Result<z.infer<typeof UserProfile>>> {
    return this.#call(ctx, { method: 'GET', path: '/users/lookup', searchParams: by, retry: 'read' }, UserProfile);
  }

  searchUsers(search: GetSearch, ctx: CallContext) {
    return this.#call(ctx, { method: 'GET', path: '/users/search', searchParams: { ...search }, retry: 'read' }, page(UserSummary));
  }

  searchCatalog(search: CatalogSearch, ctx: CallContext) {
    // A POST that only reads: safe to retry.
    return this.#call(ctx, { method: 'POST', path: '/catalog/search', json: search, retry: 'read' }, page(CatalogItem));
  }

  getCatalogDetail(query: { productId: string; requesterId: number }, ctx: CallContext) {
    return this.#call(ctx, { method: 'GET', path: '/catalog/detail', searchParams: query, retry: 'read' }, CatalogDetail);
  }

  /**
   * Sent with its Idempotency-Key; retried only with that same key and body, so it can never be duplicated. A key
   * already used here with other arguments is refused before any request; an identical call in flight is joined.
   * Without a key, the key of an earlier attempt at the same body whose outcome is unknown is reused, and a body
   * placed in the last 10 minutes is refused (PossibleDuplicateError) unless `allowDuplicate`. Every failure after
   * the key is known is an OrderAttemptError carrying that key.
   */
  async createOrder(
    order: OrderRequest,
    ctx: CallContext,
    options: { idempotencyKey?: string; allowDuplicate?: boolean } = {},
  ): Promise<Result<z.infer<typeof Order>> & { idempotencyKey: string }> {
    let claim: OrderClaim;
    try {
      claim = await this.#attempts.claim(order, options.idempotencyKey, options.allowDuplicate === true);
    } catch (error) {
      if (options.idempotencyKey && error instanceof StateUnavailableError) throw new OrderAttemptError(options.idempotencyKey, false, error);
      throw error;
    }
    try {
      const { value, joined } = await this.#orders.run(
        claim.key,
        order,
        () =>
          this.#call(
            ctx,
            { method: 'POST', path: '/orders', json: order, headers: { 'idempotency-key': claim.key }, retry: 'idempotent-write' },
            Order,
          ),
        ctx.deadline,
      );
      await this.#attempts.placed(claim, value.data.orderId);
      return { ...value, ...(joined ? { replayed: true } : {}), idempotencyKey: claim.key };
    } catch (error) {
      const outcome = attemptOutcome(error);
      await this.#attempts.failed(claim, outcome === 'unknown');
      // A reused key belongs to an earlier attempt whose outcome is still unknown unless this one was refused.
      throw new OrderAttemptError(claim.key, outcome === 'unknown' || (claim.reused && outcome === 'not_sent'), error);
    }
  }

  getOrder(orderId: number, ctx: CallContext) {
    return this.#call(ctx, { method: 'GET', path: `/orders/${segment(orderId)}`, retry: 'read' }, Order);
  }

  searchOrders(search: GetSearch, ctx: CallContext) {
    return this.#call(ctx, { method: 'GET', path: '/orders/search', searchParams: { ...search }, retry: 'read' }, page(OrderSummary));
  }

  searchManufacturers(search: GetSearch, ctx: CallContext) {
    return this.#call(
      ctx,
      { method: 'GET', path: '/manufacturers/search', searchParams: { ...search }, retry: 'read' },
      page(Manufacturer),
    );
  }

  async #call<T extends z.ZodType>(
    ctx: CallContext,
    request: Omit<HttpRequest, 'correlationId' | 'signal'>,
    schema: T,
  ): Promise<Result<z.infer<T>>> {
    const response = await this.#authenticated({
      ...request,
      correlationId: ctx.correlationId,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(ctx.deadline !== undefined ? { deadline: ctx.deadline } : {}),
      ...(ctx.observer ? { observer: ctx.observer } : {}),
    });
    const invalid = (messages: string[], status = response.status) =>
      new UpstreamError({
        upstream: 'partssource',
        kind: 'invalid_response',
        status,
        upstreamMessages: messages,
        correlationId: response.correlationId,
        method: request.method,
        path: request.path,
      });
    const envelope = Envelope.safeParse(response.body);
    if (!envelope.success) throw invalid(['the response was not the documented {success, data, ...} envelope']);
    if (!envelope.data.success) {
      throw new UpstreamError({
        upstream: 'partssource',
        kind: 'http',
        status: response.status,
        upstreamMessages: envelope.data.errors ?? ['the upstream reported success: false'],
        correlationId: response.correlationId,
        method: request.method,
        path: request.path,
      });
    }
    const data = schema.safeParse(envelope.data.data);
    if (!data.success) throw invalid([`unexpected data shape: ${z.prettifyError(data.error).slice(0, 300)}`]);
    return {
      data: data.data,
      correlationId: response.correlationId,
      ...(response.headers.get('idempotent-replayed') === 'true' ? { replayed: true } : {}),
    };
  }

  /** Adds Bearer and x-api-key; on a 401, drops the token, fetches a new one and retries once. */
  async #authenticated(request: HttpRequest) {
    for (let attempt = 0; ; attempt++) {
      // The token request is shared with other calls: this call stops waiting for it at its own deadline.
      const token = await untilAborted(this.#auth.getToken(request.correlationId), request.signal, () =>
        new UpstreamError({
          upstream: 'partssource',
          kind: 'timeout',
          upstreamMessages: ["the tool call's deadline passed while waiting for an access token"],
          correlationId: request.correlationId,
          method: 'POST',
          path: '(token endpoint)',
        }),
      );
      try {
        return await this.#http.send({
          ...request,
          headers: { ...request.headers, authorization: `Bearer ${token}`, 'x-api-key': this.#apiKey },
        });
      } catch (error) {
        if (attempt === 0 && error instanceof UpstreamError && error.status === 401) {
          request.observer?.({ type: 'token_refresh', upstream: 'partssource', method: request.method, path: request.path, status: 401 });
          this.#auth.invalidate(token);
          continue;
        }
        throw labelCredentials(error, this.#credentialsLabel);
      }
    }
  }
}

/**
 * What a failed order attempt says about the order. `not_sent`: nothing reached POST /orders (the key was refused
 * locally, the shared record or the token endpoint failed, the circuit was open). `refused`: the upstream saw the key
 * and refused the body with a 4xx (it would have replayed a placed order instead). `unknown`: anything else (no
 * answer, a timeout, a reset, a 5xx, an unreadable answer, a 408/409/425/429) may have left an order behind.
 */
function attemptOutcome(error: unknown): 'not_sent' | 'refused' | 'unknown' {
  if (error instanceof IdempotencyConflictError || error instanceof StateUnavailableError) return 'not_sent';
  if (!(error instanceof UpstreamError)) return 'unknown';
  const { kind, status } = error.info;
  if (kind === 'circuit_open' || kind === 'auth') return 'not_sent';
  const refused = kind === 'http' && status !== undefined && status >= 400 && status < 500 && ![408, 409, 425, 429].includes(status);
  return refused ? 'refused' : 'unknown';
}
