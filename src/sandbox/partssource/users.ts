import { parseId, type RouteContext } from './context.js';
import { directory } from './directory.js';
import { normalizePaging, pageOf, sortBy } from './paging.js';
import { matchesAll, parseQuery, QueryError, type FieldSpec } from './query-language.js';
import { invalid, ok, problem } from './responses.js';
import { PAGED_SEARCH_QUERY, type RouteDefinition } from './route-definition.js';
import { TENANTS, type User } from './seed.js';
import type { SandboxResponse } from '../types.js';

export const USER_SORT_FIELDS = ['Id', 'FirstName', 'LastName', 'Email', 'UserName'] as const;

export const USER_SEARCH_FIELDS: FieldSpec<User>[] = [
  { name: 'contactId', type: 'Numeric', get: (u) => u.contactId },
  { name: 'email', type: 'String', get: (u) => u.email },
  { name: 'firstName', type: 'String', get: (u) => u.firstName },
  { name: 'lastName', type: 'String', get: (u) => u.lastName },
  { name: 'userName', type: 'String', get: (u) => u.userName },
];

const summary = (u: User) => ({ contactId: u.contactId, userName: u.userName, firstName: u.firstName, lastName: u.lastName, email: u.email });

/** GET /users/lookup?userId= | ?username= (exactly one). */
export function lookupUser(ctx: RouteContext): SandboxResponse {
  const q = ctx.req.query;
  const userIdRaw = q.get('userId');
  const username = q.get('username');
  const hasId = userIdRaw !== null && userIdRaw !== '';
  const hasName = username !== null && username.trim() !== '';
  if (hasId === hasName) {
    return invalid(ctx.res, ['Provide exactly one of the query parameters userId or username.']);
  }
  let found;
  let label: string;
  if (hasId) {
    const id = parseId(userIdRaw);
    if (id === undefined) return invalid(ctx.res, [`userId must be a positive integer; got "${userIdRaw}".`]);
    found = directory.user(id, ctx.tenant);
    label = `ID: ${id}`;
  } else {
    found = directory.userByName(username!.trim(), ctx.tenant);
    label = `username: ${username!.trim()}`;
  }
  if (found.found === 'nowhere') return problem(ctx.res, 'not-found', `No user found with ${label}`);
  if (found.found === 'other-tenant') {
    return problem(ctx.res, 'forbidden', `User with ${label} belongs to another organization; access is limited to your tenant.`);
  }
  const u = found.value;
  const tenant = TENANTS[ctx.tenant];
  return ok(ctx.res, {
    ...summary(u),
    companies: tenant.companies
      .filter((c) => u.companyIds.includes(c.id))
      .map((c) => ({ id: c.id, name: c.name, facilities: c.facilities.map((f) => ({ id: f.id, name: f.name })) })),
    shippingAddresses: tenant.shippingAddresses.filter((a) => u.shippingAddressIds.includes(a.id)),
    billingAddresses: tenant.billingAddresses.filter((a) => u.billingAddressIds.includes(a.id)),
  });
}

/** GET /users/search?q=&limit=&offset=&sortBy=&sortDir= over the caller's organization. */
export function searchUsers(ctx: RouteContext): SandboxResponse {
  const q = ctx.req.query;
  const paged = normalizePaging(
    { limit: q.get('limit') ?? undefined, offset: q.get('offset') ?? undefined, sortBy: q.get('sortBy'), sortDir: q.get('sortDir') },
    { max: 100, sortFields: USER_SORT_FIELDS, defaultSort: 'Id' },
    '',
  );
  if ('errors' in paged) return invalid(ctx.res, paged.errors);
  let clauses;
  try {
    clauses = parseQuery(q.get('q') ?? '', USER_SEARCH_FIELDS, '/users/search');
  } catch (error) {
    if (error instanceof QueryError) return invalid(ctx.res, [error.message]);
    throw error;
  }
  const keys: Record<string, (u: User) => string | number> = {
    Id: (u) => u.contactId,
    FirstName: (u) => u.firstName,
    LastName: (u) => u.lastName,
    Email: (u) => u.email,
    UserName: (u) => u.userName,
  };
  const { paging } = paged;
  const hits = directory.usersOf(ctx.tenant).filter((u) => matchesAll(u, clauses, USER_SEARCH_FIELDS));
  const sorted = sortBy(hits, keys[paging.sortBy!]!, paging.sortDir, (u) => u.contactId);
  return ok(ctx.res, pageOf(sorted, paging, summary));
}

export const USER_ROUTES: RouteDefinition[] = [
  {
    method: 'GET',
    path: '/users/lookup',
    scope: 'read',
    operationId: 'lookupUser',
    summary: 'A user profile with companies, facilities, shipping and billing addresses.',
    query: [
      { name: 'userId', type: 'integer', description: 'Contact id; exactly one of userId / username.' },
      { name: 'username', type: 'string', description: 'User name; exactly one of userId / username.' },
    ],
    responses: [200, 400, 403, 404],
    handler: lookupUser,
  },
  {
    method: 'GET',
    path: '/users/search',
    scope: 'read',
    operationId: 'searchUsers',
    summary: "Search users of the caller's organization (fields contactId, email, firstName, lastName, userName).",
    query: [
      ...PAGED_SEARCH_QUERY,
      { name: 'sortBy', type: 'string', description: 'Id (default), FirstName, LastName, Email, UserName.' },
      { name: 'sortDir', type: 'string', description: 'Asc (default) or Desc.' },
    ],
    responses: [200, 400],
    handler: searchUsers,
  },
];
