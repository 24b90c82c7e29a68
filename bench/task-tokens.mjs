// Tokens per task: what three scripted tasks cost in context, counted as every result the task needs as the
// client receives it (o200k_base tokens, as in tool-list.mjs), for this server and for the generic OpenAPI proxy
// (@ivotoby/openapi-mcp-server over the sandbox's own OpenAPI documents) on ONE sandbox, through the SDK's real
// Client over stdio. A small scripted agent runs each task; every id it sends comes from an earlier result, and
// each task checks that it got what it was after (a task that does not is reported as failed, not counted).
//
//   1. search → order     lookup_user (requester, facility, addresses) → search_parts → get_part_detail (price
//                         option) → create_order (with an idempotencyKey) → get_order (status)
//   2. customer → invoice lookup_customer "10001" → list_invoices paidInFull false → get_invoice (the first one)
//   3. support question   "what did customer 10001 order in the last 30 days and is any invoice overdue":
//                         list_customer_orders of the last 30 days → get_customer_aging
//
// "Today" is the sandbox seed's last day (its data is fixed; the real date would find no recent order). Task 3
// uses createdFrom/createdTo when the tool's inputSchema offers them; otherwise it pages the newest-first list
// until it passes the window, as an agent would. The proxy's tools are the equivalent operations (names derived
// from the OpenAPI operation ids), called with the query our tool sends upstream (fullDocument N, the default
// page of 10).
//
// Three counts per result: (a) structuredContent only (how Claude Code and VS Code pass a result that has one;
// the text when it has none), (b) the text content only, (c) both. The proxy returns text only: (a) = (b) = (c).
// Ratios are to the proxy's count. The proxy pretty-prints its JSON: its note gives the same text re-serialised
// compactly, for reference. Beside them, each server's tools/list cost (tokens of the whole result).
//
// Variants: this build (dist/cli.js), once per `--result-text` mode (json, summary) when its --help offers the
// option (as a flag, or only as MCP_RESULT_TEXT);
// BENCH_BASELINE_CLI=<path to another build's dist/cli.js>[,<another>] adds builds to the same run.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { cleanEnv, CLI, dist, genericProxies, liveEnv, printTable, runMain, spawnSandbox, stdioClient, writeResult } from './lib.mjs';

const USER_ID = 12345;
const KEYWORD = 'probe';
const CUSTOMER_QUERY = '10001';
const WINDOW_DAYS = 30;
const TASKS = ['search → order', 'customer → invoice', 'orders 30 d + overdue?'];

class TaskFailure extends Error {}
const check = (condition, message) => {
  if (!condition) throw new TaskFailure(message);
};

// ------------------------------------------------------------------------------------------ counting

/**
 * Tokens of one tools/call result three ways; the text is every content item (text as is, others as JSON).
 * `minified`: the text re-serialised without whitespace when it is JSON (the proxy pretty-prints; for reference).
 */
function costOf(result) {
  const text = (result.content ?? []).reduce((n, c) => n + countTokens(c.type === 'text' ? c.text : JSON.stringify(c)), 0);
  const structured = result.structuredContent === undefined ? undefined : countTokens(JSON.stringify(result.structuredContent));
  let minified = text;
  try {
    minified = countTokens(JSON.stringify(JSON.parse(textOf(result))));
  } catch {
    /* not JSON: as is */
  }
  return { a: structured ?? text, b: text, c: (structured ?? 0) + text, minified };
}

const textOf = (result) => (result.content ?? []).map((c) => c.text ?? '').join('\n');

/** One task's calls: each result's cost, in order. */
class Transcript {
  calls = [];
  constructor(server) {
    this.server = server;
  }

  async call(name, args) {
    if (!this.server.tools.has(name)) throw new TaskFailure(`${this.server.label} lists no tool ${name}`);
    let result;
    try {
      result = await this.server.clientFor(name).callTool({ name, arguments: args });
    } catch (error) {
      throw new TaskFailure(`${name}: ${error.message}`);
    }
    this.calls.push({ tool: name, ...costOf(result), ...(result.isError ? { isError: true } : {}) });
    if (result.isError) throw new TaskFailure(`${name} answered isError: ${textOf(result).slice(0, 300)}`);
    return result;
  }
}

