/**
 * Dates as day numbers since 1970-01-01 (proleptic Gregorian; Hinnant's algorithms), written in the formats
 * stations use, and the serial ids of people, doses, households and rows.
 */
import { civilFromDays, daysFromCivil } from '../base/civil-days.js';
import type { DateFormat } from './types.js';

export function parseIsoDay(iso: string, what: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`${what} must be yyyy-mm-dd, got ${JSON.stringify(iso)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = daysFromCivil(y, mo, d);
  const [cy, cm, cd] = civilFromDays(days);
  if (cy !== y || cm !== mo || cd !== d) throw new RangeError(`${what} is not a calendar date: ${iso}`);
  return days;
}

const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000'];

/** `prefix` + `n` zero-padded to 7 digits (R0000001). */
export function serialId(prefix: string, n: number): string {
  const digits = String(n);
  return digits.length >= 7 ? prefix + digits : prefix + ZEROS[7 - digits.length] + digits;
}

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function isoOfDay(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Serial day number of the 1900 date system (valid after 1900-02-28): days since 1899-12-30. */
const EXCEL_EPOCH = daysFromCivil(1899, 12, 30);

export function formatDate(year: number, month: number, day: number, format: DateFormat): string {
  switch (format) {
    case 'dd/mm/yyyy':
      return `${pad2(day)}/${pad2(month)}/${year}`;
    case 'd/m/yyyy':
      return `${day}/${month}/${year}`;
    case 'yyyy-mm-dd':
      return `${year}-${pad2(month)}-${pad2(day)}`;
    case 'dd-mm-yyyy':
      return `${pad2(day)}-${pad2(month)}-${year}`;
    case 'excel':
      return String(daysFromCivil(year, month, day) - EXCEL_EPOCH);
  }
}

export interface Ymd {
  readonly y: number;
  readonly m: number;
  readonly d: number;
}

export function ymdOfDay(days: number): Ymd {
  const [y, m, d] = civilFromDays(days);
  return { y, m, d };
}

/** Whole years from a birth date to a day. */
export function ageOn(birthYear: number, birthMonth: number, birthDay: number, on: Ymd): number {
  return on.y - birthYear - (on.m < birthMonth || (on.m === birthMonth && on.d < birthDay) ? 1 : 0);
}
