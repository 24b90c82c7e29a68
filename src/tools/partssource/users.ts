import * as z from 'zod';
import { UserProfile, UserSummary } from '../../clients/partssource-schemas.js';
import { READ, defineTool } from '../define.js';
import { listOutput, pageArgs, positiveId, sortDir, text } from '../schema-parts.js';
import { returns, returnsPage } from '../upstream-call.js';

export const lookupUser = defineTool({
  name: 'lookup_user',
  title: 'Look up a PartsSource user',
  description:
    'One user by userId or username (exactly one): contactId (= requesterId), facility and address ids for create_order.',
  upstream: 'partssource',
  group: 'users',
  endpoint: 'GET /users/lookup',
  input: z
    .object({
      userId: positiveId().optional(),
      username: text(256).optional(),
    })
    .strict()
    .refine((a) => (a.userId === undefined) !== (a.username === undefined), {
      message: 'give exactly one of userId or username',
    }),
  output: { user: UserProfile },
  annotations: READ,
  handler: returns('user', (args, { clients, call }) =>
    clients.partssource.lookupUser(args.userId !== undefined ? { userId: args.userId } : { username: args.username as string }, call),
  ),
});

export const searchUsers = defineTool({
  name: 'search_users',
  title: 'Search PartsSource users',
  description:
    'Search your organisation\'s users; q e.g. lastName:"Doe" or email~"exam" (fields contactId, email, firstName, lastName, userName; ~ needs 3+ chars).',
  upstream: 'partssource',
  group: 'users',
  endpoint: 'GET /users/search',
  input: z
    .object({
      q: text(1000).optional(),
      ...pageArgs(100),
      sortBy: z.enum(['Id', 'FirstName', 'LastName', 'Email', 'UserName']).optional(),
      sortDir: sortDir.optional(),
    })
    .strict(),
  output: listOutput(UserSummary),
  summaryFields: ['contactId', 'userName', 'firstName', 'lastName', 'email'],
  annotations: READ,
  handler: returnsPage((args, { clients, call }) => clients.partssource.searchUsers(args, call)),
});

export const userTools = [lookupUser, searchUsers];
