import { param, type SiteContext } from '../context.js';
import { addDays, daysBetween, formatYmd, parseYmd, periodKey, periodKeys, startOfDay, type TotalBy } from '../dates.js';
import { ApiError, badRequest, single, type Result } from '../envelope.js';
import { matchesQ, page, parseDateParam, parseIntParam, parseOrderBy, parsePaging, sortRows } from '../listing.js';
import { CUSTOMER_PATH, PAGING, orderByParam, qParam, type RouteDef } from '../route-definition.js';

/** The two report endpoints: an object with its own counters and a nested, paged `data` list (reference §2.4). */

const AGING_BUCKETS = ['current', '30', '60', '90'] as const;

function agingBucket(ageDays: number): (typeof AGING_BUCKETS)[number] {
  if (ageDays < 30) return 'current';
  if (ageDays < 60) return '30';
  if (ageDays < 90) return '60';
  return '90';
}

const money = (value: number): number => Math.round(value * 100) / 100;

export function aging(ctx: SiteContext): Result {
  const asOfMs = parseDateParam(ctx.query, 'asOf') ?? startOfDay(ctx.nowMs);
  const paging = parsePaging(ctx.query);
  const orderBy = parseOrderBy(ctx.query, 'invoice_hdr', ctx.store.invoices[0], 'invoice_date|ASC');
  const shipToId = parseIntParam(ctx.query, 'shipToId');
  const customerId = param(ctx, 'customerId');
  const asOf = formatYmd(asOfMs);
  // Outstanding = balance > 0 on invoices dated on or before asOf (reference §5 #15).
  const open = ctx.store.invoices.filter(
    (i) =>
      i.customerId === customerId &&
      (shipToId === undefined || i.shipToId === shipToId) &&
      i.invoiceDate <= asOf &&
      money(i.totalAmount - i.amountPaid) > 0,
  );
  const rows = sortRows(open, orderBy).map((i) => {
    const ageDays = daysBetween(parseYmd(i.invoiceDate) ?? asOfMs, asOfMs);
    return {
      invoiceNo: i.invoiceNo,
      orderNo: i.orderNo,
      poNo: i.poNo,
      ship2Name: i.ship2Name,
      invoiceDate: i.invoiceDate,
      totalAmount: i.totalAmount,
      amountPaid: i.amountPaid,
      balance: money(i.totalAmount - i.amountPaid),
      ageDays,
      bucket: agingBucket(ageDays),
    };
  });
  const totals = AGING_BUCKETS.map((key) => {
    const inBucket = rows.filter((r) => r.bucket === key);
    return { key, balance: money(inBucket.reduce((sum, r) => sum + r.balance, 0)), invoices: inBucket.length };
  });
  return single({
    customerId: String(customerId),
    asOf,
    bucketKeys: [...AGING_BUCKETS],
    invoiceCount: rows.length,
    totalBalance: money(rows.reduce((sum, r) => sum + r.balance, 0)),
    totals,
    data: page(rows, paging),
  });
}

const TOTAL_BY = ['week', 'month', 'year'] as const;

