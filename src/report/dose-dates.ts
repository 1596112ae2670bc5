/**
 * The one place the daily and monthly reports ask the schedule engine (src/schedule) about a person: on
 * which day each programme dose was validly given, and whether the COVID-19 primary series is complete.
 * Everything else in those reports is SQL; only dose validity (minimum ages and intervals, counting by
 * antigen) needs the engine's rules, and they live there, not here.
 *
 * Keys are the call list's codes and dose numbers (../shared/contract/reports.md): `penta:3`, `dpt:4`.
 *
 * The engine answers per programme dose when it was completed (`givenOn`: the last of its antigens' valid
 * doses), so this is one call per person.
 */
import { COVID_PRODUCTS } from '../schedule/rules.js';
import { scheduleStatus, type GivenDose } from '../schedule/status.js';

export type { GivenDose } from '../schedule/status.js';

/** Programme dose key → the day it was given (yyyy-mm-dd). Doses not (validly) given, or undated, are absent. */
export type DoseDates = ReadonlyMap<string, string>;

/** When each childhood programme dose of a child (birth date known to the day) was given, up to `date`. */
export function childhoodDoseDates(birthDate: string, doses: readonly GivenDose[], date: string): DoseDates {
  const status = scheduleStatus(birthDate, doses.filter((d) => d.date === null || d.date <= date), date, { withVerdicts: false });
  const found = new Map<string, string>();
  for (const dose of status.childhood ?? []) {
    if (dose.state === 'given' && dose.givenOn !== null) found.set(`${dose.vaccine}:${dose.dose}`, dose.givenOn);
  }
  return found;
}

/**
 * Whether the COVID-19 primary series is complete on `date`: as many valid doses as the first product's
 * primary series (Abdala 3, Janssen 1 counted as 2, the others 2).
 */
export function covidPrimaryComplete(birthDate: string, doses: readonly GivenDose[], date: string): boolean {
  const given = doses.filter((d) => d.date === null || d.date <= date);
  const covid = scheduleStatus(birthDate, given, date, { withVerdicts: false }).covid;
  if (covid === null) return false;
  const first = given.filter((d) => d.vaccine?.startsWith('COVID-') && d.date !== null).sort((a, b) => (a.date! < b.date! ? -1 : 1))[0];
  const primary = first?.vaccine === 'COVID-JANSSEN' ? 2 : (COVID_PRODUCTS[first?.vaccine ?? '']?.primaryDoses ?? 2);
  return covid.counted >= primary;
}