// ------------------------------------------------------------------------------------------ the two dialects

/** What the agent reads: structuredContent when there is one, else the text as JSON. */
function payload(result) {
  if (result.structuredContent !== undefined) return result.structuredContent;
  try {
    return JSON.parse(textOf(result));
  } catch {
    throw new TaskFailure(`a result neither structured nor JSON: ${textOf(result).slice(0, 200)}`);
  }
}

const nextOffsetOf = (page, offset, count) => page.nextOffset ?? offset + count;

/** This server's tools (any build: the input schema from tools/list decides what task 3 can ask). */
const ours = {
  lookupUser: async (t, userId) => payload(await t.call('lookup_user', { userId })).user,
  searchParts: async (t, keyword) => payload(await t.call('search_parts', { keyword })).items,
  partDetail: async (t, productId, requesterId) => payload(await t.call('get_part_detail', { productId, requesterId })).part,
  async createOrder(t, order, idempotencyKey) {
    const p = payload(await t.call('create_order', { ...order, idempotencyKey }));
    check(p.idempotencyKey === idempotencyKey, `create_order answered idempotencyKey ${p.idempotencyKey}, not ${idempotencyKey}`);
    return p.order;
  },
  getOrder: async (t, orderId) => payload(await t.call('get_order', { orderId })).order,
  lookupCustomer: async (t, q) => payload(await t.call('lookup_customer', { q })).items,
  openInvoices: async (t, customerId) => payload(await t.call('list_invoices', { customerId, paidInFull: false })).items,
  getInvoice: async (t, customerId, invoiceNo) => payload(await t.call('get_invoice', { customerId, invoiceNo })).invoice,
  async ordersBetween(t, customerId, from, to) {
    const input = t.server.tools.get('list_customer_orders')?.inputSchema?.properties ?? {};
    const filtered = Boolean(input.createdFrom && input.createdTo);
    t.dateFilter = filtered;
    t.pages = 0;
    const orders = [];
    for (let offset = 0; t.pages < 20; ) {
      t.pages++;
      const args = { customerId, ...(filtered ? { createdFrom: from, createdTo: to } : {}), ...(offset ? { offset } : {}) };
      const page = payload(await t.call('list_customer_orders', args));
      orders.push(...page.items);
      // Newest first: without a filter, stop once the page reaches orders older than the window.
      const oldest = createdDay(page.items.at(-1));
      if (!page.hasMore || (!filtered && (oldest === undefined || oldest < from))) break;
      offset = nextOffsetOf(page, offset, page.items.length);
    }
    return orders;
  },
  aging: async (t, customerId, asOf) => payload(await t.call('get_customer_aging', { customerId, asOf })).aging,
};

/** The generic proxy: upstream envelopes as text; tool names from the operation ids (its own abbreviations). */
const PROXY_TOOLS = {
  lookupUser: 'lookup-usr',
  searchCatalog: 'search-catalog',
  getCatalogDetail: 'get-catalog-detail',
  createOrder: 'crt-order',
  getOrder: 'get-order',
  customerLookup: 'get-customer-lookup',
  invoices: 'get-customer-customer-id-invoices',
  invoice: 'get-customer-customer-id-invoices-invoice-no',
  orders: 'get-customer-customer-id-orders',
  aging: 'get-customer-customer-id-aging',
};
const data = (result) => payload(result).data;
const listOf = (value) => (Array.isArray(value) ? value : (value?.items ?? value?.results ?? []));