export function salesUsage(ctx: SiteContext): Result {
  const todayMs = startOfDay(ctx.nowMs);
  const fromMs = parseDateParam(ctx.query, 'invoicedFrom') ?? addDays(todayMs, -30);
  const toMs = parseDateParam(ctx.query, 'invoicedTo') ?? todayMs;
  if (fromMs > toMs) throw badRequest('invoicedFrom', 'invoicedFrom is after invoicedTo');
  const totalByRaw = ctx.query.get('totalBy') ?? 'week';
  if (!(TOTAL_BY as readonly string[]).includes(totalByRaw)) throw badRequest('totalBy', 'totalBy must be one of week, month, year');
  const totalBy = totalByRaw as TotalBy;
  const paging = parsePaging(ctx.query);
  const orderByRaw = ctx.query.get('orderBy') ?? 'item_id|ASC';
  if (!/^(item_id|item_desc)\|(ASC|DESC)$/.test(orderByRaw)) {
    throw new ApiError(400, 'orderBy is not column|ASC or column|DESC on a sales-usage column (item_id or item_desc)', {
      orderBy: 'orderBy must be item_id or item_desc with |ASC or |DESC',
    });
  }
  const shipToId = parseIntParam(ctx.query, 'shipToId');
  const supplierId = parseIntParam(ctx.query, 'supplierId');
  const q = ctx.query.get('q');
  const customerId = param(ctx, 'customerId');
  const from = formatYmd(fromMs);
  const to = formatYmd(toMs);
  const bucketKeys = periodKeys(fromMs, toMs, totalBy);

  type Folded = {
    itemId: string;
    itemDesc: string;
    unitOfMeasure: string | null;
    salesUnitSize: number | null;
    pricingUnitSize: number | null;
    buckets: Map<string, { quantity: number; total: number; lines: number }>;
  };
  const items = new Map<string, Folded>();
  const invoicesSeen = new Set<string>();
  let linesFolded = 0;
  for (const invoice of ctx.store.invoices) {
    if (invoice.customerId !== customerId || invoice.invoiceDate < from || invoice.invoiceDate > to) continue;
    if (shipToId !== undefined && invoice.shipToId !== shipToId) continue;
    const key = periodKey(parseYmd(invoice.invoiceDate) ?? fromMs, totalBy);
    for (const line of invoice.lines) {
      if (supplierId !== undefined && line.supplierId !== supplierId) continue;
      if (!matchesQ(q, line.itemId, line.itemDesc)) continue;
      const itemId = line.itemId ?? '';
      const master = ctx.store.items.find((i) => i.invMastUid === line.invMastUid);
      const folded = items.get(itemId) ?? {
        itemId,
        itemDesc: line.itemDesc,
        unitOfMeasure: line.unitOfMeasure,
        salesUnitSize: master?.salesUnitSize ?? null,
        pricingUnitSize: master?.pricingUnitSize ?? null,
        buckets: new Map(),
      };
      const bucket = folded.buckets.get(key) ?? { quantity: 0, total: 0, lines: 0 };
      bucket.quantity += line.qtyShipped;
      bucket.total = money(bucket.total + line.extendedPrice);
      bucket.lines += 1;
      folded.buckets.set(key, bucket);
      items.set(itemId, folded);
      invoicesSeen.add(invoice.invoiceNo);
      linesFolded += 1;
    }
  }
  const [column, direction] = orderByRaw.split('|') as ['item_id' | 'item_desc', 'ASC' | 'DESC'];
  const sorted = sortRows([...items.values()], { field: column === 'item_id' ? 'itemId' : 'itemDesc', direction });
  return single({
    customerId: String(customerId),
    invoicedFrom: from,
    invoicedTo: to,
    totalBy,
    bucketKeys,
    invoiceCount: invoicesSeen.size,
    linesFolded,
    itemCount: sorted.length,
    data: page(sorted, paging).map((f) => ({
      itemId: f.itemId,
      itemDesc: f.itemDesc,
      unitOfMeasure: f.unitOfMeasure,
      salesUnitSize: f.salesUnitSize,
      pricingUnitSize: f.pricingUnitSize,
      buckets: bucketKeys.map((k) => ({ key: k, ...(f.buckets.get(k) ?? { quantity: 0, total: 0, lines: 0 }) })),
    })),
  });
}

export const AGING_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET', path: `${CUSTOMER_PATH}/aging`, auth: 'bearer', summary: 'Age outstanding invoice balances into current/30/60/90-day buckets',
    data: { kind: 'object', shape: 'Aging' },
    query: [{ name: 'asOf', type: 'date', description: 'Default today' }, ...PAGING, orderByParam('invoice_date|ASC', 'invoice_hdr'), { name: 'shipToId', type: 'integer' }],
    errors: { 400: 'asOf is not YYYY-MM-DD, or bad orderBy' }, handler: aging,
  },
];

export const SALES_USAGE_ROUTES: readonly RouteDef[] = [
  {
    method: 'GET', path: `${CUSTOMER_PATH}/sales-usage`, auth: 'bearer', summary: 'Per-item, per-period sales usage folded from invoiced history',
    data: { kind: 'object', shape: 'SalesUsage' },
    query: [
      { name: 'invoicedFrom', type: 'date', description: 'Default 30 days ago' }, { name: 'invoicedTo', type: 'date', description: 'Default today' },
      ...PAGING, { name: 'orderBy', type: 'string', enum: ['item_id|ASC', 'item_id|DESC', 'item_desc|ASC', 'item_desc|DESC'], default: 'item_id|ASC' },
      qParam(), { name: 'shipToId', type: 'integer' }, { name: 'supplierId', type: 'integer' },
      { name: 'totalBy', type: 'string', enum: ['week', 'month', 'year'], default: 'week' },
    ],
    errors: { 400: 'bad dates, invoicedFrom after invoicedTo, bad totalBy, or bad orderBy' }, handler: salesUsage,
  },
];
