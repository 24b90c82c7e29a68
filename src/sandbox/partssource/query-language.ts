/**
 * The `q` search language of the GET search endpoints: clauses joined by `AND`, each `[-]field op value`, with
 * `:` (case-insensitive equality), `~` (case-insensitive substring, String fields, at least 3 characters),
 * `> < >= <=` (Numeric and DateTime) and `field IN [v1, v2]` where the field allows it. Field names are
 * case-insensitive; values are quoted strings or bare numbers/keywords.
 */
export type FieldType = 'Token' | 'String' | 'Numeric' | 'DateTime';
export type Operator = ':' | '~' | '>' | '<' | '>=' | '<=' | 'IN';

export interface FieldSpec<T> {
  name: string;
  type: FieldType;
  allowIn?: boolean;
  /** `:` behaves like `~` (orders `partNumber`: "always substring"). */
  alwaysSubstring?: boolean;
  /** The item's value(s); a clause matches when any of them does (e.g. every line's part number). */
  get: (item: T) => unknown;
}

export interface Clause {
  negate: boolean;
  /** Canonical spelling of the field. */
  field: string;
  op: Operator;
  values: string[];
}

/** A 400 with a message a person can act on. */
export class QueryError extends Error {}

const COMPARISONS: Operator[] = ['>=', '<=', '>', '<'];
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export function parseQuery<T>(q: string, fields: FieldSpec<T>[], endpoint: string): Clause[] {
  const clauses: Clause[] = [];
  let pos = 0;
  const rest = () => q.slice(pos);
  const skipWs = () => {
    while (pos < q.length && /\s/.test(q[pos]!)) pos++;
  };
  const fail = (what: string): never => {
    const near = rest().slice(0, 20);
    throw new QueryError(`Malformed query at position ${pos + 1}: ${what}${near ? ` (near '${near}')` : ''}.`);
  };

  skipWs();
  if (pos >= q.length) return clauses;
  for (;;) {
    skipWs();
    const negate = q[pos] === '-';
    if (negate) pos++;
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest())?.[0];
    if (!name) fail('expected a field name');
    pos += name!.length;
    const spec = fields.find((f) => f.name.toLowerCase() === name!.toLowerCase());
    if (!spec) {
      throw new QueryError(
        `Unknown search field '${name}' for ${endpoint}. Valid fields: ${fields.map((f) => f.name).join(', ')}.`,
      );
    }
    skipWs();
    let op: Operator;
    let values: string[];
    if (/^IN(?=[\s[])/i.test(rest())) {
      op = 'IN';
      pos += 2;
      skipWs();
      if (q[pos] !== '[') fail(`expected '[' after IN`);
      pos++;
      values = [];
      for (;;) {
        skipWs();
        values.push(readValue());
        skipWs();
        if (q[pos] === ',') {
          pos++;
          continue;
        }
        if (q[pos] === ']') {
          pos++;
          break;
        }
        fail(`expected ',' or ']' in the IN list`);
      }
    } else {
      const found = ([...COMPARISONS, ':', '~'] as Operator[]).find((o) => rest().startsWith(o));
      if (!found) fail(`expected an operator (:, ~, >, <, >=, <= or IN) after '${spec.name}'`);
      op = found!;
      pos += op.length;
      skipWs();
      values = [readValue()];
    }
    validate(spec, op, values);
    clauses.push({ negate, field: spec.name, op, values });
    skipWs();
    if (pos >= q.length) break;
    const and = /^AND(?=\s)/i.exec(rest());
    if (!and) fail(`expected AND between clauses (OR is not supported; use IN [..] for several values)`);
    pos += 3;
    skipWs();
    if (pos >= q.length) fail('expected a clause after AND');
  }
  return clauses;

  function readValue(): string {
    if (q[pos] === '"') {
      pos++;
      let out = '';
      while (pos < q.length && q[pos] !== '"') {
        if (q[pos] === '\\' && pos + 1 < q.length) pos++;
        out += q[pos];
        pos++;
      }
      if (pos >= q.length) fail('unterminated quoted string');
      pos++;
      return out;
    }
    const bare = /^[^\s,[\]"]+/.exec(rest())?.[0];
    if (!bare) fail('expected a value (a "quoted string" or a number)');
    pos += bare!.length;
    return bare!;
  }
}

function validate<T>(spec: FieldSpec<T>, op: Operator, values: string[]): void {
  if (op === '~') {
    if (spec.type !== 'String') {
      throw new QueryError(`The '~' (contains) operator works on String fields only; '${spec.name}' is a ${spec.type} field. Use ':'.`);
    }
    const value = values[0]!;
    if (value.length < 3) {
      throw new QueryError(`The '~' (contains) operator needs at least 3 characters; '${spec.name}~"${value}"' has ${value.length}.`);
    }
  }
  if (COMPARISONS.includes(op) && spec.type !== 'Numeric' && spec.type !== 'DateTime') {
    throw new QueryError(`The '${op}' operator works on Numeric and DateTime fields only; '${spec.name}' is a ${spec.type} field.`);
  }
  if (op === 'IN' && !spec.allowIn) {
    throw new QueryError(`'${spec.name}' does not support IN [..]; use one '${spec.name}:' clause.`);
  }
  for (const value of values) {
    if (spec.type === 'Numeric' && !Number.isFinite(Number(value))) {
      throw new QueryError(`'${spec.name}' is a Numeric field; "${value}" is not a number.`);
    }
    if (spec.type === 'DateTime' && parseDate(value) === undefined) {
      throw new QueryError(`'${spec.name}' is a DateTime field; "${value}" is not an ISO 8601 date (use "YYYY-MM-DD").`);
    }
  }
}

/** ms since epoch of a `YYYY-MM-DD` (UTC midnight) or full ISO 8601 value. */
export function parseDate(value: string): number | undefined {
  if (!DATE_ONLY.test(value) && !/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  const ms = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(ms) ? undefined : ms;
}

export function matchesAll<T>(item: T, clauses: Clause[], fields: FieldSpec<T>[]): boolean {
  return clauses.every((clause) => {
    const spec = fields.find((f) => f.name === clause.field)!;
    const raw = spec.get(item);
    const itemValues = (Array.isArray(raw) ? raw : [raw]).filter((v) => v !== null && v !== undefined);
    const hit = itemValues.some((v) => clause.values.some((value) => compare(spec, clause.op, v, value)));
    return clause.negate ? !hit : hit;
  });
}

function compare<T>(spec: FieldSpec<T>, op: Operator, itemValue: unknown, value: string): boolean {
  switch (spec.type) {
    case 'Token':
      return String(itemValue).toLowerCase() === value.toLowerCase();
    case 'String': {
      const a = String(itemValue).toLowerCase();
      const b = value.toLowerCase();
      return op === '~' || spec.alwaysSubstring ? a.includes(b) : a === b;
    }
    case 'Numeric':
      return order(op, Number(itemValue), Number(value));
    case 'DateTime': {
      // A date-only value compares by calendar day, so `<= "2026-01-31"` includes that whole day.
      if (DATE_ONLY.test(value)) return order(op, String(itemValue).slice(0, 10), value);
      return order(op, Date.parse(String(itemValue)), parseDate(value)!);
    }
  }
}

function order<V extends number | string>(op: Operator, a: V, b: V): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    default:
      return a === b;
  }
}
