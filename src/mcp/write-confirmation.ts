import type { ElicitRequestFormParams, ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import type { AnyTool } from '../tools/define.js';
import { ConfirmationError, type ConfirmationTokens, type ConfirmWrites } from './confirmation.js';
import { isWriteTool } from './tool-selection.js';

/** Asks the human through the client (elicitation/create), answering within `timeoutMs`. */
export type Elicit = (params: ElicitRequestFormParams, timeoutMs: number) => Promise<ElicitResult>;

/** How this server confirms writes. */
export interface WriteConfirmation {
  mode: ConfirmWrites;
  tokens: ConfirmationTokens;
  elicitationTimeoutMs: number;
}

/** What a write returns instead of running, in `always` mode without elicitation: show it, then call with the token. */
export interface WritePreview {
  confirmationRequired: true;
  summary: string;
  confirmationToken: string;
  expiresAt: string;
}

/** Writes are confirmed unless the mode is `never` (admin triggers are not writes: see isWriteTool). */
export function needsConfirmation(tool: AnyTool, mode: ConfirmWrites): boolean {
  return isWriteTool(tool) && mode !== 'never';
}

/** In `always` mode a write takes (and advertises) `confirmationToken`. */
export function takesConfirmationToken(tool: AnyTool, mode: ConfirmWrites): boolean {
  return isWriteTool(tool) && mode === 'always';
}

/**
 * What the human is asked to confirm: the tool's own summary (its `confirmation`, e.g. an order's lines, total and
 * ship-to), else its title and the arguments.
 */
export function writeSummary(tool: AnyTool, args: Record<string, unknown>): string {
  if (tool.confirmation) return tool.confirmation(args);
  const fields = Object.entries(args)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  return `${tool.title}:\n${fields.map((f) => `- ${f}`).join('\n')}`;
}

/**
 * Confirms a write before it runs: through elicitation when the client can (`elicit` given), else in `always` mode
 * by a preview and its token. Returns the preview when the caller must come back with the token; throws
 * ConfirmationError when the human declined or the token does not hold; returns undefined to proceed.
 */
export async function confirmWrite(
  tool: AnyTool,
  args: Record<string, unknown>,
  token: unknown,
  how: WriteConfirmation,
  elicit: Elicit | undefined,
): Promise<WritePreview | undefined> {
  const summary = writeSummary(tool, args);
  if (elicit) return askTheHuman(tool, summary, elicit, how.elicitationTimeoutMs);
  if (how.mode !== 'always') return undefined;
  if (token === undefined) return preview(tool, args, summary, how.tokens);
  return redeemToken(tool, args, token, how.tokens);
}

async function askTheHuman(tool: AnyTool, summary: string, elicit: Elicit, timeoutMs: number): Promise<undefined> {
  let answer: ElicitResult;
  try {
    answer = await elicit(
      {
        mode: 'form',
        message: `${summary}\n\nConfirm to proceed; nothing is sent until you do.`,
        requestedSchema: {
          type: 'object',
          properties: { confirm: { type: 'boolean', title: 'Confirm', description: `Run ${tool.name} as shown` } },
          required: ['confirm'],
        },
      },
      timeoutMs,
    );
  } catch (error) {
    throw new ConfirmationError('not_confirmed', `The confirmation request failed (${(error as Error).message}); ${tool.name} was not performed and nothing was sent.`);
  }
  if (answer.action === 'accept' && answer.content?.confirm === true) return undefined;
  const how = answer.action === 'accept' ? 'did not confirm' : answer.action === 'decline' ? 'declined' : 'cancelled';
  throw new ConfirmationError('not_confirmed', `The user ${how} ${tool.name}; it was not performed and nothing was sent. Ask the user before trying again.`);
}

function preview(tool: AnyTool, args: Record<string, unknown>, summary: string, tokens: ConfirmationTokens): WritePreview {
  const issued = tokens.issue(tool.name, args);
  return {
    confirmationRequired: true,
    summary: `${summary}\nNot done yet: show this to the user; if they confirm, call ${tool.name} again with the same arguments plus confirmationToken (valid until ${issued.expiresAt}).`,
    confirmationToken: issued.token,
    expiresAt: issued.expiresAt,
  };
}

/** Proceeds (undefined) only with a token of these exact arguments, unexpired and not used before. */
async function redeemToken(tool: AnyTool, args: Record<string, unknown>, token: unknown, tokens: ConfirmationTokens): Promise<undefined> {
  const again = 'Call it without the token for a new preview.';
  const check = typeof token === 'string' ? tokens.check(tool.name, args, token) : 'invalid';
  if (check === 'expired') {
    throw new ConfirmationError('confirmation_expired', `The confirmationToken has expired; ${tool.name} was not performed. ${again}`);
  }
  if (check === 'invalid') {
    throw new ConfirmationError(
      'confirmation_invalid',
      `The confirmationToken does not match these arguments (or is not one of this server's); ${tool.name} was not performed. ${again}`,
    );
  }
  if (!(await tokens.redeem(token as string))) {
    throw new ConfirmationError('confirmation_invalid', `The confirmationToken was already used; ${tool.name} was not performed again. ${again}`);
  }
  return undefined;
}