const proxy = {
  lookupUser: async (t, userId) => data(await t.call(PROXY_TOOLS.lookupUser, { userId })),
  // Its schema nests the JSON body under `body`, but it sends every argument that is no parameter as the body:
  // the body's fields at the top level are what reaches the API intact (as in call-overhead.mjs). Our tool's
  // defaults (limit 20, offset 0) spelt out.
  searchParts: async (t, keyword) => listOf(data(await t.call(PROXY_TOOLS.searchCatalog, { keyword, pagination: { limit: 20, offset: 0 } }))),
  partDetail: async (t, productId, requesterId) => data(await t.call(PROXY_TOOLS.getCatalogDetail, { productId, requesterId })),
  async createOrder(t, { items, ...order }, idempotencyKey) {
    return data(await t.call(PROXY_TOOLS.createOrder, { 'Idempotency-Key': idempotencyKey, ...order, quoteItems: items }));
  },
  getOrder: async (t, orderId) => data(await t.call(PROXY_TOOLS.getOrder, { orderId })),
  lookupCustomer: async (t, q) => listOf(data(await t.call(PROXY_TOOLS.customerLookup, { q }))),
  openInvoices: async (t, customerId) => listOf(data(await t.call(PROXY_TOOLS.invoices, { customerId, paidInFull: 'N' }))),
  getInvoice: async (t, customerId, invoiceNo) => {
    const value = data(await t.call(PROXY_TOOLS.invoice, { customerId, invoiceNo: Number(invoiceNo) }));
    return Array.isArray(value) ? value[0] : value;
  },
  async ordersBetween(t, customerId, from, to) {
    t.dateFilter = true;
    t.pages = 0;
    const orders = [];
    for (let offset = 0; t.pages < 20; ) {
      t.pages++;
      // What our tool sends upstream by default: header rows (fullDocument N), cancelled and deleted left out.
      const page = payload(await t.call(PROXY_TOOLS.orders, { customerId, createdFrom: from, createdTo: to, fullDocument: 'N', ...(offset ? { offset } : {}) }));
      const items = listOf(page.data);
      orders.push(...items);
      if (items.length === 0 || offset + items.length >= (page.total ?? 0)) break;
      offset += items.length;
    }
    return orders;
  },
  aging: async (t, customerId, asOf) => data(await t.call(PROXY_TOOLS.aging, { customerId, asOf })),
};

// ------------------------------------------------------------------------------------------ the tasks

const day = (value) => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined);
const createdDay = (order) => day(order?.dateCreated) ?? day(order?.orderDate) ?? day(order?.createdAt);
const defaultOr0 = (list) => list?.find((x) => x.isDefault) ?? list?.[0];

async function searchToOrder(t, dialect) {
  const user = await dialect.lookupUser(t, USER_ID);
  const requesterId = user?.contactId;
  const facilityId = user?.companies?.[0]?.facilities?.[0]?.id;
  const shippingAddressId = defaultOr0(user?.shippingAddresses)?.id;
  const billingAddressId = defaultOr0(user?.billingAddresses)?.id;
  check(requesterId && facilityId && shippingAddressId && billingAddressId, 'lookup_user gave no requester, facility or addresses');
  const parts = await dialect.searchParts(t, KEYWORD);
  const part = parts?.find((p) => p.productId);
  check(part, `search "${KEYWORD}" found no part`);
  const detail = await dialect.partDetail(t, part.productId, requesterId);
  const option = detail?.options?.find((o) => o.priceOptionId && !(o.requiredFields?.length > 0));
  check(option, `${part.productId} has no price option without required fields`);
  const idempotencyKey = randomUUID();
  const items = [{ priceOptionId: option.priceOptionId, productId: part.productId, quantity: 1, price: option.price }];
  const order = await dialect.createOrder(t, { requesterId, facilityId, shippingAddressId, billingAddressId, shippingMethod: 'GROUND', items }, idempotencyKey);
  check(order?.orderId, 'the order was not created (no orderId)');
  const status = await dialect.getOrder(t, order.orderId);
  check(status?.orderId === order.orderId && status.status, `get_order did not return order ${order.orderId} with a status`);
  return { productId: part.productId, priceOptionId: option.priceOptionId, status: status.status };
}

