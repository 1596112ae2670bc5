/**
 * Birth and vaccination dates as stations type them (DOMAIN.md §3.1), kept at the precision they were given.
 *
 * `dd/mm/yyyy` (and its `-` and `.` variants) is the Vietnamese standard and `yyyy-mm-dd` the stored form, so
 * reading either is not a finding. A year alone stays a year: inventing 1 January would make two records of
 * the same elderly person look like different birthdays.
 *
 * Hot path: one regex, integer arithmetic and a days-in-month table; no `Date` objects.
 */
import { civilFromDays, daysFromCivil } from '../base/civil-days.js';
import { cleaned, finding, isBlank, type Cleaned, type Finding } from './finding.js';
import type { DateField } from './findings-catalogue.js';
import { MAX_YEAR, MIN_YEAR } from './limits.js';
import type { PartialDate } from './types.js';



/**
 * One dispatch for every accepted shape, each alternative with its own groups:
 * 1–4 `d/m/y` (separator `/`, `-` or `.`, the same twice; the year's digit count is checked afterwards),
 * 5–8 `yyyy-mm[-dd]` (also with `/` or `.`), 9–10 `mm/yyyy`, 11–12 a bare number with an optional fraction
 * (a year, an Excel serial or a compact `yyyymmdd`/`ddmmyyyy`); 13 is the time part XLSX readers append.
 */
const DATE_SHAPES =
  /^(?:(\d{1,2})([/.-])(\d{1,2})\2(\d+)|(\d{4})([/.-])(\d{1,2})(?:\6(\d{1,2}))?|(\d{1,2})[/.-](\d{4})|(\d+)(?:[.,](\d+))?)([T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function isValidDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= (m === 2 && isLeapYear(y) ? 29 : DAYS_IN_MONTH[m]!);
}

/** A day number as a day-precision date. */
function dayFromDays(days: number): PartialDate & { precision: 'day' } {
  const [year, month, day] = civilFromDays(days);
  return { precision: 'day', year, month, day };
}

/**
 * Excel's 1900 date system (DOMAIN §3.1): serial 1 = 1900-01-01 and serial 60 = the fictitious 1900-02-29
 * kept from Lotus 1-2-3, so from serial 61 on the date is 1899-12-30 + serial.
 */
const EXCEL_EPOCH = daysFromCivil(1899, 12, 30);
const EXCEL_FICTITIOUS_LEAP_DAY = 60;
const MAX_EXCEL_SERIAL = daysFromCivil(MAX_YEAR, 12, 31) - EXCEL_EPOCH;

function day(year: number, month: number, dayOfMonth: number): PartialDate {
  return { precision: 'day', year, month, day: dayOfMonth };
}

/** Parses a date cell; codes are `${field}.…`. Blank → null with no finding (the caller counts it missing). */
export function parsePartialDate(raw: string, field: DateField): Cleaned<PartialDate> {
  if (isBlank(raw)) return cleaned(null);
  const text = raw.trim();
  const common = commonDay(text);
  if (common >= 0) return dayOf(Math.floor(common / 10_000), Math.floor(common / 100) % 100, common % 100, field, []);
  const m = DATE_SHAPES.exec(text);
  if (m === null) return unreadable(field, []);

  const findings: Finding[] = [];
  if (m[13] !== undefined) findings.push(finding(`${field}.time_removed`));
  if (m[1] !== undefined) {
    const yearText = m[4]!;
    if (yearText.length === 2) {
      // DOMAIN §0 trap 4: Excel would put someone born in '25 in 2025; the century cannot be guessed.
      findings.push(finding(`${field}.two_digit_year`));
      return cleaned(null, findings);
    }
    if (yearText.length !== 4) return unreadable(field, findings);
    return dayOf(Number(yearText), Number(m[3]), Number(m[1]), field, findings);
  }
  if (m[5] !== undefined) {
    return m[8] === undefined
      ? monthOf(Number(m[5]), Number(m[7]), field, findings)
      : dayOf(Number(m[5]), Number(m[7]), Number(m[8]), field, findings);
  }
  if (m[9] !== undefined) return monthOf(Number(m[10]), Number(m[9]), field, findings);
  return bareNumber(m[11]!, m[12], field, findings);
}

/**
 * The two shapes nearly every cell has, read without DATE_SHAPES' match array and its substrings (two dates
 * a row): `d/m/yyyy` (its first alternative with a four-digit year) and `yyyy-mm-dd` (its second with a
 * day), any separator of `/`, `-` and `.` the same twice, nothing after. As `year * 10000 + month * 100 +
 * day` (day and month as typed, not checked), or -1 for any other text, which DATE_SHAPES then reads.
 */
function commonDay(text: string): number {
  const end1 = digitsEnd(text, 0);
  const end2 = digitsEnd(text, end1 + 1);
  const end3 = digitsEnd(text, end2 + 1);
  const separator = text.charCodeAt(end1);
  if (end3 !== text.length || !isDateSeparator(separator) || text.charCodeAt(end2) !== separator) return -1;
  const a = end1;
  const b = end2 - end1 - 1;
  const c = end3 - end2 - 1;
  if (b < 1 || b > 2) return -1;
  const month = digitsValue(text, end1 + 1, end2);
  if (a >= 1 && a <= 2 && c === 4) return digitsValue(text, end2 + 1, end3) * 10_000 + month * 100 + digitsValue(text, 0, end1);
  if (a === 4 && c >= 1 && c <= 2) return digitsValue(text, 0, end1) * 10_000 + month * 100 + digitsValue(text, end2 + 1, end3);
  return -1;
}

const isDateSeparator = (c: number) => c === 47 || c === 45 || c === 46; // / - .

/** The index of the first character from `from` on that is not an ASCII digit (the length if none). */
function digitsEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i;
}

