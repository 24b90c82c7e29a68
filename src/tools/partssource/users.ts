import * as z from 'zod';
import { UserProfile, UserSummary } from '../../clients/partssource-schemas.js';
import { READ, defineTool } from '../define.js';
import { listOutput, pageArgs, positiveId, sortDir, text } from '../schema-parts.js';
import { returns, returnsPage } from '../upstream-call.js';

export const lookupUser = defineTool({
  name: 'lookup_user',
  title: 'Look up a PartsSource user',
  description:
    'Get one user profile by userId or username (exactly one): contactId (use as requesterId), companies with facilities (facilityId), shipping and billing addresses (their ids). Start of every order workflow.',
  upstream: 'partssource',
  group: 'users',
  endpoint: 'GET /users/lookup',
  input: z
    .object({
      userId: positiveId('The user id, e.g. 12345.').optional(),
      username: text(256, 'The login name, e.g. jdoe.').optional(),
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
    'Search users of your organisation. q uses the search language, e.g. lastName:"Doe" or email~"example" (fields contactId, email, firstName, lastName, userName; ~ needs 3+ chars). Use lookup_user for one user\'s addresses.',
  upstream: 'partssource',
  group: 'users',
  endpoint: 'GET /users/search',
  input: z
    .object({
      q: text(1000, 'Search expression; omit to list all users.').optional(),
      ...pageArgs(100),
      sortBy: z.enum(['Id', 'FirstName', 'LastName', 'Email', 'UserName']).describe('Sort field (default Id).').optional(),
      sortDir: sortDir.optional(),
    })
    .strict(),
  output: listOutput(UserSummary),
  summaryFields: ['contactId', 'userName', 'firstName', 'lastName', 'email'],
  annotations: READ,
  handler: returnsPage((args, { clients, call }) => clients.partssource.searchUsers(args, call)),
});

export const userTools = [lookupUser, searchUsers];