async function customerToInvoice(t, dialect) {
  const customers = await dialect.lookupCustomer(t, CUSTOMER_QUERY);
  const customerId = customers?.[0]?.customerId;
  check(String(customerId) === CUSTOMER_QUERY, `lookup "${CUSTOMER_QUERY}" found customer ${customerId}`);
  const open = await dialect.openInvoices(t, customerId);
  const first = open?.[0];
  check(first?.invoiceNo, 'no open invoice listed');
  check(open.every((i) => i.paidInFullFlag === undefined || i.paidInFullFlag === 'N'), 'a listed invoice is paid in full');
  const invoice = await dialect.getInvoice(t, customerId, first.invoiceNo);
  check(String(invoice?.invoiceNo) === String(first.invoiceNo), `get_invoice did not return invoice ${first.invoiceNo}`);
  return { invoiceNo: String(invoice.invoiceNo), open: open.length };
}

async function supportQuestion(t, dialect, today) {
  const customerId = Number(CUSTOMER_QUERY);
  const from = new Date(Date.parse(today) - WINDOW_DAYS * 86_400_000).toISOString().slice(0, 10);
  const orders = await dialect.ordersBetween(t, customerId, from, today);
  const recent = orders.filter((o) => {
    const created = createdDay(o);
    return created === undefined ? t.dateFilter : created >= from && created <= today;
  });
  check(recent.length > 0 && recent.every((o) => o.orderNo), `no order of the last ${WINDOW_DAYS} days with an orderNo`);
  const aging = await dialect.aging(t, customerId, today);
  check(Array.isArray(aging?.totals), 'the aging has no bucket totals');
  const overdue = aging.totals.filter((b) => b.key !== 'current' && b.balance > 0);
  return {
    orders: recent.map((o) => String(o.orderNo)).sort(),
    overdue: overdue.map((b) => `${b.key}: ${b.balance}`),
    dateFilter: t.dateFilter,
    pages: t.pages,
  };
}

// ------------------------------------------------------------------------------------------ the servers

/**
 * How a build sets its result text (`--result-text MODE`, or only the MCP_RESULT_TEXT variable) and the modes its
 * --help names for it; none when the option does not exist there. Each mode becomes a variant (args or env).
 */
function resultTextVariants(cli) {
  const help = execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8', env: cleanEnv() });
  const lines = help.split('\n');
  const start = lines.findIndex((line) => /^\s+(--result-text|MCP_RESULT_TEXT)\b/.test(line));
  if (start < 0) return [];
  let end = start + 1;
  while (end < lines.length && /^\s{6,}\S/.test(lines[end])) end++;
  const block = lines.slice(start, end).join(' ');
  const flag = /--result-text\b/.test(block);
  return ['json', 'summary']
    .filter((mode) => new RegExp(`\\b${mode}\\b`).test(block))
    .map((mode) => ({ mode, args: flag ? ['--result-text', mode] : [], env: flag ? {} : { MCP_RESULT_TEXT: mode } }));
}

async function ourServer(label, cli, env, args = []) {
  const stdio = await stdioClient(process.execPath, [cli, ...args], env, 'bench-task-tokens');
  // tools/list first, as an agent does (it also makes the SDK Client validate each structuredContent).
  const list = await stdio.client.listTools();
  return {
    label,
    kind: 'ours',
    cli,
    args,
    listCalls: 1,
    listTokens: countTokens(JSON.stringify(list)),
    tools: new Map(list.tools.map((tool) => [tool.name, tool])),
    clientFor: () => stdio.client,
    close: () => stdio.close(),
  };
}