/** The number the ASCII digits text[from, to) write. */
function digitsValue(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + (text.charCodeAt(i) - 48);
  return value;
}

function unreadable(field: DateField, findings: Finding[]): Cleaned<PartialDate> {
  findings.push(finding(`${field}.unreadable`));
  return cleaned(null, findings);
}

function outOfRange(field: DateField, findings: Finding[]): Cleaned<PartialDate> {
  findings.push(finding(`${field}.out_of_range`));
  return cleaned(null, findings);
}

function dayOf(year: number, month: number, dayOfMonth: number, field: DateField, findings: Finding[]): Cleaned<PartialDate> {
  if (year < MIN_YEAR || year > MAX_YEAR) return outOfRange(field, findings);
  if (isValidDay(year, month, dayOfMonth)) return cleaned(day(year, month, dayOfMonth), findings);
  // A US-locale Excel writes mm/dd/yyyy (DOMAIN §3.1): only provable when the "month" cannot be one.
  if (month > 12 && isValidDay(year, dayOfMonth, month)) {
    findings.push(finding(`${field}.day_month_swapped`));
    return cleaned(day(year, dayOfMonth, month), findings);
  }
  findings.push(finding(`${field}.impossible`, 'day'));
  return cleaned(null, findings);
}

function monthOf(year: number, month: number, field: DateField, findings: Finding[]): Cleaned<PartialDate> {
  if (year < MIN_YEAR || year > MAX_YEAR) return outOfRange(field, findings);
  if (month >= 1 && month <= 12) return cleaned({ precision: 'month', year, month }, findings);
  findings.push(finding(`${field}.impossible`, 'month'));
  return cleaned(null, findings);
}

/** A number alone: a year, an Excel serial day number, or a date typed without separators. */
function bareNumber(digits: string, fraction: string | undefined, field: DateField, findings: Finding[]): Cleaned<PartialDate> {
  const n = Number(digits);
  const whole = fraction === undefined || /^0+$/.test(fraction);
  if (whole && digits.length === 4) {
    // A 4-digit number is a year (DOMAIN §3.1 "year only"): a serial below 10000 would be a date before
    // 1927, and reading a mistyped year (1850) as one would invent a day nobody wrote.
    if (n < MIN_YEAR || n > MAX_YEAR) return outOfRange(field, findings);
    return cleaned({ precision: 'year', year: n }, findings);
  }
  if (whole && digits.length === 8) return compactDate(digits, field, findings);
  // A fraction is a time of day on a serial; on a small number it is something else (`15.03`: no year).
  if (!whole && n <= MAX_YEAR) return unreadable(field, findings);
  if (n < 1 || n > MAX_EXCEL_SERIAL) return unreadable(field, findings);
  if (n === EXCEL_FICTITIOUS_LEAP_DAY) {
    findings.push(finding(`${field}.impossible`, 'excel_leap_day'));
    return cleaned(null, findings);
  }
  findings.push(finding(`${field}.excel_serial`));
  return cleaned(dayFromDays(EXCEL_EPOCH + n + (n < EXCEL_FICTITIOUS_LEAP_DAY ? 1 : 0)), findings);
}

