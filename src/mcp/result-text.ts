/**
 * The text content of a success. `json` (default): JSON.stringify(structuredContent), as the MCP spec recommends;
 * clients that give the model only one of the two (Claude Code and VS Code pass the structured data when it is
 * there, content-only clients the text) get the data either way. `summary`: one short line, for clients that give
 * the model both (ChatGPT Apps, claude.ai), so the data is not paid for twice. Errors always keep their full text.
 */

type Json = Record<string, unknown>;

export const RESULT_TEXT_MODES = ['json', 'summary'] as const;
export type ResultTextMode = (typeof RESULT_TEXT_MODES)[number];

/** A field that names a document: an id or a document number. */
const ID_FIELD = /(^id$|Id$|Uid$|No$)/;

export function successText(tool: string, data: Json, mode: ResultTextMode): string {
  if (mode === 'json') return JSON.stringify(data);
  return `${tool}: ${what(data)}; full data in structuredContent (correlationId ${String(data.correlationId)})`;
}

/** A list's count and paging facts, or the main id of the document it returned. */
function what(data: Json): string {
  const paging = [
    typeof data.total === 'number' ? `total ${data.total}` : '',
    data.hasMore === true ? `hasMore, nextOffset ${String(data.nextOffset)}` : data.hasMore === false ? 'no more' : '',
    data.truncated === true ? 'truncated to the size budget' : '',
  ].filter(Boolean);
  if (Array.isArray(data.items)) return [`${data.items.length} items`, ...paging].join(', ');
  for (const [key, value] of Object.entries(data)) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    const id = Object.entries(value as Json).find(([field, v]) => ID_FIELD.test(field) && (typeof v === 'string' || typeof v === 'number'));
    return [id ? `${key} ${id[0]} ${String(id[1])}` : key, ...paging].join(', ');
  }
  return value(data) ?? 'done';
}

/** A payload of scalars only (e.g. a write's `{deleted: true}`), in short. */
function value(data: Json): string | undefined {
  const scalars = Object.entries(data).filter(([key, v]) => key !== 'correlationId' && v !== null && typeof v !== 'object');
  return scalars.length ? scalars.map(([key, v]) => `${key} ${String(v)}`).join(', ').slice(0, 200) : undefined;
}