async function proxyServer(sandbox, acme, site) {
  const proxies = await genericProxies(sandbox, acme, site, 'bench-task-tokens');
  const processes = [proxies.partssource, proxies.augur];
  const tools = new Map();
  const owner = new Map();
  let listTokens = 0;
  for (const p of processes) {
    const list = await p.client.listTools();
    listTokens += countTokens(JSON.stringify(list));
    for (const tool of list.tools) {
      tools.set(tool.name, tool);
      owner.set(tool.name, p.client);
    }
  }
  const missing = Object.values(PROXY_TOOLS).filter((name) => !tools.has(name));
  if (missing.length) throw new Error(`the generic proxy lists no ${missing.join(', ')}: it lists ${[...tools.keys()].join(', ')}`);
  return {
    label: 'generic proxy',
    kind: 'proxy',
    listCalls: processes.length,
    listTokens,
    tools,
    clientFor: (name) => owner.get(name),
    close: proxies.close,
  };
}

async function runTasks(server, today) {
  const dialect = server.kind === 'proxy' ? proxy : ours;
  const outcomes = [];
  for (const [index, task] of [searchToOrder, customerToInvoice, supportQuestion].entries()) {
    const t = new Transcript(server);
    try {
      const answer = await task(t, dialect, today);
      outcomes.push({ task: TASKS[index], completed: true, answer, calls: t.calls });
    } catch (error) {
      if (!(error instanceof TaskFailure)) throw error;
      outcomes.push({ task: TASKS[index], completed: false, reason: error.message, calls: t.calls });
    }
  }
  return outcomes;
}

// ------------------------------------------------------------------------------------------ main

const sum = (calls, key) => calls.reduce((n, c) => n + c[key], 0);
const ratio = (x, y) => (y ? Math.round((x / y) * 100) / 100 : undefined);

