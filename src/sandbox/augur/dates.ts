/**
 * Date helpers. The service speaks naive site-local strings; the sandbox uses UTC without an offset suffix
 * (reference §5 #18): document dates `YYYY-MM-DD`, row timestamps MySQL `YYYY-MM-DD HH:MM:SS`.
 */
const DAY_MS = 86_400_000;
const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a strict `YYYY-MM-DD` that names a real calendar day; undefined otherwise. */
export function parseYmd(value: string): number | undefined {
  const match = YMD.exec(value);
  if (!match) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return formatYmd(ms) === value ? ms : undefined;
}

export function formatYmd(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export function addDays(ms: number, days: number): number {
  return ms + days * DAY_MS;
}

/** Whole days from `fromMs` to `toMs` (both taken at midnight UTC). */
export function daysBetween(fromMs: number, toMs: number): number {
  return Math.floor((startOfDay(toMs) - startOfDay(fromMs)) / DAY_MS);
}

export function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** ISO-8601 week key `YYYY-Www` (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeekKey(ms: number): string {
  const date = new Date(startOfDay(ms));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const year = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(year, 0, 1)) / DAY_MS + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export type TotalBy = 'week' | 'month' | 'year';

export function periodKey(ms: number, totalBy: TotalBy): string {
  if (totalBy === 'week') return isoWeekKey(ms);
  const ymd = formatYmd(ms);
  return totalBy === 'month' ? ymd.slice(0, 7) : ymd.slice(0, 4);
}

/** Every period key from `fromMs` to `toMs`, in order, without duplicates. */
export function periodKeys(fromMs: number, toMs: number, totalBy: TotalBy): string[] {
  const keys: string[] = [];
  for (let ms = startOfDay(fromMs); ms <= toMs; ms = addDays(ms, 1)) {
    const key = periodKey(ms, totalBy);
    if (keys[keys.length - 1] !== key) keys.push(key);
  }
  return keys;
}
