import * as z from 'zod';
import { UserProfile, UserSummary } from '../../clients/partssource-schemas.js';
import { pageArgs, pageFacts, paging, positiveId, sortDir } from '../schema-parts.js';
import { defineTool } from '../define.js';

const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true } as const;

export const lookupUser = defineTool({
  name: 'lookup_user',
  title: 'Look up a PartsSource user',
  description:
    'Get one user profile by userId or username (exactly one): contactId (use as requesterId), companies with facilities (facilityId), shipping and billing addresses (their ids). Start of every order workflow.',
  upstream: 'partssource',
  group: 'users',
  input: z
    .object({
      userId: positiveId('The user id, e.g. 12345.').optional(),
      username: z.string().trim().min(1).max(256).describe('The login name, e.g. jdoe.').optional(),
    })
    .strict()
    .refine((a) => (a.userId === undefined) !== (a.username === undefined), {
      message: 'give exactly one of userId or username',
    }),
  output: { user: UserProfile },
  annotations: READ,
  async handler(args, { clients, call }) {
    const by = args.userId !== undefined ? { userId: args.userId } : { username: args.username as string };
    const result = await clients.partssource.lookupUser(by, call);
    return { data: { user: result.data }, correlationId: result.correlationId };
  },
});

export const searchUsers = defineTool({
  name: 'search_users',
  title: 'Search PartsSource users',
  description:
    'Search users of your organisation. q uses the search language, e.g. lastName:"Doe" or email~"example" (fields contactId, email, firstName, lastName, userName; ~ needs 3+ chars). Use lookup_user for one user\'s addresses.',
  upstream: 'partssource',
  group: 'users',
  input: z
    .object({
      q: z.string().trim().min(1).max(1000).describe('Search expression; omit to list all users.').optional(),
      ...pageArgs(100),
      sortBy: z.enum(['Id', 'FirstName', 'LastName', 'Email', 'UserName']).describe('Sort field (default Id).').optional(),
      sortDir: sortDir.optional(),
    })
    .strict(),
  output: { items: z.array(UserSummary), ...pageFacts },
  annotations: READ,
  async handler(args, { clients, call }) {
    const result = await clients.partssource.searchUsers(args, call);
    const { items, pagination } = result.data;
    return { data: { items, ...paging(pagination, items.length) }, correlationId: result.correlationId };
  },
});

export const userTools = [lookupUser, searchUsers];