async function main() {
  const { SANDBOX_AUGUR_SITES, SANDBOX_PARTSSOURCE_CREDENTIALS } = await dist('sandbox/index.js');
  const { SEED_END } = await dist('sandbox/augur/seed.js');
  const today = new Date(SEED_END).toISOString().slice(0, 10);
  const builds = [
    { label: 'this build', cli: CLI },
    ...(process.env.BENCH_BASELINE_CLI ?? '')
      .split(',')
      .map((path) => path.trim())
      .filter(Boolean)
      .map((path) => ({ label: `baseline ${path.replace(/\/dist\/cli\.js$/, '').split('/').pop()}`, cli: path })),
  ];

  const sandbox = await spawnSandbox();
  const env = await liveEnv(sandbox);
  const runs = [];
  try {
    const variants = [];
    for (const build of builds) {
      const modes = resultTextVariants(build.cli);
      if (modes.length === 0) variants.push({ label: build.label, cli: build.cli, args: [], env: {} });
      for (const { mode, args, env: extra } of modes) variants.push({ label: `${build.label}, text ${mode}`, cli: build.cli, args, env: extra });
    }
    // The proxy first: its answers are what every other server's are compared with.
    const proxyRun = await proxyServer(sandbox, SANDBOX_PARTSSOURCE_CREDENTIALS.acme, SANDBOX_AUGUR_SITES.acme);
    try {
      runs.push({ server: proxyRun, outcomes: await runTasks(proxyRun, today) });
    } finally {
      await proxyRun.close();
    }
    for (const v of variants) {
      const server = await ourServer(v.label, v.cli, { ...env, ...v.env }, v.args);
      try {
        runs.push({ server, outcomes: await runTasks(server, today) });
      } finally {
        await server.close();
      }
    }
  } finally {
    await sandbox.close();
  }

  const proxyOutcomes = runs[0].outcomes;
  const rows = [];
  const results = [];
  for (const [index, task] of TASKS.entries()) {
    const base = proxyOutcomes[index];
    const baseTokens = base.completed ? sum(base.calls, 'b') : undefined;
    for (const { server, outcomes } of runs) {
      const o = outcomes[index];
      const sameAnswer = o.completed && base.completed ? JSON.stringify(answerKey(o.answer)) === JSON.stringify(answerKey(base.answer)) : undefined;
      const largest = [...o.calls].sort((x, y) => y.a - x.a)[0];
      const totals = o.completed ? { a: sum(o.calls, 'a'), b: sum(o.calls, 'b'), c: sum(o.calls, 'c'), textMinified: sum(o.calls, 'minified') } : undefined;
      rows.push({
        task,
        server: server.label,
        calls: o.calls.length,
        'a: structured': totals?.a ?? 'failed',
        'b: text': totals?.b,
        'c: both': totals?.c,
        'a ×proxy': totals && ratio(totals.a, baseTokens),
        'b ×proxy': totals && ratio(totals.b, baseTokens),
        'c ×proxy': totals && ratio(totals.c, baseTokens),
        'largest result (a)': o.completed && largest ? `${largest.tool} ${Math.round((100 * largest.a) / totals.a)}%` : '',
        note: !o.completed
          ? o.reason.slice(0, 80)
          : server.kind === 'proxy'
            ? `text as compact JSON: ${totals.textMinified}`
            : sameAnswer === false ? 'answer differs from the proxy' : o.answer.dateFilter === false ? `no date filter: ${o.answer.pages} page(s), newest first` : '',
      });
      results.push({ task, server: server.label, completed: o.completed, ...(o.completed ? { tokens: totals, answer: o.answer } : { reason: o.reason }), sameAnswerAsProxy: sameAnswer, calls: o.calls });
    }
  }
  for (const { server, outcomes } of runs) {
    const done = outcomes.filter((o) => o.completed);
    const all = outcomes.every((o) => o.completed);
    const totals = { a: 0, b: 0, c: 0, minified: 0 };
    for (const o of done) for (const key of Object.keys(totals)) totals[key] += sum(o.calls, key);
    const baseAll = proxyOutcomes.every((o) => o.completed) ? proxyOutcomes.reduce((n, o) => n + sum(o.calls, 'b'), 0) : undefined;
    rows.push({
      task: 'all three',
      server: server.label,
      calls: outcomes.reduce((n, o) => n + o.calls.length, 0),
      'a: structured': all ? totals.a : `${done.length}/3 done`,
      'b: text': all ? totals.b : undefined,
      'c: both': all ? totals.c : undefined,
      'a ×proxy': all ? ratio(totals.a, baseAll) : undefined,
      'b ×proxy': all ? ratio(totals.b, baseAll) : undefined,
      'c ×proxy': all ? ratio(totals.c, baseAll) : undefined,
      note: all && server.kind === 'proxy' ? `text as compact JSON: ${totals.minified}` : '',
    });
  }
  const proxyList = runs[0].server.listTokens;
  for (const { server } of runs) {
    rows.push({
      task: 'tools/list',
      server: server.label,
      calls: server.listCalls,
      'a: structured': server.listTokens,
      'b: text': server.listTokens,
      'c: both': server.listTokens,
      'a ×proxy': ratio(server.listTokens, proxyList),
      'b ×proxy': ratio(server.listTokens, proxyList),
      'c ×proxy': ratio(server.listTokens, proxyList),
      note: `${server.tools.size} tools`,
    });
  }
  printTable(
    `tokens per task (o200k_base; every result a task needs as the client receives it: (a) structuredContent, (b) text, (c) both; "today" = ${today})`,
    ['task', 'server', 'calls', 'a: structured', 'b: text', 'c: both', 'a ×proxy', 'b ×proxy', 'c ×proxy', 'largest result (a)', 'note'],
    rows,
  );
  const failed = results.filter((r) => !r.completed);
  writeResult('task-tokens', {
    tokenizer: 'gpt-tokenizer 4.0.0, o200k_base',
    today,
    windowDays: WINDOW_DAYS,
    servers: runs.map(({ server }) => ({ label: server.label, cli: server.cli, args: server.args, toolsListTokens: server.listTokens, tools: server.tools.size })),
    results,
    rows,
  });
  if (failed.length) process.stdout.write(`${failed.length} task run(s) failed: ${failed.map((r) => `${r.server} / ${r.task}: ${r.reason}`).join('; ')}\n`);
}

/** What must agree between servers (the order ids of task 1 differ by design: each server places its own order). */
function answerKey(answer) {
  const { dateFilter, pages, ...rest } = answer;
  return rest;
}

runMain(main);
