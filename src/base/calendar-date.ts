/**
 * Calendar dates as yyyy-mm-dd text: the one strict parser of a date given by a person (the CLI's
 * `--date`, the API's `?date=`), and the civil date of an instant in a time zone. Pure: no clock is read
 * here; the caller passes the instant (src/config.ts `today(config)` passes the real one).
 */

/** The shape asked for, as it is named in messages, and as a pattern (the API documents it). */
export const CALENDAR_DATE_FORMAT = 'yyyy-mm-dd';
export const CALENDAR_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Why `text` is not a calendar date, or null when it is one: exactly yyyy-mm-dd, and a day that exists
 * (2026-02-30 is refused, not rolled over into March as `Date` would).
 */
export function calendarDateProblem(text: string): string | null {
  if (!CALENDAR_DATE_PATTERN.test(text)) return `must be ${CALENDAR_DATE_FORMAT}`;
  const [year, month, day] = [Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10))];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear puts them back where they were asked for.
  date.setUTCFullYear(year);
  const exists = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return exists ? null : 'is not a calendar date';
}

/**
 * The civil date (yyyy-mm-dd) at `instant` in the IANA `timeZone`: what a wall calendar there shows.
 * 2026-12-01T23:30:00Z is 2026-12-02 in Asia/Ho_Chi_Minh (UTC+7). en-CA formats dates as yyyy-mm-dd.
 */
export function civilDateIn(timeZone: string, instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}
