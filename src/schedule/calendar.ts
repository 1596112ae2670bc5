/**
 * Calendar arithmetic for ages and intervals. Schedules speak in calendar months ("9 months" is the same day
 * of the month, nine months later: DOMAIN.md §5.3), weeks and days, never in 30-day blocks.
 *
 * A day is an integer day number (days since 1970-01-01, src/base/civil-days.ts): no Date objects, no time
 * zones. When the same day does not exist in the target month (31 January + 1 month), the date moves forward
 * to the first day of the next month (1 March): CDC's CDSi logic specification ("a date that is not a real date
 * is moved to the first of the next month"). Moving forward, never back, means a child is never taken to have
 * reached an age before they truly have, so a minimum age is never shortened.
 */
import { civilFromDays, daysFromCivil } from '../base/civil-days.js';

/** A length of time as a schedule states it. */
export interface Span {
  readonly months?: number;
  readonly weeks?: number;
  readonly days?: number;
}

/**
 * The day number of a full ISO date (yyyy-mm-dd), or null for a partial or malformed one (2026-02-30 is not a
 * date). Read digit by digit: reports call this for every dose of a province's people, where a regular
 * expression or a cache keyed by the string (each row's string is a new one to hash) cost seconds.
 */
export function dayOf(iso: string): number | null {
  if (iso.length !== 10 || iso.charCodeAt(4) !== DASH || iso.charCodeAt(7) !== DASH) return null;
  const year = digitsAt(iso, 0, 4);
  const month = digitsAt(iso, 5, 2);
  const day = digitsAt(iso, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return daysFromCivil(year, month, day);
}

const DASH = 45;

/** The number the `count` ASCII digits at `at` write, or -1 when one is not a digit. */
function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

export function isoOf(day: number): string {
  const [y, m, d] = civilFromDays(day);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!;
}

/** `day` plus whole calendar months; a day missing in the target month becomes the 1st of the month after. */
export function addMonths(day: number, months: number): number {
  if (months === 0) return day; // most spans are weeks or days
  const [y, m, d] = civilFromDays(day);
  const index = y * 12 + (m - 1) + months;
  const [ty, tm] = [Math.floor(index / 12), (index % 12) + 1];
  if (d <= daysInMonth(ty, tm)) return daysFromCivil(ty, tm, d);
  return daysFromCivil(tm === 12 ? ty + 1 : ty, tm === 12 ? 1 : tm + 1, 1);
}

/** `day` plus a span: months first, then weeks and days (the order CDSi uses). */
export function addSpan(day: number, span: Span): number {
  return addMonths(day, span.months ?? 0) + 7 * (span.weeks ?? 0) + (span.days ?? 0);
}

/** Whole calendar months from `from` to `to` (the age in months a clinic would say). */
export function wholeMonths(from: number, to: number): number {
  const [fy, fm] = civilFromDays(from);
  const [ty, tm] = civilFromDays(to);
  let months = (ty - fy) * 12 + (tm - fm);
  while (months > 0 && addMonths(from, months) > to) months--;
  return months;
}

/** Whole years from `from` to `to`; someone born on 29 February turns a year older on 1 March. */
export function wholeYears(from: number, to: number): number {
  return Math.floor(wholeMonths(from, to) / 12);
}

/** A span in words, for sources and the person page: `9 tháng`, `4 tuần`, `1 tháng 14 ngày`. */
export function spanText(span: Span): string {
  const parts = [
    span.months ? `${span.months} tháng` : '',
    span.weeks ? `${span.weeks} tuần` : '',
    span.days ? `${span.days} ngày` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : '0 ngày';
}