/**
 * `yyyymmdd` or `ddmmyyyy`. Never ambiguous: read as `ddmmyyyy`, a `yyyymmdd` date has its "year" in mm-dd,
 * and no month-day pair is a year from 1900 on.
 */
function compactDate(digits: string, field: DateField, findings: Finding[]): Cleaned<PartialDate> {
  let year = Number(digits.slice(0, 4));
  let month = Number(digits.slice(4, 6));
  let dayOfMonth = Number(digits.slice(6));
  if (year < MIN_YEAR || year > MAX_YEAR || !isValidDay(year, month, dayOfMonth)) {
    year = Number(digits.slice(4));
    month = Number(digits.slice(2, 4));
    dayOfMonth = Number(digits.slice(0, 2));
  }
  if (year < MIN_YEAR || year > MAX_YEAR || !isValidDay(year, month, dayOfMonth)) {
    return dayOf(year, month, dayOfMonth, field, findings); // says what is wrong with it
  }
  findings.push(finding(`${field}.reformatted`));
  return cleaned(day(year, month, dayOfMonth), findings);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The stored form: `yyyy`, `yyyy-mm` or `yyyy-mm-dd`. */
export function partialDateToIso(d: PartialDate): string {
  switch (d.precision) {
    case 'year':
      return String(d.year);
    case 'month':
      return `${d.year}-${pad2(d.month)}`;
    case 'day':
      return `${d.year}-${pad2(d.month)}-${pad2(d.day)}`;
  }
}

const ISO_PARTIAL = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** Inverse of `partialDateToIso`; null for anything that is not a real date in that form. */
export function parseIsoPartialDate(s: string): PartialDate | null {
  const m = ISO_PARTIAL.exec(s);
  if (m === null) return null;
  const year = Number(m[1]);
  if (m[2] === undefined) return { precision: 'year', year };
  const month = Number(m[2]);
  if (m[3] === undefined) return month >= 1 && month <= 12 ? { precision: 'month', year, month } : null;
  const dayOfMonth = Number(m[3]);
  return isValidDay(year, month, dayOfMonth) ? day(year, month, dayOfMonth) : null;
}

/**
 * Sortable keys of the first and last day a partial date may stand for. Only the order matters, so
 * `month * 32 + day` stands in for the day of the year and an unknown day's last value is 31.
 */
function firstKey(d: PartialDate): number {
  return d.year * 512 + (d.precision === 'year' ? 1 : d.month) * 32 + (d.precision === 'day' ? d.day : 1);
}

function lastKey(d: PartialDate): number {
  return d.year * 512 + (d.precision === 'year' ? 12 : d.month) * 32 + (d.precision === 'day' ? d.day : 31);
}

/**
 * -1 if `a` is certainly before `b`, 1 certainly after, 0 the same day; null when the precision leaves it
 * open (`1985` against `1985-03-02`, or two equal years: the same year is not the same day).
 */
export function comparePartialDates(a: PartialDate, b: PartialDate): -1 | 0 | 1 | null {
  if (lastKey(a) < firstKey(b)) return -1;
  if (firstKey(a) > lastKey(b)) return 1;
  if (a.precision === 'day' && b.precision === 'day') return 0;
  return null;
}

/** Whether `d` is certainly after `today` (`yyyy-mm-dd`): a year is after today only from next year on. */
export function isAfterDay(d: PartialDate, today: string): boolean {
  const todayKey = Number(today.slice(0, 4)) * 512 + Number(today.slice(5, 7)) * 32 + Number(today.slice(8, 10));
  return firstKey(d) > todayKey;
}
